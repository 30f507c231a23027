// Inference in batches: softmax probabilities as one flat Float32Array (n × k, row-major).
import * as tfc from '@tensorflow/tfjs-core';
import type { Subset } from '../data/dataset.ts';
import type { Model } from '../models/layers.ts';
import { batchIndices, epochOrder, makeBatch } from './batches.ts';

export function predictProbs(model: Model, data: Subset, batchSize = 1000): Float32Array {
  const k = data.numClasses;
  const out = new Float32Array(data.y.length * k);
  let at = 0;
  for (const index of batchIndices(epochOrder(data.y.length, null), batchSize)) {
    const probs = tfc.tidy(() => tfc.softmax(model.apply(makeBatch(data, index).x, { training: false }) as tfc.Tensor));
    out.set(probs.dataSync() as Float32Array, at);
    at += index.length * k;
    probs.dispose();
  }
  return out;
}

