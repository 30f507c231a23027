import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import { predictLogits } from '../../train/predict.ts';
import type { UnlearnContext } from '../method.ts';
import { dmm } from './dmm.ts';
import { influence } from './influence.ts';
import { retrain } from './retrain.ts';
import { flatWeights, movedShare, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set. DMM's predictor is, by construction, the model `influence` gives for the
// same request, seed and step parameters: computed here by that method on its own, independently of dmm's code; the
// retrained model is `retrain`'s.
let ctx: UnlearnContext;
let predictor: Model;
let oracle: Model;
const meanSquared = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length;
const defaults = dmm.params.parse({});

beforeAll(async () => {
  ctx = await syntheticClassForget();
  predictor = await influence.run(ctx, influence.params.parse({ alpha: defaults.alpha, trust: defaults.trust, damping: defaults.damping }));
  oracle = await retrain.run(ctx, retrain.params.parse({}));
});

test("dmm: its logits on the forget set move onto its influence predictor's, and so toward the retrained model's", async () => {
  const model = await dmm.run(ctx, defaults);
  try {
    const original = predictLogits(ctx.original, ctx.forget);
    const got = predictLogits(model, ctx.forget);
    const predicted = predictLogits(predictor, ctx.forget);
    const retrained = predictLogits(oracle, ctx.forget);
    const toPredictor = [meanSquared(original, predicted), meanSquared(got, predicted)];
    expect(toPredictor[1], `squared logit distance to the predictor: ${toPredictor[1].toFixed(3)}, the original's ${toPredictor[0].toFixed(3)}`)
      .toBeLessThan(0.1 * toPredictor[0]);
    const toRetrained = [meanSquared(original, retrained), meanSquared(got, retrained)];
    expect(toRetrained[1], `squared logit distance to retraining: ${toRetrained[1].toFixed(3)}, the original's ${toRetrained[0].toFixed(3)}`)
      .toBeLessThan(0.6 * toRetrained[0]);
    // The original's weights fine-tuned, not the predictor's: most weights differ from both.
    expect(movedShare(model, predictor)).toBeGreaterThan(0.5);
    expect(movedShare(model, ctx.original)).toBeGreaterThan(0.5);
  } finally {
    model.dispose();
  }
});

test('dmm: the same seed gives the same weights', async () => {
  const [a, b] = [await dmm.run(ctx, dmm.params.parse({ epochs: 1 })), await dmm.run(ctx, dmm.params.parse({ epochs: 1 }))];
  try {
    expect(flatWeights(a)).toEqual(flatWeights(b));
  } finally {
    a.dispose();
    b.dispose();
  }
});
