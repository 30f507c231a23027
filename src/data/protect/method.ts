// The interface every data-side protection implements; index.ts holds the one map of them.
import type { ZodType } from 'zod';
import type { Progress } from '../../shared/http.ts';
import type { Dataset } from '../dataset.ts';

/** Parsers for option values, each throwing a clear error naming the option. */
export interface OptionParsers {
  num(s: string, what: string): number;
  int(s: string, what: string): number;
}

export interface ProtectionMethod<P, K> {
  name: string;
  /** One line for help texts and the README. */
  summary: string;
  /** The `--method` form, e.g. cuda[:blur=0.3][:seed=S]. */
  form: string;
  paper: string;
  /** The option keys `--method name:key=value:…` may give. */
  options: string[];
  /** The parameters and the key as a record stores them (validated when a record is read). */
  params: ZodType<P>;
  key: ZodType<K>;
  /** Parameters from `key=value` options (defaults filled in); throws on a bad value. */
  parse(o: Record<string, string>, p: OptionParsers): P;
  describe(p: P): string;
  /** The secret that protects: made once from the parameters (and, for a learnt protection, the data, which takes training and reports progress). */
  makeKey(ds: Dataset, p: P, onProgress?: (p: Progress) => void): K | Promise<K>;
  /** Whether a recorded key fits the data set and parameters; throws if not. */
  checkKey(ds: Dataset, p: P, k: K): void;
  /** The features of the whole data set with the train samples `train` protected; the rest unchanged. */
  protect(ds: Dataset, train: Int32Array, p: P, k: K): Float32Array;
}
