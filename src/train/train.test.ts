import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset, type Subset } from '../data/dataset.ts';
import { synthetic } from '../data/synthetic.ts';
import { initBackend } from '../engine/backend.ts';
import type { TrainRecipe } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import { accuracy } from '../eval/accuracy.ts';
import { predictProbs } from './predict.ts';
import { CancelledError, type Progress } from './progress.ts';
import { train } from './train.ts';

beforeAll(async () => {
  await initBackend();
});

const ds = synthetic();
const trainSet = subset(ds, idsOfSplit(ds, 'train'));
const testSet = subset(ds, idsOfSplit(ds, 'test'));
const small = subset(ds, idsOfSplit(ds, 'train').subarray(0, 256));
const ADAM: TrainRecipe = { epochs: 2, batchSize: 32, optimizer: 'adam', lr: 1e-3, weightDecay: 0, momentum: 0 };

function weightBytes(model: Model): Buffer {
  return Buffer.concat(model.getWeights().map((t) => Buffer.from((t.dataSync() as Float32Array).slice().buffer)));
}

async function trained(arch: string, seed: number, data: Subset, recipe: TrainRecipe = ADAM): Promise<Buffer> {
  const model = buildModel(arch, ds.inputShape, ds.numClasses, seed);
  try {
    await train(model, data, recipe, { seed });
    return weightBytes(model);
  } finally {
    model.dispose();
  }
}

