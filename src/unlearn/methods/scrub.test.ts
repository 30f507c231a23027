import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import type { UnlearnContext } from '../method.ts';
import { scrub } from './scrub.ts';
import { accuracyOn, syntheticClassForget } from '../testing.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
const testAcc = (m: Model, ids: Int32Array) => accuracyOn(ctx, m, ids);

beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('scrub: class 1 test accuracy collapses, the other classes keep theirs', async () => {
  const before = { forget: testAcc(ctx.original, ctx.sets.forgetTest!), retain: testAcc(ctx.original, ctx.sets.retainTest!) };
  expect(before.forget).toBeGreaterThan(90);
  // This model is near-perfect on its training data, so SCRUB starts at a saddle: the student is the teacher,
  // the max-step's KL gradient is zero, and min-steps on a fitted retain set hardly move it. Larger steps than
  // the Fashion-MNIST default get it out (with the default lr, seed 1 keeps class 1 at 100%; seeds 2 and 3 reach 0%).
  const model = await scrub.run(ctx, scrub.params.parse({ lr: 2e-3 }));
  expect(testAcc(model, ctx.sets.forgetTest!)).toBeLessThan(30);
  expect(testAcc(model, ctx.sets.retainTest!)).toBeGreaterThan(before.retain - 3);
  model.dispose();
});
