import { beforeAll, expect, test } from 'vitest';
import type { UnlearnContext } from '../method.ts';
import { salun, topFractionMask } from './salun.ts';
import { expectClassForgotten, movedShare, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('salun: class 1 test accuracy collapses, the other classes keep theirs, and only the salient half of the weights moves', () =>
  expectClassForgotten(ctx, () => salun.run(ctx, salun.params.parse({})), {}, (model) => {
    // Only the masked half of the weights may move (random labels alone would move nearly all of them).
    const moved = movedShare(ctx.original, model);
    expect(moved).toBeLessThanOrEqual(0.5);
    expect(moved).toBeGreaterThan(0.25);
  }));

test('the saliency mask keeps the top fraction over all layers together, ties broken by position', () => {
  // Six weights in two layers; half of them (3) may change. Values ranked: 9, 5, 5, 5, 1, 0.
  const layers = [Float32Array.from([1, 9, 5]), Float32Array.from([5, 0, 5])];
  expect(topFractionMask(layers, 0.5).map((m) => Array.from(m))).toEqual([[0, 1, 1], [1, 0, 0]]);
  // One global threshold: a layer of small gradients can lose every weight.
  expect(topFractionMask([Float32Array.from([0.1, 0.2]), Float32Array.from([3, 4])], 0.5).map((m) => Array.from(m)))
    .toEqual([[0, 0], [1, 1]]);
  expect(topFractionMask(layers, 1).flatMap((m) => Array.from(m))).toEqual([1, 1, 1, 1, 1, 1]);
});
