// Seeded mini-batches from a materialised subset.
import * as tfc from '@tensorflow/tfjs-core';
import { featureSize, type Subset } from '../data/dataset.ts';
import { rng, shuffle } from '../shared/random.ts';

export interface Batch {
  x: tfc.Tensor;
  /** Class labels (int32), or a regression subset's targets standardised (float32, (t − mean)/sd): fitLoss reads either. */
  y: tfc.Tensor1D;
  /** Positions of the batch's samples within the subset. */
  index: Int32Array;
}

/** Row order for one epoch: a fresh seeded shuffle, or the identity when `seed` is null. */
export function epochOrder(n: number, seed: number | null): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return seed === null ? order : shuffle(order, rng(seed));
}

/** Copies the rows `index` of `data` into tensors. The caller disposes them (or runs inside tidy). */
export function makeBatch(data: Subset, index: Int32Array): Batch {
  const d = featureSize(data.inputShape);
  const x = new Float32Array(index.length * d);
  const y = data.target ? new Float32Array(index.length) : new Int32Array(index.length);
  const t = data.targetInfo;
  for (let i = 0; i < index.length; i++) {
    const r = index[i];
    x.set(data.x.subarray(r * d, (r + 1) * d), i * d);
    y[i] = data.target ? (data.target[r] - t!.mean) / t!.sd : data.y[r];
  }
  return { x: tfc.tensor(x, [index.length, ...data.inputShape]), y: tfc.tensor1d(y, data.target ? 'float32' : 'int32'), index };
}

export function* batchIndices(order: Int32Array, batchSize: number): Generator<Int32Array> {
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, start + batchSize);
}

export const stepsPerEpoch = (n: number, batchSize: number) => Math.ceil(n / batchSize);

/** Optimiser steps for `epochs` passes over n samples; a fractional epoch is that share of an epoch's batches. */
export const stepsFor = (n: number, batchSize: number, epochs: number) => Math.round(stepsPerEpoch(n, batchSize) * epochs);
