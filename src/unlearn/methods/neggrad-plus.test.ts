import { beforeAll, test } from 'vitest';
import type { UnlearnContext } from '../method.ts';
import { neggradPlus } from './neggrad-plus.ts';
import { expectClassForgotten, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('neggrad-plus: class 1 test accuracy collapses, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => neggradPlus.run(ctx, neggradPlus.params.parse({}))));
