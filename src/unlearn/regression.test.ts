// Regression through the method contract: every method that serves regression on a regressor trained on the committed
// diabetes set, the refusal of those that do not, the regression losses by hand, and Blindspot's defining behaviour.
import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAbortsPromptly } from '../../test/support/unlearn.ts';
import { idsOfSplit, subset } from '../data/dataset.ts';
import { resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { l1 } from '../eval/regression.ts';
import type { Meta } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import { fitLoss } from '../train/loss.ts';
import { predictTargets } from '../train/predict.ts';
import { train } from '../train/train.ts';
import { loadKit } from './kit.ts';
import type { UnlearnContext } from './method.ts';
import { attentionMap } from './methods/blindspot.ts';
import { cappedFitLoss } from './methods/ga.ts';
import { getMethod, METHOD_NAMES } from './registry.ts';
import { methodRefusal, methodTasks } from './run.ts';

const ds = loadData({ name: 'diabetes' });
const recipe = { epochs: 60, batchSize: 32, optimizer: 'adam' as const, lr: 1e-3, weightDecay: 0, momentum: 0.9 };
const meta: Meta = {
  id: 'diabetes-mlp', parent: null, kind: 'single', arch: 'mlp', dataset: { name: 'diabetes' }, inputShape: ds.inputShape, task: 'regression',
  numClasses: 1, seed: 1, trainHash: '', recipe, method: 'train', params: {}, forget: null, metrics: {}, created: '', version: '',
};
let original: Model;

function context(spec: ForgetSpec, seed = 7, extra: Partial<UnlearnContext> = {}): UnlearnContext {
  const sets = resolveForget(ds, spec);
  return { original, meta, data: meta.dataset, dataset: ds, sets, forget: subset(ds, sets.forget), retain: subset(ds, sets.retain), seed, ...extra };
}

const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.dataSync()));
/** Mean absolute error (target units) of `model` on the context's forget set. */
const forgetL1 = (ctx: UnlearnContext, m: Model) => l1(predictTargets(m, ctx.forget), ctx.forget.target!);

beforeAll(async () => {
  await initBackend();
  await loadKit();
  original = buildModel('mlp', ds.inputShape, 1, 1);
  await train(original, subset(ds, idsOfSplit(ds, 'train')), recipe, { seed: 1 });
});

const REGRESSION = METHOD_NAMES.filter((n) => methodTasks(n).includes('regression') && getMethod(n).accepts.includes('single'));
const HIGH: ForgetSpec = { kind: 'target', min: 250 };

it('the methods that serve regression, and a clear refusal from those that need class labels', () => {
  expect(REGRESSION).toEqual(['retrain', 'ft', 'cf-k', 'eu-k', 'ga', 'neggrad-plus', 'l1-sparse', 'dmm-oracle', 'blindspot']);
  expect(methodRefusal('rl', meta)).toBe(`rl cannot unlearn a regression model: it serves classification only (regression methods: ${REGRESSION.join(', ')})`);
  expect(methodRefusal('scrub', { kind: 'single', task: 'regression' })).toMatch(/scrub cannot unlearn a regression model/);
  expect(methodRefusal('blindspot', { kind: 'single', task: 'classification' })).toBeUndefined();
});