describe('train', () => {
  it('learns the synthetic set: test accuracy far above the 25% of chance', async () => {
    const model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    try {
      const before = accuracy(predictProbs(model, testSet), testSet.y, 4);
      const { losses } = await train(model, trainSet, ADAM, { seed: 1 });
      const after = accuracy(predictProbs(model, testSet), testSet.y, 4);
      expect(after).toBeGreaterThan(80);
      expect(after).toBeGreaterThan(before);
      expect(losses.length).toBe(2);
      // cross-entropy of a uniform guess over 4 classes is ln 4 ≈ 1.386; training must go below it
      expect(losses[1]).toBeLessThan(losses[0]);
      expect(losses[1]).toBeLessThan(Math.log(4));
    } finally {
      model.dispose();
    }
  });

  it.each(['mlp', 'small-cnn'])('%s: same seed, byte-identical weights; another seed, different weights', async (arch) => {
    const a = await trained(arch, 7, small);
    const b = await trained(arch, 7, small);
    const c = await trained(arch, 8, small);
    expect(a.length).toBeGreaterThan(0);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('the shuffle seed alone changes the result (same init, different batch order)', async () => {
    const run = async (trainSeed: number) => {
      const model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
      await train(model, small, { ...ADAM, epochs: 1 }, { seed: trainSeed });
      const w = weightBytes(model);
      model.dispose();
      return w;
    };
    expect((await run(1)).equals(await run(2))).toBe(false);
  });

  it('reports progress: done counts every step up to total', async () => {
    const model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    const events: Progress[] = [];
    await train(model, small, { ...ADAM, batchSize: 100 }, { seed: 1, onProgress: (p) => events.push(p), phase: 'base' });
    model.dispose();
    // 256 samples in batches of 100: 3 steps an epoch, 2 epochs
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => e.total === 6 && e.phase === 'base' && e.epochs === 2)).toBe(true);
    expect(events.map((e) => e.epoch)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(events.every((e) => Number.isFinite(e.loss))).toBe(true);
  });

  it('a fractional epoch trains its share of the batches, the first ones of the same order a whole epoch uses', async () => {
    const events: Progress[] = [];
    const a = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    const b = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    // 256 samples in batches of 100: 3 steps an epoch; 1.4 epochs is round(4.2) = 4 steps, over 2 epochs' orders.
    await train(a, small, { ...ADAM, batchSize: 100, epochs: 1.4 }, { seed: 1, onProgress: (p) => events.push(p) });
    expect(events.map((e) => [e.done, e.total, e.epoch])).toEqual([[1, 4, 1], [2, 4, 1], [3, 4, 1], [4, 4, 2]]);
    // The same seed gives the same weights; the fourth step makes 1.4 epochs differ from 1.
    const one = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    await train(one, small, { ...ADAM, batchSize: 100, epochs: 1 }, { seed: 1 });
    await train(b, small, { ...ADAM, batchSize: 100, epochs: 1.4 }, { seed: 1 });
    expect(Array.from(b.getWeights()[0].dataSync())).toEqual(Array.from(a.getWeights()[0].dataSync()));
    expect(Array.from(one.getWeights()[0].dataSync())).not.toEqual(Array.from(a.getWeights()[0].dataSync()));
    for (const m of [a, b, one]) m.dispose();
  });

  it('an abort from a progress callback stops before the next step', async () => {
    const model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    const abort = new AbortController();
    const done: number[] = [];
    const run = train(model, trainSet, { ...ADAM, epochs: 50 }, {
      seed: 1,
      signal: abort.signal,
      onProgress: (p) => {
        done.push(p.done);
        if (p.done === 3) abort.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(done).toEqual([1, 2, 3]);
    model.dispose();
  });

  it('an abort from a timer ends a long run promptly and frees the optimizer', async () => {
    const model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    const tensors = tf.memory().numTensors;
    const abort = new AbortController();
    const t0 = performance.now();
    setTimeout(() => abort.abort(), 150);
    // 1000 epochs would take minutes
    await expect(train(model, trainSet, { ...ADAM, epochs: 1000 }, { seed: 1, signal: abort.signal })).rejects.toThrow(/train was cancelled/);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });

  it.each([
    ['adam', { optimizer: 'adam', momentum: 0 }],
    ['sgd', { optimizer: 'sgd', momentum: 0 }],
    ['sgd + momentum', { optimizer: 'sgd', momentum: 0.9 }],
    ['adam + weight decay', { optimizer: 'adam', momentum: 0, weightDecay: 1e-3 }],
  ] as const)('leaks no tensor (%s)', async (_name, opt) => {
    const model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    const tensors = tf.memory().numTensors;
    await train(model, small, { ...ADAM, epochs: 1, lr: 0.01, ...opt }, { seed: 1 });
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });

  it('leaks no tensor with batch norm (resnet-mini)', async () => {
    const model = buildModel('resnet-mini', ds.inputShape, ds.numClasses, 1);
    const tensors = tf.memory().numTensors;
    await train(model, subset(ds, idsOfSplit(ds, 'train').subarray(0, 32)), { ...ADAM, epochs: 1, batchSize: 16 }, { seed: 1 });
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });

  it('weight decay shrinks weights that get no data gradient by (1 - lr·wd) per step', async () => {
    // All-zero inputs: the first layer's kernel gets no gradient from the loss (dL/dW1 = xᵀδ = 0),
    // so plain SGD with coupled L2 multiplies it by (1 - lr·wd) each step, and leaves it alone at wd = 0.
    const n = 64;
    const zeros: Subset = { ids: Int32Array.from({ length: n }, (_, i) => i), x: new Float32Array(n * 64), y: Int32Array.from({ length: n }, (_, i) => i % 4), inputShape: [8, 8, 1], numClasses: 4 };
    const kernelNorm = (m: Model) => {
      const w = m.getLayer('dense1').getWeights()[0].dataSync();
      let s = 0;
      for (const v of w) s += v * v;
      return Math.sqrt(s);
    };
    const run = async (weightDecay: number) => {
      const model = buildModel('mlp', [8, 8, 1], 4, 1);
      const before = kernelNorm(model);
      // 64 samples, batches of 16: 4 steps
      await train(model, zeros, { epochs: 1, batchSize: 16, optimizer: 'sgd', lr: 0.1, weightDecay, momentum: 0 }, { seed: 1 });
      const ratio = kernelNorm(model) / before;
      model.dispose();
      return ratio;
    };
    expect(await run(0)).toBe(1);
    expect(await run(0.5)).toBeCloseTo(0.95 ** 4, 5);
  });
});
