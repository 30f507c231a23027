// Per-layer activations of a model on a sample, as plain arrays (for CKA and the embedding view).
import * as tfc from '@tensorflow/tfjs-core';
import type { Subset } from '../data/dataset.ts';
import type { Activations } from '../eval/details.ts';
import { tf, type Model } from '../models/layers.ts';
import { representationLayers } from '../models/registry.ts';
import { makeBatch } from '../train/batches.ts';

/** Outputs of the representation layers (and the penultimate one) on a sample, in one forward pass. */
export function activations(model: Model, data: Subset): Activations {
  const layers = representationLayers(model);
  // A view over the same layers: never dispose it, the weights belong to `model`.
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => model.getLayer(l).output as tf.SymbolicTensor) });
  const all = Int32Array.from({ length: data.y.length }, (_, i) => i);
  const outs = tfc.tidy(() => {
    const res = probe.predict(makeBatch(data, all).x) as tfc.Tensor | tfc.Tensor[];
    return (Array.isArray(res) ? res : [res]).map((t) => tfc.reshape(t, [data.y.length, -1]));
  });
  const values = outs.map((t) => t.dataSync() as Float32Array);
  const dims = outs.map((t) => t.shape[1]!);
  tfc.dispose(outs);
  return { layers, values, dims };
}
