// A deployment's policy, checked against the method registry and the model's kind (./policy-text.ts is the grammar).
import type { ModelKind } from '../models/kinds.ts';
import { getMethod, isMethod, METHOD_NAMES, METHODS, parseParams } from '../unlearn/registry.ts';
import { policyError, readPolicy } from './policy-text.ts';

export { parseDuration, POLICY_HELP } from './policy-text.ts';

export type Policy =
  | { kind: 'exact'; method: string; params: Record<string, unknown> }
  | { kind: 'approximate'; method: string; params: Record<string, unknown>; retrainWithinMs: number };

/** The exact method of a kind: the cheap one, not a full retrain (sisa for sharded, analytic for analytic). */
export function exactMethodOf(kind: ModelKind): string | undefined {
  return METHOD_NAMES.find((n) => n !== 'retrain' && METHODS[n].kind === 'exact' && (METHODS[n].accepts as readonly string[]).includes(kind));
}

/** Parses and checks a policy for a model of `kind`; every problem is one error that names it. */
export function parsePolicy(text: string, kind: ModelKind): Policy {
  const p = readPolicy(text);
  if (p.kind === 'exact') {
    const method = exactMethodOf(kind);
    if (!method) {
      throw new Error(`policy exact: a ${kind} model has no exact deletion method (${METHOD_NAMES.filter((n) => n !== 'retrain' && METHODS[n].kind === 'exact').map((n) => `${n} takes ${METHODS[n].accepts.join('/')}`).join(', ')}); `
        + `train one with --recipe sharded:… or analytic:…, or use approximate:<method>,retrain-within=<duration>`);
    }
    return { kind: 'exact', method, params: parseParams(method, {}) };
  }
  if (!isMethod(p.method)) throw policyError(text, `unknown method "${p.method}": use one of ${METHOD_NAMES.join(', ')}`);
  const m = getMethod(p.method);
  if (m.kind !== 'approximate') throw policyError(text, `${p.method} is exact: use the policy exact`);
  if (!(m.accepts as readonly string[]).includes(kind)) throw new Error(`policy ${text}: ${p.method} cannot unlearn a ${kind} model (it takes ${m.accepts.join(' or ')})`);
  return { kind: 'approximate', method: p.method, params: parseParams(p.method, p.raw), retrainWithinMs: p.retrainWithinMs };
}
