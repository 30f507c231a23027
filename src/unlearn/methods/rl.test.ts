import { beforeAll, test } from 'vitest';
import type { UnlearnContext } from '../method.ts';
import { rl } from './rl.ts';
import { expectClassForgotten, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('rl: class 1 test accuracy collapses, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => rl.run(ctx, rl.params.parse({}))));
