// Building blocks that the methods share: a copy of the original, seeded batch streams, a step loop.
import * as tfc from '@tensorflow/tfjs-core';
import type { Subset } from '../data/dataset.ts';
import { rng, subSeed } from '../shared/random.ts';
import { copyOf } from '../models/graph.ts';
import { tf, type Model } from '../models/layers.ts';
import { representationLayers } from '../models/registry.ts';
import { epochOrder, makeBatch, type Batch } from '../train/batches.ts';
import { checkpointAbort } from '../train/progress.ts';
import { makeOptimizer, trainableVars } from '../train/step.ts';
import type { UnlearnContext } from './method.ts';

/** A fresh model with the original's graph and a copy of all its weights (batch-norm statistics included). */
export function cloneModel(ctx: UnlearnContext): Model {
  return copyOf(ctx.original);
}

/**
 * A view of `model` from its input to the layer that feeds its output layer: the penultimate representation (the
 * "embedding" of representation-level methods). It shares `model`'s weights, so a gradient through it trains them;
 * never dispose it. A model whose output reads its input directly has no such layer: an error naming the model.
 */
export function penultimateView(model: Model): Model {
  const out = model.outputLayers[0];
  const feeding = out?.inboundNodes[0]?.inboundLayers[0];
  if (!feeding || model.inputLayers.includes(feeding)) throw new Error(`model ${model.name} has no layer before its output to read a representation from`);
  return tf.model({ inputs: model.inputs, outputs: feeding.output as tf.SymbolicTensor });
}

/**
 * A view of `model` that outputs its hidden representation layers (src/models/registry.ts, the output layer left
 * out) and then its output, in one pass: what attention transfer reads. It shares `model`'s weights; never dispose it.
 */
export function hiddenView(model: Model): Model {
  const out = model.outputLayers[0];
  const hidden = representationLayers(model).map((n) => model.getLayer(n)).filter((l) => l !== out);
  return tf.model({ inputs: model.inputs, outputs: [...hidden.map((l) => l.output as tf.SymbolicTensor), model.outputs[0]] });
}

/**
 * A copy of the original that `work` changes in place (e.g. by dampening or a Newton step), returned when `work`
 * is done. The copy is freed if `work` throws (a cancel included), so nothing is left behind.
 */
export async function editCopy(ctx: UnlearnContext, work: (model: Model, vars: tfc.Variable[]) => Promise<void>): Promise<Model> {
  const model = cloneModel(ctx);
  try {
    await work(model, trainableVars(model));
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** The shape of every fine-tuning method: editCopy with a fresh Adam optimizer over the copy's weights, always freed. */
export async function tuneCopy(
  ctx: UnlearnContext, lr: number, work: (model: Model, vars: tfc.Variable[], opt: tfc.Optimizer) => Promise<void>,
): Promise<Model> {
  const opt = makeOptimizer({ optimizer: 'adam', lr });
  try {
    return await editCopy(ctx, (model, vars) => work(model, vars, opt));
  } finally {
    opt.dispose();
  }
}

/** An endless stream of seeded shuffled mini-batches over `data` (reshuffled every pass). */
export function batchStream(data: Subset, batchSize: number, seed: number, stream: string) {
  let pass = 0;
  let order = epochOrder(data.y.length, subSeed(seed, `${stream}:0`));
  let at = 0;
  const size = Math.min(batchSize, data.y.length);
  return {
    /** Indices of the next batch, within `data`. */
    nextIndex(): Int32Array {
      if (at + size > order.length) {
        pass++;
        order = epochOrder(data.y.length, subSeed(seed, `${stream}:${pass}`));
        at = 0;
      }
      const idx = order.subarray(at, at + size);
      at += size;
      return idx;
    },
    /** The next batch as tensors; call inside tidy or dispose. */
    next(): Batch {
      return makeBatch(data, this.nextIndex());
    },
  };
}

/** Steps per pass over `n` samples. */
export const stepsFor = (n: number, batchSize: number) => Math.max(1, Math.ceil(n / batchSize));

/**
 * Runs `total` steps of `body`, reporting progress under the method's name and honouring cancel.
 * `body` returns the step's loss.
 */
export async function loop(ctx: UnlearnContext, phase: string, total: number, body: (i: number) => number | Promise<number>) {
  for (let i = 0; i < total; i++) {
    await checkpointAbort(ctx.signal, phase);
    const loss = await body(i);
    ctx.onProgress?.({ phase, done: i + 1, total, loss });
  }
}

/** A seeded uniform source for a method's own random choices. */
export const methodRng = (ctx: UnlearnContext, stream: string) => rng(subSeed(ctx.seed, stream));

/** Random labels different from the true ones (the "random labelling" of Golatkar et al. / SalUn). */
export function randomOtherLabels(y: Int32Array, k: number, random: () => number): Int32Array {
  return Int32Array.from(y, (label) => (label + 1 + Math.floor(random() * (k - 1))) % k);
}

/**
 * softmax((logits + mask)/T) of a read-only model in inference mode: a distillation target, outside any gradient
 * tape's varList. `logitMask` ([1, K], 0 or a large negative number per class) takes classes out of the target.
 */
export function softTargets(teacher: Model, x: tfc.Tensor, temperature: number, logitMask?: tfc.Tensor): tfc.Tensor {
  return tfc.tidy(() => {
    const logits = teacher.apply(x, { training: false }) as tfc.Tensor;
    return tfc.softmax(tfc.div(logitMask ? tfc.add(logits, logitMask) : logits, temperature));
  });
}

/** Hinton's distillation loss KL(teacher ‖ student) at temperature T, times T² (gradient scale independent of T), batch mean. */
export function distillKL(studentLogits: tfc.Tensor, teacherProbs: tfc.Tensor, temperature: number): tfc.Scalar {
  const logQ = tfc.logSoftmax(tfc.div(studentLogits, temperature));
  const logP = tfc.log(tfc.maximum(teacherProbs, 1e-12));
  const kl = tfc.sum(tfc.mul(teacherProbs, tfc.sub(logP, logQ)), -1);
  return tfc.mul(temperature * temperature, tfc.mean(kl)) as tfc.Scalar;
}

export { tfc };