describe('the regression losses, by hand', () => {
  it('fitLoss is the mean squared error for float targets and cross-entropy for labels', () => {
    const out = tfc.tensor2d([[1], [3]]);
    // (1 − 0)² and (3 − 1)²: mean 2.5.
    expect(fitLoss(out, tfc.tensor1d([0, 1], 'float32')).dataSync()[0]).toBeCloseTo(2.5, 6);
    // Two logits [0, ln 3] and label 1: −ln(3/4).
    expect(fitLoss(tfc.tensor2d([[0, Math.log(3)]]), tfc.tensor1d([1], 'int32')).dataSync()[0]).toBeCloseTo(-Math.log(0.75), 6);
  });

  it('gradient ascent caps each sample\'s squared error', () => {
    // Squared errors 1 and 4, capped at 2: mean 1.5.
    expect(cappedFitLoss(tfc.tensor2d([[1], [3]]), tfc.tensor1d([0, 1], 'float32'), 2).dataSync()[0]).toBeCloseTo(1.5, 6);
  });

  it("Blindspot's attention map: h² (channel-mean for feature maps), L2-normalised per sample", () => {
    // h = [3, 4] → h² = [9, 16], ‖·‖ = √337.
    const dense = attentionMap(tfc.tensor2d([[3, -4]])).dataSync();
    expect(Array.from(dense).map((v) => v * Math.sqrt(337))).toEqual([expect.closeTo(9, 4), expect.closeTo(16, 4)]);
    // A 1×2×1 map with two channels: channel means of h² are (1 + 9)/2 = 5 and (4 + 0)/2 = 2; normalised by √29.
    const conv = attentionMap(tfc.tensor4d([[[[1, 3], [2, 0]]]])).dataSync();
    expect(Array.from(conv).map((v) => v * Math.sqrt(29))).toEqual([expect.closeTo(5, 4), expect.closeTo(2, 4)]);
  });
});

describe.each(REGRESSION)('regression: method %s', (name) => {
  const method = getMethod(name);
  const defaults = method.params.parse({});

  it.each<ForgetSpec>([HIGH, { kind: 'random', fraction: 0.1, seed: 1 }])('serves $kind requests: finite predictions, the original untouched, the same seed the same weights', async (spec) => {
    const before = weightsOf(original);
    const a = await method.run(context(spec), defaults);
    const b = await method.run(context(spec), defaults);
    try {
      expect(weightsOf(original)).toEqual(before);
      expect(weightsOf(a)).toEqual(weightsOf(b));
      expect(weightsOf(a)).not.toEqual(before);
      expect(Array.from(predictTargets(a, context(spec).forget)).every(Number.isFinite)).toBe(true);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('stops promptly when aborted and leaves no tensors behind', async () => {
    await expectAbortsPromptly((extra) => method.run(context(HIGH, 7, extra), defaults));
  });
});

describe('Blindspot on target-range forgetting (the paper\'s "forget every face aged 30 or under")', () => {
  it("moves the forget set's error toward retraining's, past the original's and fine-tuning's, over three seeds", async () => {
    const rows: { seed: number; original: number; ft: number; blindspot: number; retrain: number }[] = [];
    for (const seed of [1001, 1002, 1003]) {
      const ctx = context(HIGH, seed);
      const [retrained, tuned, blind] = [
        await getMethod('retrain').run(ctx, {}),
        await getMethod('ft').run(ctx, getMethod('ft').params.parse({})),
        await getMethod('blindspot').run(ctx, getMethod('blindspot').params.parse({})),
      ];
      rows.push({ seed, original: forgetL1(ctx, original), ft: forgetL1(ctx, tuned), blindspot: forgetL1(ctx, blind), retrain: forgetL1(ctx, retrained) });
      [retrained, tuned, blind].forEach((m) => m.dispose());
    }
    // The paper's ordering of the forget-set L1: original < fine-tune < Blindspot ≤ retrain (AgeDB: 12.8, 14.8, 21.6, 24.3).
    for (const r of rows) {
      const gap = (v: number) => Math.abs(v - r.retrain);
      expect(gap(r.blindspot), JSON.stringify(r)).toBeLessThan(gap(r.ft));
      expect(gap(r.ft), JSON.stringify(r)).toBeLessThan(gap(r.original));
    }
  });

  it('its attention-transfer term is live: β = 0 and the default β = 50 give different weights', async () => {
    const ctx = context(HIGH);
    const p = getMethod('blindspot').params.parse({});
    const a = await getMethod('blindspot').run(ctx, p);
    const b = await getMethod('blindspot').run(ctx, { ...p, beta: 0 });
    try {
      expect(weightsOf(a)).not.toEqual(weightsOf(b));
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
