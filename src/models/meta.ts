// A checkpoint's meta.json: its schema and reader. Light on purpose (zod and node:fs, no TensorFlow.js), so the
// commands that only read records (lineage, the ledger) start fast; ./checkpoint.ts reads and writes the weights.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ForgetSpecSchema } from '../data/forget/index.ts';
import { TASK_NAMES } from '../data/tasks.ts';
import { MODEL_KIND_NAMES } from './kinds.ts';
import { ManifestSchema } from './manifest.ts';

export const TrainRecipeSchema = z.object({
  epochs: z.number().int().nonnegative(),
  batchSize: z.number().int().positive(),
  optimizer: z.enum(['sgd', 'adam']),
  lr: z.number().positive(),
  weightDecay: z.number().nonnegative(),
  momentum: z.number().min(0).lt(1),
});
export type TrainRecipe = z.infer<typeof TrainRecipeSchema>;

export const MetaSchema = z.object({
  id: z.string(),
  parent: z.string().nullable(),
  /** Checkpoints written before model kinds existed are single networks. */
  kind: z.enum(MODEL_KIND_NAMES).default('single'),
  arch: z.string(),
  dataset: z.object({ name: z.string(), trainSize: z.number().int().optional(), labelColumn: z.string().optional(), targetColumn: z.string().optional() }),
  inputShape: z.array(z.number().int()),
  /** What the model predicts (src/data/tasks.ts); checkpoints from before regression are classifiers. numClasses is its output count (1 for regression). */
  task: z.enum(TASK_NAMES).default('classification'),
  numClasses: z.number().int(),
  seed: z.number().int(),
  trainHash: z.string(),
  /** The training manifest's id count and SHA-256 (ids in manifest.bin); checkpoints from before manifests have none. */
  manifest: ManifestSchema.optional(),
  recipe: TrainRecipeSchema,
  /** An analytic checkpoint's head: its random-feature dimension, ridge γ, feature seed and rows learned (state in head.bin). */
  head: z.object({
    dim: z.number().int().positive(), gamma: z.number().positive(), featureSeed: z.number().int(), rows: z.number().int().nonnegative(),
    /** The id of the core-trained backbone in front of the random features, if any. */
    backbone: z.string().optional(),
  }).optional(),
  /**
   * Data declared non-deletable: the model (or its backbone) was trained on exactly these samples, and no
   * deletion may touch them (an analytic head is exact only for data its backbone never saw).
   */
  core: ForgetSpecSchema.optional(),
  method: z.string(),
  /**
   * Where an imported model came from (lethe import --onnx): the file, the SHA-256 of its bytes, the producer,
   * the opset, the graph's input and output, and whether a final softmax was dropped (Lethe's models output logits).
   */
  source: z.object({
    format: z.literal('onnx'), file: z.string(), sha256: z.string(), producer: z.string(), producerVersion: z.string(),
    opset: z.number().int(), irVersion: z.number().int(), input: z.string(), output: z.string(), softmaxDropped: z.boolean(),
  }).optional(),
  params: z.record(z.string(), z.unknown()),
  forget: ForgetSpecSchema.nullable(),
  metrics: z.record(z.string(), z.number()).default({}),
  created: z.string(),
  version: z.string(),
});
export type Meta = z.infer<typeof MetaSchema>;
/**
 * What a caller gives: `trainIds`, every sample the weights were derived from, becomes the training manifest
 * (manifest.bin and meta.manifest) and the legacy `trainHash`.
 */
export type NewMeta = Omit<Meta, 'id' | 'created' | 'version' | 'kind' | 'task' | 'trainHash' | 'manifest'> & Partial<Pick<Meta, 'id' | 'kind' | 'task' | 'trainHash'>>
  & { trainIds?: ArrayLike<number> };

export function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new Error(`checkpoint ${dirname(path)}: missing ${what}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`checkpoint ${dirname(path)}: ${what} is corrupt (${(e as Error).message})`);
  }
}

export function readMeta(dir: string): Meta {
  const target = resolve(dir);
  if (!existsSync(target)) throw new Error(`no checkpoint at ${dir}`);
  const parsed = MetaSchema.safeParse(readJson(join(target, 'meta.json'), 'meta.json'));
  if (!parsed.success) throw new Error(`checkpoint ${dir}: meta.json is invalid (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  return parsed.data;
}

