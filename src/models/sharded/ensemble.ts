// A sharded model as one TensorFlow.js network, so predict/eval/compare/the UI treat it like any other: the live
// constituents side by side on one input (their layers renamed m0_…, m1_…), joined by a layer whose output is
// log(mean softmax). Its softmax is the mean of the constituents' softmax outputs, the ensemble's prediction.
import * as tfc from '@tensorflow/tfjs-core';
import { copyWeights, fromLayers, inlineLayers, inputLayer, type LayerConfig } from '../graph.ts';
import { tf, type Model } from '../layers.ts';

/** log of the mean of its inputs' softmax: logits whose softmax is the ensemble's mean probability. */
export class MeanSoftmax extends tf.layers.Layer {
  static className = 'LetheMeanSoftmax';

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      const mean = tfc.div(tfc.addN(xs.map((x) => tfc.softmax(x))), xs.length);
      return tfc.log(tfc.maximum(mean, 1e-30));
    });
  }
}
tfc.serialization.registerClass(MeanSoftmax);

/** The architecture name a sharded checkpoint records: `ensemble-<live constituents>-<arch>`. */
export const ensembleArch = (live: number, arch: string) => `ensemble-${live}-${arch}`;

export function parseEnsembleArch(arch: string): { live: number; arch: string } | undefined {
  const m = /^ensemble-([1-9]\d*)-(.+)$/.exec(arch);
  return m ? { live: Number(m[1]), arch: m[2] } : undefined;
}

/**
 * The ensemble of `members` (models of one architecture): their weights are copied in, the members are left to
 * the caller. Built from the members' layer configurations (./../graph.ts), so it works for any functional architecture.
 */
export function ensembleOf(members: Model[]): Model {
  if (!members.length) throw new Error('an ensemble needs at least one live constituent');
  const layers: LayerConfig[] = [inputLayer(members[0], 'input')];
  const outputs: unknown[][] = [];
  members.forEach((m, i) => {
    const inlined = inlineLayers(m, `m${i}_`, 'input');
    layers.push(...inlined.layers);
    outputs.push([inlined.output, 0, 0, {}]);
  });
  layers.push({ name: 'logits', className: MeanSoftmax.className, config: { name: 'logits', trainable: false }, inboundNodes: [outputs] });
  const model = fromLayers('ensemble', layers, 'input', 'logits');
  members.forEach((m, i) => copyWeights(m, model, `m${i}_`));
  return model;
}
