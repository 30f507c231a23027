import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import type { UnlearnContext } from '../method.ts';
import { salun, topFractionMask } from './salun.ts';
import { accuracyOn, syntheticClassForget } from '../testing.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
const testAcc = (m: Model, ids: Int32Array) => accuracyOn(ctx, m, ids);

beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('salun: class 1 test accuracy collapses, the other classes keep theirs', async () => {
  const before = { forget: testAcc(ctx.original, ctx.sets.forgetTest!), retain: testAcc(ctx.original, ctx.sets.retainTest!) };
  expect(before.forget).toBeGreaterThan(90);
  const model = await salun.run(ctx, salun.params.parse({}));
  expect(testAcc(model, ctx.sets.forgetTest!)).toBeLessThan(30);
  expect(testAcc(model, ctx.sets.retainTest!)).toBeGreaterThan(before.retain - 3);
  // Only the masked half of the weights may move (random labels alone would move nearly all of them).
  const flat = (m: Model) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
  const [w0, w1] = [flat(ctx.original), flat(model)];
  const moved = w0.filter((v, i) => v !== w1[i]).length / w0.length;
  expect(moved).toBeLessThanOrEqual(0.5);
  expect(moved).toBeGreaterThan(0.25);
  model.dispose();
});

test('the saliency mask keeps the top fraction over all layers together, ties broken by position', () => {
  // Six weights in two layers; half of them (3) may change. Values ranked: 9, 5, 5, 5, 1, 0.
  const layers = [Float32Array.from([1, 9, 5]), Float32Array.from([5, 0, 5])];
  expect(topFractionMask(layers, 0.5).map((m) => Array.from(m))).toEqual([[0, 1, 1], [1, 0, 0]]);
  // One global threshold: a layer of small gradients can lose every weight.
  expect(topFractionMask([Float32Array.from([0.1, 0.2]), Float32Array.from([3, 4])], 0.5).map((m) => Array.from(m)))
    .toEqual([[0, 0], [1, 1]]);
  expect(topFractionMask(layers, 1).flatMap((m) => Array.from(m))).toEqual([1, 1, 1, 1, 1, 1]);
});
