import { beforeAll, test } from 'vitest';
import type { UnlearnContext } from '../method.ts';
import { scrub } from './scrub.ts';
import { expectClassForgotten, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
});

// This model is near-perfect on its training data, so SCRUB starts at a saddle: the student is the teacher,
// the max-step's KL gradient is zero, and min-steps on a fitted retain set hardly move it. Larger steps than
// the Fashion-MNIST default get it out (with the default lr, seed 1 keeps class 1 at 100%; seeds 2 and 3 reach 0%).
test('scrub: class 1 test accuracy collapses, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => scrub.run(ctx, scrub.params.parse({ lr: 2e-3 }))));
