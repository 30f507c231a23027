import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { loadKit } from '../kit.ts';
import type { UnlearnContext } from '../method.ts';
import { quantileThreshold, ssd } from './ssd.ts';
import { expectClassForgotten, flatWeights, movedShare, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;

beforeAll(async () => {
  ctx = await syntheticClassForget();
  await loadKit(); // the helpers below are called directly, not through a run
});

test('ssd: class 1 test accuracy collapses, the other classes keep theirs, and only a few weights change', () =>
  // The default share (5%) is tuned for the 235k-weight Fashion-MNIST MLP; this 50k-weight model, whose
  // forget class is a quarter of the data, needs a larger one (at 5% class 1 keeps 93%).
  expectClassForgotten(ctx, () => ssd.run(ctx, ssd.params.parse({ select: 0.1 })), {}, (model) => {
    // Dampening only: at most the selected 10% of the weights move, and none grows in magnitude.
    const moved = movedShare(ctx.original, model);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(0.1);
    const [w0, w1] = [flatWeights(ctx.original), flatWeights(model)];
    expect(w1.every((v, i) => Math.abs(v) <= Math.abs(w0[i]))).toBe(true);
  }));

test('the selection threshold is the ratio imp_forget / imp_retain above which the top share lies, over all layers', () => {
  // Ratios 1, 2, 3, 4 | 5, 6, 7, 8 (the second layer's retain importance is 0.5). The top quarter (2 of 8)
  // lies strictly above 6; the top half (4 of 8) strictly above 4.
  const impF = [tfc.tensor1d([1, 2, 3, 4]), tfc.tensor1d([2.5, 3, 3.5, 4])];
  const impR = [tfc.tensor1d([1, 1, 1, 1]), tfc.tensor1d([0.5, 0.5, 0.5, 0.5])];
  expect(quantileThreshold(impF, impR, 0.25)).toBeCloseTo(6, 5);
  expect(quantileThreshold(impF, impR, 0.5)).toBeCloseTo(4, 5);
  [...impF, ...impR].forEach((t) => t.dispose());
});
