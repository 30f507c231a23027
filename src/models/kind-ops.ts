// What a model kind does beyond building a network: fit a fresh model, read its extra state beside a checkpoint,
// give an unlearned result's meta and files, and refit the exact reference (`retrain`). One object per kind,
// in the kind's own folder; src/models/kinds.ts maps each kind to its object (loaded on first use).
import type { Dataset } from '../data/dataset.ts';
import type { OnProgress } from '../shared/http.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import type { Checkpoint, Meta, NewMeta, TrainRecipe } from './checkpoint.ts';
import type { Recipe } from './kinds.ts';
import type { Model } from './layers.ts';

export interface FitArgs {
  /** The architecture of the network (or of each constituent). */
  arch: string;
  recipe: TrainRecipe;
  seed: number;
  /** The kind's recipe (`--recipe`), absent for plain gradient training. */
  kindRecipe?: Recipe;
  /** An analytic recipe's core-trained backbone, loaded (the caller disposes it). */
  backbone?: Checkpoint;
}

export interface Run {
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

/** A fitted model with what its checkpoint records beyond the common fields. */
export interface Fitted {
  model: Model;
  meta: Pick<NewMeta, 'arch' | 'kind' | 'head' | 'params' | 'core'>;
  files: Record<string, Uint8Array>;
  losses: number[];
  /** What the recipe did not use, said to the user. */
  note?: string;
}

/** A checkpoint's kind state, as loadCheckpoint returns it. */
export type KindState = Partial<Pick<Checkpoint, 'head' | 'shards'>>;

export interface KindOps {
  fit(ds: Dataset, trainIds: Int32Array, a: FitArgs, run: Run): Promise<Fitted>;
  /** Reads the state beside the weights, checking it; a checkpoint of this kind without it is an error. */
  load(dir: string, meta: Meta): KindState;
  /** The state a method's result carries (attachHead, attachShards), as a loaded checkpoint would hold it. */
  stateOf(model: Model): KindState;
  /** The meta fields and files of a checkpoint a method made from an original of this kind. */
  derive(original: Meta, model: Model): { meta: Partial<NewMeta>; files: Record<string, Uint8Array> };
  /** The exact reference: the model this kind would hold had it never seen the forget set. */
  refit(ctx: UnlearnContext, epochs: number | undefined): Promise<Model>;
  /**
   * The ids a method's result was trained on, when the kind knows better than "the original's minus the forget
   * set" (a sharded model serving shorter prefixes holds fewer).
   */
  trainIds?(model: Model): number[] | undefined;
  /** What deleting `ids` from a checkpoint with this state changes in it (e.g. which shards and slices), for the ledger. */
  touched?(state: KindState, ids: ArrayLike<number>): string[];
  /** Lines that describe a result of this kind to the user (e.g. which prefixes are live). */
  describe?(model: Model): string[];
}

export const defineKindOps = (ops: KindOps) => ops;
