// A deployment's policy: how its deletion requests are served. Declared as text, validated against the model's kind.
//   exact                                               the kind's own exact method (sisa, analytic) serves every request
//   approximate:<method>[,key=value…],retrain-within=D  the method runs now; an exact retrain on everything not yet
//                                                       deleted lands within D (30s, 15m, 2h, 1d) and supersedes it
import type { ModelKind } from '../models/kinds.ts';
import { getMethod, isMethod, METHOD_NAMES, METHODS, parseParams } from '../unlearn/registry.ts';

export type Policy =
  | { kind: 'exact'; method: string; params: Record<string, unknown> }
  | { kind: 'approximate'; method: string; params: Record<string, unknown>; retrainWithinMs: number };

export const POLICY_HELP = 'exact | approximate:<method>[,key=value…],retrain-within=<30s|15m|2h|1d>';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "2h", "1d" in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!m || !(Number(m[1]) > 0)) throw new Error(`bad duration "${text}": use a positive number with s, m, h or d (30s, 15m, 2h, 1d)`);
  return Number(m[1]) * UNITS[m[2]];
}

export function formatDuration(ms: number): string {
  for (const u of ['d', 'h', 'm'] as const) if (ms % UNITS[u] === 0) return `${ms / UNITS[u]}${u}`;
  return `${ms / 1000}s`;
}

/** The exact method of a kind: the cheap one, not a full retrain (sisa for sharded, analytic for analytic). */
export function exactMethodOf(kind: ModelKind): string | undefined {
  return METHOD_NAMES.find((n) => n !== 'retrain' && METHODS[n].kind === 'exact' && (METHODS[n].accepts as readonly string[]).includes(kind));
}

const value = (raw: string): unknown => (raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw);

/** Parses and checks a policy for a model of `kind`; every problem is one error that names it. */
export function parsePolicy(text: string, kind: ModelKind): Policy {
  const bad = (why: string) => new Error(`bad policy "${text}": ${why} (forms: ${POLICY_HELP})`);
  const [head, ...rest] = text.trim().split(':');
  if (head === 'exact') {
    if (rest.length) throw bad('exact takes no parameters');
    const method = exactMethodOf(kind);
    if (!method) {
      throw new Error(`policy exact: a ${kind} model has no exact deletion method (${METHOD_NAMES.filter((n) => n !== 'retrain' && METHODS[n].kind === 'exact').map((n) => `${n} takes ${METHODS[n].accepts.join('/')}`).join(', ')}); `
        + `train one with --recipe sharded:… or analytic:…, or use approximate:<method>,retrain-within=<duration>`);
    }
    return { kind: 'exact', method, params: parseParams(method, {}) };
  }
  if (head !== 'approximate') throw bad(`unknown policy "${head}"`);
  const parts = rest.join(':').split(',').map((p) => p.trim()).filter(Boolean);
  const method = parts.shift();
  if (!method) throw bad('approximate needs a method');
  if (!isMethod(method)) throw bad(`unknown method "${method}": use one of ${METHOD_NAMES.join(', ')}`);
  const m = getMethod(method);
  if (m.kind !== 'approximate') throw bad(`${method} is exact: use the policy exact`);
  if (!(m.accepts as readonly string[]).includes(kind)) throw new Error(`policy ${text}: ${method} cannot unlearn a ${kind} model (it takes ${m.accepts.join(' or ')})`);
  let within: number | undefined;
  const raw: Record<string, unknown> = {};
  for (const p of parts) {
    const kv = /^([A-Za-z][\w-]*)=(.*)$/.exec(p);
    if (!kv) throw bad(`expected key=value, got "${p}"`);
    if (kv[1] === 'retrain-within') within = parseDuration(kv[2]);
    else raw[kv[1]] = value(kv[2]);
  }
  if (within === undefined) throw bad('an approximate policy says when the exact retrain lands: add retrain-within=<duration>');
  return { kind: 'approximate', method, params: parseParams(method, raw), retrainWithinMs: within };
}
