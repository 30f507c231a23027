// Checkpoints: a folder with model.json + weights.bin (TensorFlow.js layers format) + meta.json.
// Written to a temporary folder and renamed, so a crash never leaves half a checkpoint.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { hashIds } from '../data/dataset.ts';
import type { Head } from './analytic/ridge.ts';
import { HEAD_FILE } from './analytic/state.ts';
import { kindOps } from './kinds.ts';
import { encodeManifest, MANIFEST_FILE } from './manifest.ts';
import { MetaSchema, readJson, readMeta, type Meta, type NewMeta } from './meta.ts';
import type { ShardState } from './sharded/state.ts';
import './sharded/ensemble.ts'; // registers the ensemble's layer class, so sharded checkpoints load
import { LETHE_VERSION } from './version.ts';
import { failpoint } from '../shared/failpoint.ts';
import { tf, type Model } from './layers.ts';

export { LETHE_VERSION };
export { MetaSchema, readMeta, TrainRecipeSchema, type Meta, type NewMeta, type TrainRecipe } from './meta.ts';

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
    failpoint('writing');
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
