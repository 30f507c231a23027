// The interface every forget kind implements; `index.ts` holds the one map of them.
import type { z } from 'zod';
import type { Dataset } from '../dataset.ts';
import type { TaskName } from '../tasks.ts';

export interface ParseOptions {
  /**
   * Reads a file named by a spec (`ids:FILE`). Only the CLI passes one: the server and the
   * browser never read files, so without it such a spec is refused.
   */
  readText?: (path: string) => string;
}

/** What `resolve` gets: the data set and its split, worked out once for every kind. */
export interface ResolveData {
  ds: Dataset;
  train: Int32Array;
  test: Int32Array;
  /** "in NAME (N train samples)", the tail of every resolve error. */
  where: string;
}

/** One input of the Run form. `name` is the input's HTML name (browser tests fill fields by it). */
export interface FormField {
  key: string;
  name: string;
  label: string;
  hint?: string;
  initial: string;
  type?: 'text' | 'number';
}

/** How the UI offers a kind: a label for the kind menu, its fields, and the CLI text they make. */
export interface KindForm {
  label: string;
  fields: FormField[];
  toText(values: Record<string, string>): string;
}

export interface ForgetExample {
  spec: string;
  meaning: string;
  /** The form in help texts, when `spec` names an example file (`ids:FILE` for `ids:path/to/ids.txt`). */
  help?: string;
}

export interface ForgetKind<S extends { kind: string }> {
  name: S['kind'];
  /** One line for help texts. */
  summary: string;
  /** The JSON form, as the API accepts it; an object schema with `kind` as its literal discriminator. */
  schema: z.ZodType<S>;
  /** Specs and what they forget: the README table and the CLI help come from these. */
  examples: ForgetExample[];
  /** Parses the text after `kind:`; a bad body is `bad(why)`. */
  parse(body: string, opts: ParseOptions): S;
  /** A short, human-readable form (parseable again, except where it summarises, as `ids:N`). */
  describe(spec: S): string;
  /** The train ids to forget. Errors name the spec's mistake; the emptiness and whole-set checks are shared. */
  resolve(spec: S, data: ResolveData): Set<number>;
  /** Kinds with a natural split of the test set (class forgetting): the forgotten part and the rest. */
  testSets?(spec: S, data: ResolveData): { forgetTest: Int32Array; retainTest: Int32Array };
  /** The tasks it serves (src/data/tasks.ts); classification only when absent (it reads class labels or a classifier). */
  tasks?: readonly TaskName[];
  /** Absent when the UI cannot offer the kind (ids needs a list of ids). */
  form?: KindForm;
}

/** A mistake in a spec's body; `parseForgetSpec` adds the spec text and the valid forms. */
export class BadSpecBody extends Error {}

export function bad(why: string): never {
  throw new BadSpecBody(why);
}

export function parseInt10(s: string, what: string): number {
  if (!/^-?\d+$/.test(s.trim())) bad(`${what} "${s}" is not an integer`);
  return Number(s);
}

/** The seed of a spec whose only option is `seed=S` (0 without one); any other option is an error. */
export function seedOption(opts: string[]): number {
  let seed = 0;
  for (const o of opts) {
    const m = /^seed=(.*)$/.exec(o);
    if (!m) bad(`unknown option "${o}"`);
    seed = parseInt10(m[1], 'seed');
  }
  return seed;
}

/** A list as typed in a form field: commas or spaces between items, duplicates dropped. */
export const listOf = (s: string) => [...new Set(s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean))];
