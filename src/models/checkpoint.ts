// Checkpoints: a folder with model.json + weights.bin (TensorFlow.js layers format) + meta.json.
// Written to a temporary folder and renamed, so a crash never leaves half a checkpoint.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { hashIds } from '../data/dataset.ts';
import { ForgetSpecSchema } from '../data/forget/index.ts';
import type { Head } from './analytic/ridge.ts';
import { HEAD_FILE } from './analytic/state.ts';
import { kindOps, MODEL_KIND_NAMES } from './kinds.ts';
import { encodeManifest, ManifestSchema, MANIFEST_FILE } from './manifest.ts';
import type { ShardState } from './sharded/state.ts';
import './sharded/ensemble.ts'; // registers the ensemble's layer class, so sharded checkpoints load
import { LETHE_VERSION } from './version.ts';
import { tf, type Model } from './layers.ts';

export { LETHE_VERSION };

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
  dataset: z.object({ name: z.string(), trainSize: z.number().int().optional(), labelColumn: z.string().optional() }),
  inputShape: z.array(z.number().int()),
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
export type NewMeta = Omit<Meta, 'id' | 'created' | 'version' | 'kind' | 'trainHash' | 'manifest'> & Partial<Pick<Meta, 'id' | 'kind' | 'trainHash'>>
  & { trainIds?: ArrayLike<number> };

export interface Checkpoint {
  dir: string;
  model: Model;
  meta: Meta;
  /** An analytic checkpoint's float64 head state. */
  head?: Head;
  /** A sharded checkpoint's plan and prefix weights. */
  shards?: ShardState;
}

/**
 * Writes a checkpoint atomically; replaces an existing one at `dir` only once the new one is complete.
 * `files` are a model kind's extra files (name → bytes), written into the same temporary folder.
 */
export async function saveCheckpoint(dir: string, model: Model, newMeta: NewMeta, files: Record<string, Uint8Array> = {}): Promise<Meta> {
  const { trainIds, ...meta } = newMeta;
  const manifest = trainIds && encodeManifest(trainIds);
  if (manifest) files = { ...files, [MANIFEST_FILE]: manifest.file };
  const full: Meta = MetaSchema.parse({
    ...meta, trainHash: trainIds ? hashIds(trainIds) : meta.trainHash ?? '', ...(manifest ? { manifest: manifest.info } : {}),
    id: meta.id ?? randomUUID(), created: new Date().toISOString(), version: LETHE_VERSION,
  });
  if (full.kind === 'analytic' && (!full.head || !files[HEAD_FILE])) throw new Error(`an analytic checkpoint needs its head (meta.head and ${HEAD_FILE})`);
  if (full.kind !== 'analytic' && full.head) throw new Error(`a ${full.kind} checkpoint has no analytic head`);
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`);
  mkdirSync(tmp);
  try {
    await model.save(tfc.io.withSaveHandler(async (artifacts) => {
      const weights = tfc.io.CompositeArrayBuffer.join(artifacts.weightData!);
      writeFileSync(join(tmp, 'weights.bin'), Buffer.from(weights));
      writeFileSync(join(tmp, 'model.json'), JSON.stringify({
        format: 'layers-model',
        generatedBy: `lethe ${LETHE_VERSION}`,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    for (const [name, bytes] of Object.entries(files)) {
      if (!/^[\w.-]+$/.test(name) || ['model.json', 'weights.bin', 'meta.json'].includes(name)) throw new Error(`bad checkpoint file name "${name}"`);
      writeFileSync(join(tmp, name), bytes);
    }
    writeFileSync(join(tmp, 'meta.json'), JSON.stringify(full, null, 2) + '\n');
    if (existsSync(target)) {
      const old = `${tmp}.old`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return full;
}

function readJson(path: string, what: string): unknown {
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

export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const target = resolve(dir);
  const meta = readMeta(dir);
  const json = readJson(join(target, 'model.json'), 'model.json') as {
    modelTopology?: object;
    weightsManifest?: { weights: tfc.io.WeightsManifestEntry[] }[];
  };
  if (!json.modelTopology || !json.weightsManifest?.[0]?.weights) throw new Error(`checkpoint ${dir}: model.json has no topology or weights manifest`);
  const specs = json.weightsManifest[0].weights;
  const wpath = join(target, 'weights.bin');
  if (!existsSync(wpath)) throw new Error(`checkpoint ${dir}: missing weights.bin`);
  const buf = readFileSync(wpath);
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (buf.length !== expected) throw new Error(`checkpoint ${dir}: weights.bin has ${buf.length} bytes, model.json needs ${expected}`);
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  let model: Model;
  try {
    model = await tf.loadLayersModel(tfc.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
  } catch (e) {
    throw new Error(`checkpoint ${dir}: cannot build the model (${(e as Error).message})`);
  }
  try {
    return { dir: target, model, meta, ...(await kindOps(meta.kind)).load(target, meta) };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
