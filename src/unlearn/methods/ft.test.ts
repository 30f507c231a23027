import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import type { UnlearnContext } from '../method.ts';
import { ft } from './ft.ts';
import { accuracyOn, classForget } from '../testing.ts';

// Fine-tuning forgets by catastrophic forgetting: once the retain set has no sample of a class, the class fades.
// That needs classes that share features, so this test forgets class 4 (coat) of the committed Fashion-MNIST
// subset; on the synthetic set's well-separated clusters forty passes still leave half of class 1 in place.
let ctx: UnlearnContext;
const testAcc = (m: Model, ids: Int32Array) => accuracyOn(ctx, m, ids);

beforeAll(async () => {
  ctx = await classForget('fashion-mnist-mini', 4);
});

test('ft: the forgotten class (coat) drops out of the test predictions, the other classes keep theirs', async () => {
  const before = { forget: testAcc(ctx.original, ctx.sets.forgetTest!), retain: testAcc(ctx.original, ctx.sets.retainTest!) };
  expect(before.forget).toBeGreaterThan(80);
  const model = await ft.run(ctx, ft.params.parse({}));
  expect(testAcc(model, ctx.sets.forgetTest!)).toBeLessThan(10);
  expect(testAcc(model, ctx.sets.retainTest!)).toBeGreaterThan(before.retain - 3);
  model.dispose();
});
