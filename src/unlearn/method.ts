// The contract every unlearning method meets: one file per method in ./methods, one map in ./registry.ts.
import type { z } from 'zod';
import { loadKit } from './kit.ts';
import type { Dataset, Subset } from '../data/dataset.ts';
import type { DataRef } from '../data/registry.ts';
import type { ForgetSets } from '../data/forget/index.ts';
import type { SearchDim } from '../shared/http.ts';
import type { Head } from '../models/analytic/ridge.ts';
import type { Meta } from '../models/checkpoint.ts';
import type { ShardState } from '../models/sharded/state.ts';
import type { ModelKind } from '../models/kinds.ts';
import type { TaskName } from '../data/tasks.ts';
import type { Model } from '../models/layers.ts';
import type { OnProgress } from '../train/progress.ts';

export interface UnlearnContext {
  /** The trained model. Methods never change it: they work on a copy (see cloneModel). */
  original: Model;
  /** The original's checkpoint metadata: architecture, training recipe, data set. */
  meta: Meta;
  /** An analytic original's float64 head state (R, W), read from its checkpoint. Methods never change it. */
  head?: Head;
  /** A sharded original's plan and prefix weights, read from its checkpoint. Methods never change it. */
  shards?: ShardState;
  /** Where `dataset` came from: the original's own data set unless the request named another. */
  data: DataRef;
  dataset: Dataset;
  sets: ForgetSets;
  forget: Subset;
  retain: Subset;
  /** Seed for everything random in the method (init, shuffles, random labels). */
  seed: number;
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

export interface UnlearnMethod<S extends z.ZodType = z.ZodType> {
  name: string;
  kind: 'exact' | 'approximate';
  /** One line: what it does. */
  summary: string;
  /** The paper it follows. */
  paper: string;
  /** Validates untrusted parameters; every field has a default. */
  params: S;
  /** The model kinds it can unlearn (src/models/kinds.ts). */
  accepts: readonly ModelKind[];
  /** The tasks it serves (src/data/tasks.ts); classification only when absent (it needs class labels). */
  tasks?: readonly TaskName[];
  /**
   * The parameters worth tuning for a setting (`lethe tune`) and the range of each, inside the schema's limits and
   * holding the default. Wide enough that a choice at its edge is rare (the tuning report flags one).
   */
  search?: { readonly [K in keyof z.input<S> & string]?: SearchDim };
  /** An analytic or sharded result carries its new state with the model (attachHead, attachShards). */
  run(ctx: UnlearnContext, params: z.infer<S>): Promise<Model>;
}

/**
 * Lets each method file declare its method with its parameter type inferred. Its run binds the kit (./kit.ts) first:
 * the method file's run-time values come from there, so that declaring methods loads no TensorFlow.js.
 */
export function defineMethod<S extends z.ZodType>(m: UnlearnMethod<S>): UnlearnMethod<S> {
  return { ...m, run: async (ctx, params) => (await loadKit(), m.run(ctx, params)) };
}
