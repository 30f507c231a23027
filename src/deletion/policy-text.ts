// The grammar of a deployment's policy, with no knowledge of the methods (so reading a deployment loads no
// TensorFlow.js): ./policy.ts checks the method against the registry and the model's kind.
//   exact                                               the kind's own exact method (sisa, analytic) serves every request
//   approximate:<method>[,key=value…],retrain-within=D  the method runs now; an exact retrain on everything not yet
//                                                       deleted lands within D (30s, 15m, 2h, 1d) and supersedes it
import { paramValue } from '../shared/param-value.ts';

export const POLICY_HELP = 'exact | approximate:<method>[,key=value…],retrain-within=<30s|15m|2h|1d>';

export type PolicyText =
  | { kind: 'exact' }
  | { kind: 'approximate'; method: string; raw: Record<string, unknown>; retrainWithinMs: number };

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "2h", "1d" in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!m || !(Number(m[1]) > 0)) throw new Error(`bad duration "${text}": use a positive number with s, m, h or d (30s, 15m, 2h, 1d)`);
  return Number(m[1]) * UNITS[m[2]];
}

export const policyError = (text: string, why: string) => new Error(`bad policy "${text}": ${why} (forms: ${POLICY_HELP})`);

/** Reads a policy's text: its form, method name, raw parameters and retrain bound. Only the grammar is checked. */
export function readPolicy(text: string): PolicyText {
  const [head, ...rest] = text.trim().split(':');
  if (head === 'exact') {
    if (rest.length) throw policyError(text, 'exact takes no parameters');
    return { kind: 'exact' };
  }
  if (head !== 'approximate') throw policyError(text, `unknown policy "${head}"`);
  const parts = rest.join(':').split(',').map((p) => p.trim()).filter(Boolean);
  const method = parts.shift();
  if (!method) throw policyError(text, 'approximate needs a method');
  let within: number | undefined;
  const raw: Record<string, unknown> = {};
  for (const p of parts) {
    const kv = /^([A-Za-z][\w-]*)=(.*)$/.exec(p);
    if (!kv) throw policyError(text, `expected key=value, got "${p}"`);
    if (kv[1] === 'retrain-within') within = parseDuration(kv[2]);
    else raw[kv[1]] = paramValue(kv[2]);
  }
  if (within === undefined) throw policyError(text, 'an approximate policy says when the exact retrain lands: add retrain-within=<duration>');
  return { kind: 'approximate', method, raw, retrainWithinMs: within };
}
