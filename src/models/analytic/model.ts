// The analytic model as a TensorFlow.js network, so predict/eval/compare/the UI treat it like any other:
// [flatten | a frozen backbone] → a fixed seeded random ReLU layer G(x) = ReLU(W_rand·x) (ACIL's RandomBuffer, never trained) → a
// linear `logits` layer whose weights are a float32 copy of the float64 ridge head W (its bias row is the
// head's last row: the features carry an appended 1). With a core-trained backbone (a Lethe checkpoint trained only on
// data declared non-deletable), G reads the backbone's penultimate features instead of the input.
import * as tfc from '@tensorflow/tfjs-core';
import { featureSize, type Subset } from '../../data/dataset.ts';
import { subSeed } from '../../shared/random.ts';
import { copyWeights, fromLayers, inlineLayers, inputLayer } from '../graph.ts';
import { flat, tf, type Model } from '../layers.ts';
import type { Head } from './ridge.ts';

/** The random-feature layer: a `dense…` name, so CKA and the embedding view read it as the penultimate representation. */
export const FEATURES_LAYER = 'dense_features';
/** The prefix of a core-trained backbone's layers inside an analytic network. */
export const BACKBONE_PREFIX = 'backbone_';

/** The architecture name an analytic checkpoint records: buildModel rebuilds the network from it (not one with a backbone). */
export const analyticArch = (dim: number, backbone?: string) => (backbone ? `${backbone}-features-${dim}` : `random-features-${dim}`);

export function analyticDim(arch: string): number | undefined {
  const m = /^random-features-([1-9]\d*)$/.exec(arch);
  return m ? Number(m[1]) : undefined;
}

/**
 * The analytic network: [a frozen backbone up to its penultimate layer →] a fixed seeded random ReLU layer of `dim`
 * units → a linear `logits` layer that holds the ridge head. Without a backbone the random layer reads the flat input.
 */
export function randomFeatures(inputShape: number[], numClasses: number, seed: number, dim: number, backbone?: Model): Model {
  let input: tf.SymbolicTensor;
  let h: tf.SymbolicTensor;
  if (backbone) {
    const inlined = inlineLayers(backbone, BACKBONE_PREFIX, 'input', { penultimate: true });
    const body = fromLayers('backbone', [inputLayer(backbone, 'input'), ...inlined.layers], 'input', inlined.output);
    copyWeights(backbone, body, BACKBONE_PREFIX);
    for (const l of body.layers) l.trainable = false;
    input = body.inputs[0];
    h = body.outputs[0];
    if (h.shape.length > 2) h = tf.layers.flatten({ name: `${BACKBONE_PREFIX}flat` }).apply(h) as tf.SymbolicTensor;
  } else {
    input = tf.input({ shape: inputShape });
    h = flat(input);
  }
  const inputs = h.shape[h.shape.length - 1] as number;
  h = tf.layers.dense({
    units: dim, activation: 'relu', useBias: false, trainable: false, name: FEATURES_LAYER,
    kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(inputs), seed: subSeed(seed, 'random-features') }),
  }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: 'zeros', name: 'logits' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'analytic' });
}

/**
 * The feature map [G(z(x)), 1] of the network's random layer, in float64: rows (b×(D+1)) of samples [from, to),
 * z the flat input or the backbone's features. G is computed here rather than by the backend, whose float32 result
 * can depend on where a row sits in its batch: a deleted row must give bit for bit the features it was learned
 * with, or the downdate is not exact. For the same reason a backbone reads one row at a time.
 */
export function featureMap(model: Model): (data: Subset, from: number, to: number) => Float64Array {
  const layer = model.getLayer(FEATURES_LAYER);
  const [kernel] = layer.getWeights();
  const [d, dim] = kernel.shape;
  const K = Float64Array.from(kernel.dataSync());
  const p = dim + 1;
  const hasBackbone = model.layers.some((l) => l.name.startsWith(BACKBONE_PREFIX));
  // A view over the network up to the random layer's input: never disposed, the weights belong to `model`.
  const backbone = hasBackbone ? tf.model({ inputs: model.inputs, outputs: layer.input as tf.SymbolicTensor }) : undefined;
  return (data, from, to) => {
    const size = featureSize(data.inputShape);
    if (!backbone && size !== d) throw new Error(`analytic features take ${d} inputs, the data has ${size}`);
    const b = to - from;
    const F = new Float64Array(b * p);
    const g = new Float64Array(dim);
    for (let r = 0; r < b; r++) {
      let z: ArrayLike<number>;
      let zo = 0;
      if (backbone) {
        const row = tfc.tensor(data.x.subarray((from + r) * size, (from + r + 1) * size), [1, ...data.inputShape]);
        const out = backbone.predict(row) as tfc.Tensor;
        z = out.dataSync();
        tfc.dispose([row, out]);
      } else {
        z = data.x;
        zo = (from + r) * d;
      }
      g.fill(0);
      for (let t = 0; t < d; t++) {
        const a = z[zo + t];
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
