// Model kinds: how a checkpoint's model is built, trained and served. Methods declare which kinds they accept;
// `lethe train --recipe <kind>:key=value,…` trains the kinds that have a recipe (single is plain gradient training).
// Light on purpose (zod only): the CLI reads it to start. What each kind does (./kind-ops.ts) loads on first use.
import { z } from 'zod';
import type { KindOps } from './kind-ops.ts';

/** R is (dim+1)² float64: 8192 is about 0.5 GB, the most a checkpoint should hold. */
export const MAX_ANALYTIC_DIM = 8192;
export const MAX_SHARDS = 64;
export const MAX_SLICES = 32;

const int = (what: string, min: number, max: number) => z.number({ error: `${what} must be a number` })
  .int({ error: `${what} must be an integer` })
  .min(min, { error: `${what} must be from ${min} to ${max}` }).max(max, { error: `${what} must be from ${min} to ${max}` });

const AnalyticRecipe = z.object({
  kind: z.literal('analytic'),
  /**
   * random: the features are a seeded random ReLU map of the input; otherwise a checkpoint (a folder on the CLI, a
   * store id over HTTP) trained with --core on data declared non-deletable, whose penultimate layer feeds the map.
   */
  backbone: z.string().min(1).max(1000).default('random'),
  dim: int('dim', 1, MAX_ANALYTIC_DIM).default(2048),
  gamma: z.number({ error: 'gamma must be a number' }).positive({ error: 'gamma must be positive' }).max(1e6, { error: 'gamma must be at most 1e6' }).default(0.1),
  /**
   * Keep each class's Gram matrix (c·(dim+1)² more float64s: 336 MB at dim 2048 and 10 classes) so that a whole class
   * is deleted without reading its rows, at about 1.4× the fitting time.
   */
  classStats: z.boolean({ error: 'classStats must be true or false' }).default(false),
}).strict();

const ShardedRecipe = z.object({
  kind: z.literal('sharded'),
  shards: int('shards', 1, MAX_SHARDS).default(5),
  slices: int('slices', 1, MAX_SLICES).default(4),
  /** S3T's B: cyclic slice orders per shard (1 is SISA). */
  orders: int('orders', 1, MAX_SLICES).default(1),
  /**
   * Epochs per slice stage. budget (SISA's schedule): stage k trains ⌊(k+1)·a⌋ − ⌊k·a⌋ epochs, a = 2E/(L+1), so a
   * shard sees about as many samples as a monolithic model trained E epochs (the last stage at least one); steps: the
   * same budget without rounding, a = 2E/(L+1) epochs, fractional, at every stage (for budgets of a few epochs);
   * stage: E epochs every stage (S3T's).
   */
  schedule: z.enum(['budget', 'steps', 'stage'], { error: 'schedule must be budget, steps or stage' }).default('budget'),
  /** Keep each group's (person's) samples in one shard. */
  byGroup: z.boolean({ error: 'byGroup must be true or false' }).default(false),
}).strict().refine((r) => r.orders <= r.slices, { error: 'orders must be at most slices (cyclic orders: each slice leads one)', path: ['orders'] });

export const MODEL_KINDS = {
  single: {
    summary: 'one network (an architecture of ./registry.ts); approximate methods work on these',
    recipe: undefined,
    ops: () => import('./single-ops.ts').then((m) => m.singleOps),
  },
  analytic: {
    summary: 'a fixed seeded random ReLU feature layer and a float64 ridge head (R, W in head.bin): exact closed-form deletion',
    recipe: AnalyticRecipe,
    ops: () => import('./analytic/ops.ts').then((m) => m.analyticOps),
  },
  sharded: {
    summary: 'an ensemble of S constituents on disjoint shards, each trained slice by slice with a checkpoint per prefix '
      + '(SISA; with orders=B, S3T): exact deletion by retraining one shard from the slice that saw the data',
    recipe: ShardedRecipe,
    ops: () => import('./sharded/ops.ts').then((m) => m.shardedOps),
  },
} as const satisfies Record<string, { summary: string; recipe: z.ZodType | undefined; ops: () => Promise<KindOps> }>;
export type ModelKind = keyof typeof MODEL_KINDS;
export const MODEL_KIND_NAMES = Object.keys(MODEL_KINDS) as [ModelKind, ...ModelKind[]];
export type RecipeKind = { [K in ModelKind]: (typeof MODEL_KINDS)[K]['recipe'] extends undefined ? never : K }[ModelKind];
export type AnalyticRecipe = z.output<typeof AnalyticRecipe>;
export type ShardedRecipe = z.output<typeof ShardedRecipe>;
export type Recipe = AnalyticRecipe | ShardedRecipe;
/** The kinds with a recipe and their schemas, taken from MODEL_KINDS. */
export const RECIPES = Object.fromEntries(
  Object.entries(MODEL_KINDS).flatMap(([kind, k]) => (k.recipe ? [[kind, k.recipe]] : [])),
) as { [K in RecipeKind]: NonNullable<(typeof MODEL_KINDS)[K]['recipe']> };

/** What kind `kind` does (fit, load, derive, refit). */
export const kindOps = (kind: ModelKind): Promise<KindOps> => MODEL_KINDS[kind].ops();
