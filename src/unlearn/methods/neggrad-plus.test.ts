import { beforeAll, expect, test } from 'vitest';
import type { UnlearnContext } from '../method.ts';
import { neggradPlus } from './neggrad-plus.ts';
import { expectClassForgotten, flatWeights, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('neggrad-plus: class 1 test accuracy collapses, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => neggradPlus.run(ctx, neggradPlus.params.parse({}))));

test('neggrad-plus with sharpness (SAM on the forget term): still forgets the class, by another route than plain', async () => {
  const plain = await neggradPlus.run(ctx, neggradPlus.params.parse({}));
  try {
    await expectClassForgotten(ctx, () => neggradPlus.run(ctx, neggradPlus.params.parse({ sharpness: 0.05 })), {}, (sam) => {
      expect(flatWeights(sam)).not.toEqual(flatWeights(plain));
    });
  } finally {
    plain.dispose();
  }
});
