import { beforeAll, expect, test } from 'vitest';
import type { UnlearnContext } from '../method.ts';
import { l1Sparse, l1Weight } from './l1-sparse.ts';
import { expectClassForgotten, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('l1-sparse: class 1 test accuracy collapses, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => l1Sparse.run(ctx, l1Sparse.params.parse({}))));

test('the l1 weight decays linearly from gamma towards zero', () => {
  expect([0, 1, 2, 3].map((i) => l1Weight(0.004, i, 4))).toEqual([0.004, 0.003, 0.002, 0.001]);
});
