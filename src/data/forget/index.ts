// Deletion requests: the one map of forget kinds, and the spec API built from it (parse, describe, resolve).
// Browser-safe: the web's Run form validates with the same parser the server runs.
import { z } from 'zod';
import { idsOfSplit, type Dataset } from '../dataset.ts';
import { classKind } from './class.ts';
import { groupKind } from './group.ts';
import { idsKind } from './ids.ts';
import { manipulatedKind } from './manipulated.ts';
import { BadSpecBody, type ForgetExample, type ForgetKind, type ParseOptions, type ResolveData } from './kind.ts';
import { randomKind } from './random.ts';
import { targetKind } from './target.ts';
import { CLASSIFICATION_ONLY, taskOf, taskRefusal, type TaskName } from '../tasks.ts';
import { worstKind } from './worst.ts';

export type { ForgetExample, ForgetKind, FormField, KindForm, ParseOptions, ResolveData } from './kind.ts';

export const FORGET_KINDS = {
  class: classKind,
  random: randomKind,
  ids: idsKind,
  group: groupKind,
  manipulated: manipulatedKind,
  worst: worstKind,
  target: targetKind,
} satisfies Record<string, ForgetKind<any>>;

export type ForgetKindName = keyof typeof FORGET_KINDS;
export const FORGET_KIND_NAMES = Object.keys(FORGET_KINDS) as ForgetKindName[];

type KindSchema = (typeof FORGET_KINDS)[ForgetKindName]['schema'];
export const ForgetSpecSchema = z.discriminatedUnion(
  'kind',
  FORGET_KIND_NAMES.map((k) => FORGET_KINDS[k].schema) as unknown as [KindSchema, ...KindSchema[]],
);
export type ForgetSpec = z.infer<typeof ForgetSpecSchema>;

export interface ForgetSets {
  spec: ForgetSpec;
  forget: Int32Array;
  retain: Int32Array;
  test: Int32Array;
  /** Class forgetting only: test samples of the forgotten classes, and of the others. */
  forgetTest?: Int32Array;
  retainTest?: Int32Array;
}

const examples = () => FORGET_KIND_NAMES.flatMap((k) => FORGET_KINDS[k].examples.map((e: ForgetExample) => ({ kind: k, ...e })));

export const SPEC_HELP = examples().map((e) => e.help ?? e.spec).join(' | ');

/** A spec that does not parse; `reason` is the message without the spec text and the list of forms. */
export class BadForgetSpec extends Error {
  constructor(readonly text: string, readonly reason: string) {
    super(`bad forget spec "${text}": ${reason} (forms: ${SPEC_HELP})`);
  }
}

/** The tasks a forget kind serves (classification only unless it says). */
export const forgetKindTasks = (name: ForgetKindName): readonly TaskName[] => (FORGET_KINDS[name] as ForgetKind<any>).tasks ?? CLASSIFICATION_ONLY;

export function isForgetKind(name: string): name is ForgetKindName {
  return Object.hasOwn(FORGET_KINDS, name);
}

/** The map entry of a spec's kind (the correlation of `spec.kind` and entry is lost on a union, hence the cast). */
const kindOf = (spec: ForgetSpec) => FORGET_KINDS[spec.kind] as ForgetKind<ForgetSpec>;

/**
 * Parses the CLI form ("class:3,5"). `ids:FILE` needs `opts.readText` (see `./read.ts` for the CLI's);
 * without it that spec is refused, as the server and the browser never read files.
 */
export function parseForgetSpec(text: string, opts: ParseOptions = {}): ForgetSpec {
  const [kind, ...rest] = text.split(':');
  if (!isForgetKind(kind)) throw new BadForgetSpec(text, `unknown kind "${kind}"`);
  try {
    return FORGET_KINDS[kind].parse(rest.join(':'), opts);
  } catch (e) {
    if (e instanceof BadSpecBody) throw new BadForgetSpec(text, e.message);
    throw e;
  }
}

/** A short, human-readable form (ids are summarised, not listed). */
export function describeSpec(spec: ForgetSpec): string {
  return kindOf(spec).describe(spec);
}

function resolveData(ds: Dataset): ResolveData {
  const train = idsOfSplit(ds, 'train');
  return { ds, train, test: idsOfSplit(ds, 'test'), where: `in ${ds.name} (${train.length} train samples)` };
}

/** The train ids a spec names, by its kind's own rules, without the checks that make it a usable forget set. */
export function resolveIds(ds: Dataset, spec: ForgetSpec): Set<number> {
  return kindOf(spec).resolve(spec, resolveData(ds));
}

/** Resolves a spec into forget / retain / test id sets. Every bad request is an error before any work. */
export function resolveForget(ds: Dataset, spec: ForgetSpec): ForgetSets {
  const data = resolveData(ds);
  const { train, test } = data;
  const kind = kindOf(spec);
  const refused = taskRefusal(`${spec.kind} forgetting`, forgetKindTasks(spec.kind), taskOf(ds), ds.name);
  if (refused) throw new Error(refused);
  const forgetSet = kind.resolve(spec, data);
  if (forgetSet.size === 0) throw new Error(`forget set is empty ${data.where}`);
  if (forgetSet.size >= train.length) throw new Error(`forget set would be the whole train set ${data.where}`);
  const forget = Int32Array.from([...forgetSet].sort((a, b) => a - b));
  const retain = train.filter((i) => !forgetSet.has(i));
  return { spec, forget, retain, test, ...kind.testSets?.(spec, data) };
}

/** The README's table of forget specs: examples of one kind with the same meaning share a row. */
export function forgetSpecsMarkdown(): string {
  const rows: { kind: string; specs: string[]; meaning: string }[] = [];
  for (const e of examples()) {
    const last = rows.at(-1);
    if (last && last.kind === e.kind && last.meaning === e.meaning) last.specs.push(e.spec);
    else rows.push({ kind: e.kind, specs: [e.spec], meaning: e.meaning });
  }
  return ['| spec | forgets |', '|---|---|', ...rows.map((r) => `| ${r.specs.map((s) => `\`${s}\``).join(', ')} | ${r.meaning} |`)].join('\n');
}
