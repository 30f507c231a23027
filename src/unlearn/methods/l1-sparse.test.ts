import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import type { UnlearnContext } from '../method.ts';
import { l1Sparse, l1Weight } from './l1-sparse.ts';
import { accuracyOn, syntheticClassForget } from '../testing.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
const testAcc = (m: Model, ids: Int32Array) => accuracyOn(ctx, m, ids);

beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('l1-sparse: class 1 test accuracy collapses, the other classes keep theirs', async () => {
  const before = { forget: testAcc(ctx.original, ctx.sets.forgetTest!), retain: testAcc(ctx.original, ctx.sets.retainTest!) };
  expect(before.forget).toBeGreaterThan(90);
  const model = await l1Sparse.run(ctx, l1Sparse.params.parse({}));
  expect(testAcc(model, ctx.sets.forgetTest!)).toBeLessThan(30);
  expect(testAcc(model, ctx.sets.retainTest!)).toBeGreaterThan(before.retain - 3);
  model.dispose();
});

test('the l1 weight decays linearly from gamma towards zero', () => {
  expect([0, 1, 2, 3].map((i) => l1Weight(0.004, i, 4))).toEqual([0.004, 0.003, 0.002, 0.001]);
});
