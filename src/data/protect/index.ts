// The one map of data-side protections (unlearnable data): a data owner protects the training images before
// publishing them, so that a model trained on them learns little that carries over to clean images. Browser-safe
// and pure: reading and writing the protected data set is src/data/formats/protected.ts.
import { idsOfSplit, type Dataset, type DerivedSource } from '../dataset.ts';
import { cuda } from './cuda.ts';
import { uc } from './uc.ts';
import type { Progress } from '../../shared/http.ts';
import type { OptionParsers, ProtectionMethod } from './method.ts';

export const PROTECTIONS = { cuda, uc } satisfies Record<string, ProtectionMethod<unknown, unknown>>;
export type ProtectionName = keyof typeof PROTECTIONS;
export const PROTECTION_NAMES = Object.keys(PROTECTIONS) as ProtectionName[];

// The map's entries, seen through the interface with the parameter and key types erased.
const methodOf = (name: string) => (PROTECTIONS as Record<string, ProtectionMethod<unknown, unknown>>)[name];

export interface ProtectionSpec {
  method: ProtectionName;
  params: Record<string, unknown>;
}

/** What a protected data set records: the method, its parameters and key, and what it was applied to. */
export interface Protection extends ProtectionSpec {
  key: unknown;
  /** How many train samples were protected: every train sample of the source (its test split never is). */
  count: number;
  /** The content hash of the protected data set: the record applied to its source must give exactly it. */
  hash: string;
  source: DerivedSource;
}

const FLAG = '--method';
const forms = () => PROTECTION_NAMES.map((n) => PROTECTIONS[n].form).join(' | ');

const parsers: OptionParsers = {
  num(s, what) {
    const v = Number(s);
    if (!s.trim() || Number.isNaN(v)) throw new Error(`${what} "${s}" is not a number`);
    return v;
  },
  int(s, what) {
    if (!/^-?\d+$/.test(s.trim())) throw new Error(`${what} "${s}" is not an integer`);
    return Number(s);
  },
};

/** `--method cuda:blur=0.3:seed=1`; whether the data set can take it is `checkProtectable`'s. */
export function parseProtection(text: string): ProtectionSpec {
  const [name, ...rest] = text.split(':');
  if (!Object.hasOwn(PROTECTIONS, name)) throw new Error(`${FLAG}: unknown protection "${name}": use one of ${PROTECTION_NAMES.join(', ')} (form: ${forms()})`);
  const m = methodOf(name);
  const o: Record<string, string> = {};
  for (const part of rest) {
    const kv = /^(\w+)=(.*)$/.exec(part);
    if (!kv || !m.options.includes(kv[1])) throw new Error(`${FLAG}: unknown option "${part}" of ${name} (form: ${m.form})`);
    if (kv[1] in o) throw new Error(`${FLAG}: ${kv[1]} given twice`);
    o[kv[1]] = kv[2];
  }
  try {
    return { method: name as ProtectionName, params: m.parse(o, parsers) as Record<string, unknown> };
  } catch (e) {
    throw new Error(`${FLAG}: ${name}: ${(e as Error).message} (form: ${m.form})`);
  }
}

export const describeProtection = (p: ProtectionSpec) => methodOf(p.method).describe(p.params);

/** Every way a data set cannot be protected, as one error. */
function checkProtectable(ds: Dataset, spec: ProtectionSpec) {
  const [h, w, c] = ds.inputShape;
  if (ds.inputShape.length !== 3 || h < 1 || w < 1 || c < 1) {
    const what = ds.inputShape.length === 1 ? `tabular (${ds.inputShape[0]} features)` : ds.inputShape.join('x');
    throw new Error(`${FLAG}: ${spec.method} protects images (height × width × channels); ${ds.name} is ${what}`);
  }
  const derived = ds.manipulation ?? ds.protection;
  if (derived) throw new Error(`${FLAG}: ${ds.name} is already a derived data set (of ${derived.source.name}): protect its source`);
  if (idsOfSplit(ds, 'train').length === 0) throw new Error(`${FLAG}: ${ds.name} has no train samples to protect`);
}

/**
 * The protected data set: every train sample's features protected, labels, split and test samples untouched.
 * Checks the record's parameters and key against the method before applying them.
 */
export function applyProtection(ds: Dataset, p: Omit<Protection, 'hash'> & { hash?: string }, name: string): Dataset {
  const m = methodOf(p.method);
  const params = m.params.safeParse(p.params);
  if (!params.success) throw new Error(`${p.method} parameters: ${params.error.issues[0].path.join('.')}: ${params.error.issues[0].message}`);
  const key = m.key.safeParse(p.key);
  if (!key.success) throw new Error(`${p.method} key: ${key.error.issues[0].path.join('.')}: ${key.error.issues[0].message}`);
  checkProtectable(ds, p);
  m.checkKey(ds, params.data, key.data);
  const train = idsOfSplit(ds, 'train');
  if (train.length !== p.count) throw new Error(`the source has ${train.length} train samples, the record protected ${p.count}`);
  const x = m.protect(ds, train, params.data, key.data);
  return { ...ds, name, x, protection: p as Protection };
}

/** A spec made into its record (without the hash of the result, which the caller computes). */
export async function protectionOf(ds: Dataset, spec: ProtectionSpec, source: DerivedSource, onProgress?: (p: Progress) => void): Promise<Omit<Protection, 'hash'>> {
  checkProtectable(ds, spec);
  const m = methodOf(spec.method);
  return { method: spec.method, params: spec.params, key: await m.makeKey(ds, spec.params, onProgress), count: idsOfSplit(ds, 'train').length, source };
}
