// Inference in batches: softmax probabilities, logits or any layer's outputs as one flat Float32Array (row-major).
import * as tfc from '@tensorflow/tfjs-core';
import type { Subset } from '../data/dataset.ts';
import type { Model } from '../models/layers.ts';
import { batchIndices, epochOrder, makeBatch } from './batches.ts';

export function predictProbs(model: Model, data: Subset, batchSize = 1000): Float32Array {
  return predict(model, data, batchSize, true);
}

/** A regressor's predictions in the target's own units (the model predicts the standardised target). */
export function predictTargets(model: Model, data: Subset, batchSize = 1000): Float32Array {
  const info = data.targetInfo!;
  return predict(model, data, batchSize, false).map((z) => z * info.sd + info.mean);
}

/**
 * What the metrics read of a model on `data`: softmax probabilities (n × k) for a classifier, its predictions in the
 * target's units (n) for a regressor.
 */
export function predictScores(model: Model, data: Subset, batchSize = 1000): Float32Array {
  return data.target ? predictTargets(model, data, batchSize) : predictProbs(model, data, batchSize);
}

/** The logits (the model's outputs before the softmax), n × k row-major. */
export function predictLogits(model: Model, data: Subset, batchSize = 1000): Float32Array {
  return predict(model, data, batchSize, false);
}

/** A model's outputs of any width (a representation, say: see penultimateView), n × width row-major, and the width. */
export function predictOutputs(model: Model, data: Subset, batchSize = 1000): { values: Float32Array; width: number } {
  const values = predict(model, data, batchSize, false);
  return { values, width: data.y.length ? values.length / data.y.length : 0 };
}

function predict(model: Model, data: Subset, batchSize: number, softmax: boolean): Float32Array {
  let out: Float32Array | undefined;
  let at = 0;
  for (const index of batchIndices(epochOrder(data.y.length, null), batchSize)) {
    const probs = tfc.tidy(() => {
      const logits = model.apply(makeBatch(data, index).x, { training: false }) as tfc.Tensor;
      return softmax ? tfc.softmax(logits) : logits;
    });
    const rows = probs.dataSync() as Float32Array;
    // Sized by the first batch's width: the class count for logits, the layer's width for a representation.
    out ??= new Float32Array(data.y.length * (rows.length / index.length));
    out.set(rows, at);
    at += rows.length;
    probs.dispose();
  }
  return out ?? new Float32Array(0);
}

