// Model graphs as data: copying a model, and inlining one model's layers into another under a name prefix (an
// ensemble's members, an analytic model's backbone). TensorFlow.js cannot save a model nested in a model whose
// layers share names, so the layers are copied flat, from their configurations; works for any functional model.
import { subSeed } from '../shared/random.ts';
import { tf, type Model } from './layers.ts';

export type LayerConfig = { name: string; className: string; config: Record<string, unknown>; inboundNodes: unknown[][][] };
type ModelConfig = { name: string; layers: LayerConfig[]; inputLayers: [string, number, number][]; outputLayers: [string, number, number][] };

const configOf = (m: Model) => m.getConfig() as unknown as ModelConfig;

/** A model from layer configurations; the initialisers are skipped (every weight is copied in afterwards) unless `init`. */
export function fromLayers(name: string, layers: LayerConfig[], input: string, output: string, init = false): Model {
  const fromConfig = tf.LayersModel.fromConfig as unknown as (cls: unknown, c: unknown, custom: object, fast: boolean) => Model;
  return fromConfig(tf.LayersModel, { name, layers, inputLayers: [[input, 0, 0]], outputLayers: [[output, 0, 0]] }, {}, !init);
}

/**
 * `m`'s layers but its input, renamed `prefix + name`, reading from the layer `input` instead of `m`'s input.
 * With `penultimate`, the output layer is left out and the layer feeding it becomes the output.
 */
export function inlineLayers(m: Model, prefix: string, input: string, { penultimate = false } = {}): { layers: LayerConfig[]; output: string } {
  const c = configOf(m);
  const inputName = c.inputLayers[0][0];
  let outName = c.outputLayers[0][0];
  const skip = new Set([inputName]);
  if (penultimate) {
    const out = c.layers.find((l) => l.name === outName)!;
    const feeding = out.inboundNodes[0]?.[0]?.[0] as string | undefined;
    if (!feeding || feeding === inputName) throw new Error(`model ${m.name} has no layer before its output to use as features`);
    skip.add(outName);
    outName = feeding;
  }
  const rename = (n: string) => (n === inputName ? input : prefix + n);
  const layers = c.layers.filter((l) => !skip.has(l.name)).map((l) => ({
    ...l,
    name: prefix + l.name,
    config: { ...l.config, name: prefix + l.name },
    inboundNodes: l.inboundNodes.map((node) => node.map(([n, ...rest]) => [rename(n as string), ...rest])),
  }));
  return { layers, output: prefix + outName };
}

/** The input layer of `m`'s configuration under a new name. */
export function inputLayer(m: Model, name: string): LayerConfig {
  const c = configOf(m);
  const input = c.layers.find((l) => l.name === c.inputLayers[0][0])!;
  return { ...input, name, config: { ...input.config, name } };
}

/** Copies the weights of `from`'s layers into the layers of `into` named `prefix + name` (those that exist). */
export function copyWeights(from: Model, into: Model, prefix: string) {
  for (const l of from.layers) {
    const w = l.getWeights();
    if (!w.length) continue;
    const target = into.layers.find((t) => t.name === prefix + l.name);
    if (target) target.setWeights(w);
  }
}

/** An independent copy of a model: the same graph (any architecture, custom layers included) and weights. */
export function copyOf(m: Model): Model {
  const c = configOf(m);
  const copy = fromLayers(c.name, c.layers, c.inputLayers[0][0], c.outputLayers[0][0]);
  copy.setWeights(m.getWeights());
  return copy;
}

/**
 * A fresh model of `m`'s graph, as a builder of ./layers.ts would make it with `seed`: every kernel Glorot-uniform
 * from its own seeded stream (one per layer with a kernel, in layer order, as seededInit), biases and batch-norm
 * shifts and means zero, scales and variances one. What `retrain` starts from for a graph that no builder of
 * ./registry.ts makes (an imported model).
 */
export function reinitialised(m: Model, seed: number): Model {
  const c = configOf(m);
  let n = 0;
  const layers = c.layers.map((l) => (l.config.kernelInitializer === undefined ? l : {
    ...l,
    config: {
      ...l.config,
      kernelInitializer: { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: subSeed(seed, `layer${n++}`) } },
    },
  }));
  return fromLayers(c.name, layers, c.inputLayers[0][0], c.outputLayers[0][0], true);
}
