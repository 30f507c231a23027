// What tasks write to the store: the data sets and the models (checkpoints with lineage and metrics).
import { resolve } from 'node:path';
import { idsOfSplit, type Dataset } from '../data/dataset.ts';
import type { DataRef } from '../data/registry.ts';
import type { Meta } from '../models/checkpoint.ts';
import type { Store } from '../store/store.ts';

export function dataKey(ref: DataRef): string {
  // targetColumn only where set: the keys of classification data stay what earlier stores hold.
  return JSON.stringify({ name: ref.name, trainSize: ref.trainSize ?? null, labelColumn: ref.labelColumn ?? null, ...(ref.targetColumn ? { targetColumn: ref.targetColumn } : {}) });
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
    id: meta.id, path: resolve(dir), parent: meta.parent, kind: meta.kind, arch: meta.arch, dataset: dataKey(meta.dataset),
    method: meta.method, params: meta.params, forget: meta.forget, seed: meta.seed, metrics: meta.metrics,
  });
}

/**
 * The data an unlearning run read, and its original once (the original may have been trained elsewhere). An
 * original trained on another data set than the one read here (--data) stays out of the store: its data set
 * cannot be described from here; its id is still its children's parent.
 */
export function recordOriginal(store: Store, dir: string, meta: Meta, data: DataRef, ds: Dataset) {
  recordDataset(store, data, ds);
  if (!store.getModel(meta.id) && dataKey(meta.dataset) === dataKey(data)) recordModel(store, dir, meta);
}
