// Inference in batches: softmax probabilities as one flat Float32Array (n × k, row-major).
import * as tfc from '@tensorflow/tfjs-core';
import type { Subset } from '../data/dataset.ts';
import type { Model } from '../models/layers.ts';
import { batchIndices, epochOrder, makeBatch } from './batches.ts';

export function predictProbs(model: Model, data: Subset, batchSize = 1000): Float32Array {
  return predict(model, data, batchSize, true);
}

/** The logits (the model's outputs before the softmax), n × k row-major. */
export function predictLogits(model: Model, data: Subset, batchSize = 1000): Float32Array {
  return predict(model, data, batchSize, false);
}

function predict(model: Model, data: Subset, batchSize: number, softmax: boolean): Float32Array {
  const k = data.numClasses;
  const out = new Float32Array(data.y.length * k);
  let at = 0;
  for (const index of batchIndices(epochOrder(data.y.length, null), batchSize)) {
    const probs = tfc.tidy(() => {
      const logits = model.apply(makeBatch(data, index).x, { training: false }) as tfc.Tensor;
      return softmax ? tfc.softmax(logits) : logits;
    });
    out.set(probs.dataSync() as Float32Array, at);
    at += index.length * k;
    probs.dispose();
  }
  return out;
}

