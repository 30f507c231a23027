import { beforeAll, expect, test } from 'vitest';
import { subset } from '../../data/dataset.ts';
import type { Model } from '../../models/layers.ts';
import { predictLogits } from '../../train/predict.ts';
import type { UnlearnContext } from '../method.ts';
import { dmmOracle } from './dmm-oracle.ts';
import { retrain } from './retrain.ts';
import { expectClassForgotten, flatWeights, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set. The oracle DMM-oracle matches is, by construction, the model `retrain`
// gives for the same request and seed: computed here by that method on its own, independently of dmm-oracle's code.
let ctx: UnlearnContext;
let oracle: Model;
const meanSquared = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length;

beforeAll(async () => {
  ctx = await syntheticClassForget();
  oracle = await retrain.run(ctx, retrain.params.parse({}));
});

test('dmm-oracle: its logits on the forget set and on unseen test samples move to the oracle\'s, far from the original\'s', async () => {
  const model = await dmmOracle.run(ctx, dmmOracle.params.parse({}));
  try {
    const test = subset(ctx.dataset, ctx.sets.test);
    for (const [what, data, factor] of [['forget set (matched)', ctx.forget, 0.05], ['test set (never matched)', test, 0.25]] as const) {
      const target = predictLogits(oracle, data);
      const before = meanSquared(predictLogits(ctx.original, data), target);
      const after = meanSquared(predictLogits(model, data), target);
      expect(after, `${what}: squared logit distance to the oracle ${after.toFixed(3)}, the original's ${before.toFixed(3)}`).toBeLessThan(factor * before);
    }
    // It is the original's weights, fine-tuned: not the oracle's.
    const w = flatWeights(model);
    const o = flatWeights(oracle);
    expect(w.filter((v, i) => v !== o[i]).length).toBeGreaterThan(0.9 * w.length);
  } finally {
    model.dispose();
  }
});

test('dmm-oracle: class 1 is forgotten because the oracle never predicts it; the other classes keep their accuracy', () =>
  expectClassForgotten(ctx, () => dmmOracle.run(ctx, dmmOracle.params.parse({})), { forgottenBelow: 10 }));

test('dmm-oracle: the same seed gives the same weights', async () => {
  const [a, b] = [await dmmOracle.run(ctx, dmmOracle.params.parse({ epochs: 1 })), await dmmOracle.run(ctx, dmmOracle.params.parse({ epochs: 1 }))];
  expect(flatWeights(a)).toEqual(flatWeights(b));
  a.dispose();
  b.dispose();
});
