// The analytic model as a TensorFlow.js network, so predict/eval/compare/the UI treat it like any other:
// flatten → a fixed seeded random ReLU layer G(x) = ReLU(W_rand·x) (ACIL's RandomBuffer, never trained) → a
// linear `logits` layer whose weights are a float32 copy of the float64 ridge head W (its bias row is the
// head's last row: the features carry an appended 1). A core-trained backbone in front of G is the next step.
import * as tfc from '@tensorflow/tfjs-core';
import { featureSize, type Subset } from '../../data/dataset.ts';
import { subSeed } from '../../shared/random.ts';
import { flat, tf, type Model } from '../layers.ts';
import type { Head } from './ridge.ts';

/** The random-feature layer: a `dense…` name, so CKA and the embedding view read it as the penultimate representation. */
export const FEATURES_LAYER = 'dense_features';

/** The architecture name an analytic checkpoint records: buildModel rebuilds the network from it. */
export const analyticArch = (dim: number) => `random-features-${dim}`;

export function analyticDim(arch: string): number | undefined {
  const m = /^random-features-([1-9]\d*)$/.exec(arch);
  return m ? Number(m[1]) : undefined;
}

export function randomFeatures(inputShape: number[], numClasses: number, seed: number, dim: number): Model {
  const input = tf.input({ shape: inputShape });
  let h = flat(input);
  h = tf.layers.dense({
    units: dim, activation: 'relu', useBias: false, trainable: false, name: FEATURES_LAYER,
    kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(featureSize(inputShape)), seed: subSeed(seed, 'random-features') }),
  }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: 'zeros', name: 'logits' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'analytic' });
}

/**
 * The feature map [G(x), 1] of the network's random layer, in float64: rows (b×(D+1)) of samples [from, to).
 * Computed here rather than by the backend, whose float32 result can depend on where a row sits in its batch:
 * a deleted row must give bit for bit the features it was learned with, or the downdate is not exact.
 */
export function featureMap(model: Model): (data: Subset, from: number, to: number) => Float64Array {
  const layer = model.getLayer(FEATURES_LAYER);
  const [kernel] = layer.getWeights();
  const [d, dim] = kernel.shape;
  const K = Float64Array.from(kernel.dataSync());
  const p = dim + 1;
  return (data, from, to) => {
    if (featureSize(data.inputShape) !== d) throw new Error(`analytic features take ${d} inputs, the data has ${featureSize(data.inputShape)}`);
    const b = to - from;
    const F = new Float64Array(b * p);
    const g = new Float64Array(dim);
    for (let r = 0; r < b; r++) {
      g.fill(0);
      const xo = (from + r) * d;
      for (let t = 0; t < d; t++) {
        const a = data.x[xo + t];
        if (a === 0) continue;
        const ko = t * dim;
        for (let j = 0; j < dim; j++) g[j] += a * K[ko + j];
      }
      const fo = r * p;
      for (let j = 0; j < dim; j++) F[fo + j] = g[j] > 0 ? g[j] : 0;
      F[fo + dim] = 1;
    }
    return F;
  };
}

/** Writes the head's W into the `logits` layer (float32): kernel = rows 0..D−1, bias = row D. */
export function setHeadWeights(model: Model, h: Head) {
  const dim = h.p - 1;
  const layer = model.getLayer('logits');
  const kernel = Float32Array.from(h.W.subarray(0, dim * h.c));
  const bias = Float32Array.from(h.W.subarray(dim * h.c));
  const tensors = [tfc.tensor2d(kernel, [dim, h.c]), tfc.tensor1d(bias)];
  layer.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}
