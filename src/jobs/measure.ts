// Everything evaluation needs from a model, as plain arrays: probabilities, layer activations, relearning.
import * as tfc from '@tensorflow/tfjs-core';
import { subset, type Dataset, type Subset } from '../data/dataset.ts';
import { rng, subSeed } from '../data/rng.ts';
import { tf, type Model } from '../models/layers.ts';
import { representationLayers } from '../models/registry.ts';
import { makeBatch } from '../train/batches.ts';
import { crossEntropy } from '../train/loss.ts';
import { predictProbs } from '../train/predict.ts';
import { forwardTrain, makeOptimizer, step, trainableVars } from '../train/step.ts';
import { accuracy } from '../eval/accuracy.ts';

export interface Activations {
  layers: string[];
  /** Per layer: n × dims[i] row-major. */
  values: Float32Array[];
  dims: number[];
}

/** Outputs of the representation layers (and the penultimate one) on a sample, in one forward pass. */
export function activations(model: Model, data: Subset): Activations {
  const layers = representationLayers(model);
  // A view over the same layers: never dispose it, the weights belong to `model`.
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => model.getLayer(l).output as tf.SymbolicTensor) });
  const all = Array.from({ length: data.y.length }, (_, i) => i);
  const outs = tfc.tidy(() => {
    const res = probe.predict(makeBatch(data, Int32Array.from(all)).x) as tfc.Tensor | tfc.Tensor[];
    return (Array.isArray(res) ? res : [res]).map((t) => tfc.reshape(t, [data.y.length, -1]));
  });
  const values = outs.map((t) => t.dataSync() as Float32Array);
  const dims = outs.map((t) => t.shape[1]!);
  tfc.dispose(outs);
  return { layers, values, dims };
}

/** The layer right before the logits: the features the embedding view projects. */
export function penultimate(acts: Activations): { values: Float32Array; dim: number } {
  const i = acts.layers.length - 2;
  return { values: acts.values[i], dim: acts.dims[i] };
}

/**
 * Relearning attack (Hu et al. 2024; Lynch et al. 2024): fine-tune a copy on a few forget samples for a few
 * steps and measure how much forget accuracy returns. A method that only hid the data relearns fast.
 */
export function relearnAttack(model: Model, copy: Model, forget: Subset, ds: Dataset, { samples = 32, steps = 10, lr = 1e-3, seed = 0 } = {}): number {
  copy.setWeights(model.getWeights());
  const vars = trainableVars(copy);
  const opt = makeOptimizer({ optimizer: 'adam', lr });
  const order = Int32Array.from({ length: forget.y.length }, (_, i) => i);
  const random = rng(subSeed(seed, 'relearn'));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const few = subset(ds, order.subarray(0, Math.min(samples, order.length)).map((i) => forget.ids[i]));
  const idx = Int32Array.from({ length: few.y.length }, (_, i) => i);
  for (let s = 0; s < steps; s++) {
    tfc.tidy(() => {
      const b = makeBatch(few, idx);
      step(opt, vars, () => crossEntropy(forwardTrain(copy, b.x), b.y));
    });
  }
  opt.dispose();
  return accuracy(predictProbs(copy, forget), forget.y, forget.numClasses);
}
