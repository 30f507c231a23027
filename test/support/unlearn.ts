// Test support shared by the methods' behaviour tests (imports vitest, so it lives outside src/): a small trained model, a class-forgetting request, and the bar it must pass.
import { expect } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import { idsOfSplit, subset } from '../../src/data/dataset.ts';
import { resolveForget } from '../../src/data/forget/index.ts';
import { loadData } from '../../src/data/registry.ts';
import { initBackend } from '../../src/engine/backend.ts';
import type { Meta } from '../../src/models/checkpoint.ts';
import type { Model } from '../../src/models/layers.ts';
import { buildModel } from '../../src/models/registry.ts';
import { accuracy } from '../../src/eval/accuracy.ts';
import { predictProbs } from '../../src/train/predict.ts';
import { CancelledError } from '../../src/train/progress.ts';
import { DEFAULT_RECIPE, train } from '../../src/train/train.ts';
import type { UnlearnContext } from '../../src/unlearn/method.ts';

/** An MLP trained 3 epochs on the synthetic set (seed 1), and the request to forget its class 1. */
export const syntheticClassForget = () => classForget('synthetic', 1);

/** An MLP trained 3 epochs (seed 1) on data set `name`, and the request to forget class `forgotten`. */
export async function classForget(name: 'synthetic' | 'fashion-mnist-mini', forgotten: number): Promise<UnlearnContext> {
  await initBackend();
  const dataset = loadData({ name });
  const sets = resolveForget(dataset, { kind: 'class', classes: [forgotten] });
  const recipe = { ...DEFAULT_RECIPE, epochs: 3 };
  const original = buildModel('mlp', dataset.inputShape, dataset.numClasses, 1);
  await train(original, subset(dataset, idsOfSplit(dataset, 'train')), recipe, { seed: 1 });
  const meta = {
    id: `${name}-mlp`, parent: null, kind: 'single', arch: 'mlp', dataset: { name }, inputShape: dataset.inputShape,
    task: 'classification', numClasses: dataset.numClasses, seed: 1, trainHash: '', recipe, method: 'train', params: {}, forget: null,
    metrics: {}, created: '', version: '',
  } satisfies Meta;
  return { original, meta, data: meta.dataset, dataset, sets, forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain), seed: 1 };
}

/** Accuracy (percent) of `model` on the samples `ids` of the context's data set. */
export function accuracyOn(ctx: UnlearnContext, model: Model, ids: Int32Array): number {
  const s = subset(ctx.dataset, ids);
  return accuracy(predictProbs(model, s), s.y, s.numClasses);
}

export interface ClassBar {
  /** The original must know the class first: its test accuracy there is above this (percent). */
  knownAbove?: number;
  /** After unlearning the class's test accuracy is below this (percent). */
  forgottenBelow?: number;
  /** The other classes' test accuracy may fall by at most this many points. */
  retainSlack?: number;
}

/**
 * The behaviour every class-forgetting method must show: the forgotten class's test accuracy collapses while the
 * other classes keep theirs. `also` runs further checks on the result; the model is disposed either way.
 */
export async function expectClassForgotten(
  ctx: UnlearnContext, run: () => Promise<Model>,
  { knownAbove = 90, forgottenBelow = 30, retainSlack = 3 }: ClassBar = {}, also?: (model: Model) => void,
) {
  const { forgetTest, retainTest } = ctx.sets;
  if (!forgetTest || !retainTest) throw new Error('expectClassForgotten needs a class-forgetting request');
  const before = { forget: accuracyOn(ctx, ctx.original, forgetTest), retain: accuracyOn(ctx, ctx.original, retainTest) };
  expect(before.forget).toBeGreaterThan(knownAbove);
  const model = await run();
  try {
    expect(accuracyOn(ctx, model, forgetTest)).toBeLessThan(forgottenBelow);
    expect(accuracyOn(ctx, model, retainTest)).toBeGreaterThan(before.retain - retainSlack);
    also?.(model);
  } finally {
    model.dispose();
  }
}

/** Every weight of a model, layer by layer, as one plain array. */
export const flatWeights = (m: Model): number[] => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

/** Share of all weights that differ between two models of one architecture. */
export function movedShare(a: Model, b: Model): number {
  const [w0, w1] = [flatWeights(a), flatWeights(b)];
  return w0.filter((v, i) => v !== w1[i]).length / w0.length;
}

/**
 * The conformance bar for cancelling: a method aborted at its first progress event stops within one more
 * step, with CancelledError, and leaves no tensor behind. `run` starts the method on a context built with
 * the signal and progress callback it is given.
 */
export async function expectAbortsPromptly(run: (extra: Partial<UnlearnContext>) => Promise<unknown>) {
  const controller = new AbortController();
  const tensorsBefore = tfc.memory().numTensors;
  let steps = 0;
  const onProgress = () => void (++steps === 1 && controller.abort());
  await expect(run({ signal: controller.signal, onProgress })).rejects.toBeInstanceOf(CancelledError);
  expect(steps).toBeLessThanOrEqual(2);
  expect(tfc.memory().numTensors).toBe(tensorsBefore);
}
