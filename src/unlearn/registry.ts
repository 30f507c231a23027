// One typed map of every unlearning method. CLI help, the API schema and the UI all read their names from here.
import { z } from 'zod';
import { CLASSIFICATION_ONLY } from '../data/tasks.ts';
import type { MethodInfo, ParamsSchema, SearchDim } from '../shared/http.ts';
import type { UnlearnMethod } from './method.ts';
import { analytic } from './methods/analytic.ts';
import { badTeacher } from './methods/bad-teacher.ts';
import { cfK } from './methods/cf-k.ts';
import { dmm } from './methods/dmm.ts';
import { dmmOracle } from './methods/dmm-oracle.ts';
import { euK } from './methods/eu-k.ts';
import { ft } from './methods/ft.ts';
import { ga } from './methods/ga.ts';
import { iau } from './methods/iau.ts';
import { influence } from './methods/influence.ts';
import { l1Sparse } from './methods/l1-sparse.ts';
import { laf } from './methods/laf.ts';
import { neggradPlus } from './methods/neggrad-plus.ts';
import { retrain } from './methods/retrain.ts';
import { rl } from './methods/rl.ts';
import { salun } from './methods/salun.ts';
import { blindspot } from './methods/blindspot.ts';
import { scrub } from './methods/scrub.ts';
import { sisa } from './methods/sisa.ts';
import { ssd } from './methods/ssd.ts';

export const METHODS = {
  retrain,
  ft,
  'cf-k': cfK,
  'eu-k': euK,
  ga,
  'neggrad-plus': neggradPlus,
  rl,
  'l1-sparse': l1Sparse,
  salun,
  ssd,
  scrub,
  'bad-teacher': badTeacher,
  influence,
  iau,
  laf,
  dmm,
  'dmm-oracle': dmmOracle,
  blindspot,
  analytic,
  sisa,
} satisfies Record<string, UnlearnMethod<any>>;

export type MethodName = keyof typeof METHODS;
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethod(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

export function getMethod(name: string): UnlearnMethod<any> {
  if (!isMethod(name)) throw new Error(`unknown method "${name}": use one of ${METHOD_NAMES.join(', ')}`);
  return METHODS[name];
}

/** Validates untrusted parameters against the method's schema; names the bad key in the error. */
export function parseParams(name: string, raw: Record<string, unknown>): Record<string, unknown> {
  const m = getMethod(name);
  const r = m.params.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '';
    throw new Error(`bad parameter for ${name}${key ? ` "${key}"` : ''}: ${issue.message}`);
  }
  return r.data as Record<string, unknown>;
}

/** Every method as plain data, for the API and `lethe methods`: `params` is the input JSON Schema the UI builds forms from. */
export function describeMethods(): MethodInfo[] {
  return METHOD_NAMES.map((name) => {
    const m = METHODS[name];
    return {
      name,
      kind: m.kind,
      accepts: [...m.accepts],
      tasks: [...(m.tasks ?? CLASSIFICATION_ONLY)],
      summary: m.summary,
      paper: m.paper,
      params: z.toJSONSchema(m.params, { io: 'input', unrepresentable: 'any' }) as ParamsSchema,
      defaults: m.params.parse({}) as Record<string, unknown>,
      search: searchSpace(name),
    };
  });
}

/** The parameters `lethe tune` searches for a method, and their ranges (empty when there is nothing to tune). */
export function searchSpace(name: string): Record<string, SearchDim> {
  return { ...(getMethod(name).search ?? {}) } as Record<string, SearchDim>;
}

/** A range as `lethe methods` prints it: `lr∈[0.0001, 0.01] log`, `mode∈{a, b}`. */
export function describeDim(key: string, d: SearchDim): string {
  return 'choices' in d ? `${key}∈{${d.choices.join(', ')}}` : `${key}∈[${d.low}, ${d.high}]${d.log ? ' log' : ''}${d.int ? ' int' : ''}`;
}
