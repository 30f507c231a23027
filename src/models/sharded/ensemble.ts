// A sharded model as one TensorFlow.js network, so predict/eval/compare/the UI treat it like any other: the live
// constituents side by side on one input (their layers renamed m0_…, m1_…), joined by a layer whose output is
// log(mean softmax). Its softmax is the mean of the constituents' softmax outputs, the ensemble's prediction.
import * as tfc from '@tensorflow/tfjs-core';
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

const prefix = (i: number, name: string) => `m${i}_${name}`;

type LayerConfig = { name: string; className: string; config: Record<string, unknown>; inboundNodes: unknown[][][] };

/**
 * The ensemble of `members` (models of one architecture): their weights are copied in, the members are left to
 * the caller. Built from the members' layer configurations, so it works for any functional architecture.
 */
export function ensembleOf(members: Model[]): Model {
  if (!members.length) throw new Error('an ensemble needs at least one live constituent');
  const first = members[0].getConfig() as unknown as { layers: LayerConfig[]; inputLayers: [string, number, number][]; outputLayers: [string, number, number][] };
  const inputName = first.inputLayers[0][0];
  const input = first.layers.find((l) => l.name === inputName)!;
  const layers: LayerConfig[] = [{ ...input, name: 'input', config: { ...input.config, name: 'input' } }];
  const outputs: unknown[] = [];
  members.forEach((m, i) => {
    const c = m.getConfig() as unknown as typeof first;
    const rename = (n: string) => (n === c.inputLayers[0][0] ? 'input' : prefix(i, n));
    for (const l of c.layers) {
      if (l.name === c.inputLayers[0][0]) continue;
      layers.push({
        ...l,
        name: prefix(i, l.name),
        config: { ...l.config, name: prefix(i, l.name) },
        inboundNodes: l.inboundNodes.map((node) => node.map(([n, ...rest]) => [rename(n as string), ...rest])),
      });
    }
    outputs.push([prefix(i, c.outputLayers[0][0]), 0, 0, {}]);
  });
  layers.push({ name: 'logits', className: MeanSoftmax.className, config: { name: 'logits', trainable: false }, inboundNodes: [outputs as unknown[][]] });
  const config = { name: 'ensemble', layers, inputLayers: [['input', 0, 0]], outputLayers: [['logits', 0, 0]] };
  // fastWeightInit: the initialisers are skipped, every weight is copied in below.
  const fromConfig = tf.LayersModel.fromConfig as unknown as (cls: unknown, c: unknown, custom: object, fast: boolean) => Model;
  const model = fromConfig(tf.LayersModel, config, {}, true);
  members.forEach((m, i) => {
    for (const l of m.layers) {
      const w = l.getWeights();
      if (w.length) model.getLayer(prefix(i, l.name)).setWeights(w);
    }
  });
  return model;
}
