// `lethe train` as a library function: load data, build, train, checkpoint, record.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hashIds, idsOfSplit, subset, type Dataset } from '../data/dataset.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { saveCheckpoint, type Meta, type TrainRecipe } from '../models/checkpoint.ts';
import { buildModel } from '../models/registry.ts';
import type { Model } from '../models/layers.ts';
import { accuracy } from '../eval/accuracy.ts';
import { predictProbs } from '../train/predict.ts';
import { train } from '../train/train.ts';
import type { Store } from '../store/store.ts';
import type { TaskContext } from './context.ts';

export interface TrainArgs {
  data: DataRef;
  model: string;
  recipe: TrainRecipe;
  seed: number;
  out: string;
}

export interface TrainResult {
  checkpoint: string;
  modelId: string;
  trainAcc: number;
  testAcc: number;
  seconds: number;
  losses: number[];
  backend: string;
}

export function dataKey(ref: DataRef): string {
  return JSON.stringify({ name: ref.name, trainSize: ref.trainSize ?? null, labelColumn: ref.labelColumn ?? null });
}

export function recordDataset(store: Store, ref: DataRef, ds: Dataset) {
  store.recordDataset(dataKey(ref), {
    name: ref.name,
    numClasses: ds.numClasses,
    trainCount: idsOfSplit(ds, 'train').length,
    testCount: idsOfSplit(ds, 'test').length,
  });
}

export function recordModel(store: Store, dir: string, meta: Meta) {
  store.recordModel({
    id: meta.id, path: resolve(dir), parent: meta.parent, arch: meta.arch, dataset: dataKey(meta.dataset),
    method: meta.method, params: meta.params, forget: meta.forget, seed: meta.seed, metrics: meta.metrics,
  });
}

export function splitAccuracy(model: Model, ds: Dataset, ids: Int32Array): number {
  const s = subset(ds, ids);
  return accuracy(predictProbs(model, s), s.y, ds.numClasses);
}

export async function trainTask(args: TrainArgs, ctx: TaskContext = {}): Promise<TrainResult> {
  const { backend } = await initBackend();
  const ds = loadData(args.data);
  const model = buildModel(args.model, ds.inputShape, ds.numClasses, args.seed);
  const trainIds = idsOfSplit(ds, 'train');
  const data = subset(ds, trainIds);
  try {
    const t0 = performance.now();
    const { losses } = await train(model, data, args.recipe, { seed: args.seed, signal: ctx.signal, onProgress: ctx.onProgress });
    const seconds = (performance.now() - t0) / 1000;
    const trainAcc = splitAccuracy(model, ds, trainIds);
    const testAcc = splitAccuracy(model, ds, idsOfSplit(ds, 'test'));
    const meta = await saveCheckpoint(args.out, model, {
      parent: null, arch: args.model, dataset: args.data, inputShape: ds.inputShape, numClasses: ds.numClasses,
      seed: args.seed, trainHash: hashIds(trainIds), recipe: args.recipe, method: 'train', params: {}, forget: null,
      metrics: { trainAcc, testAcc, seconds },
    });
    if (ctx.store) {
      recordDataset(ctx.store, args.data, ds);
      recordModel(ctx.store, args.out, meta);
    }
    return { checkpoint: args.out, modelId: meta.id, trainAcc, testAcc, seconds, losses, backend };
  } finally {
    model.dispose();
  }
}
