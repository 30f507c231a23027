import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import { buildModel } from '../../models/registry.ts';
import type { UnlearnContext } from '../method.ts';
import { euK } from './eu-k.ts';
import { classForget, expectClassForgotten } from '../../../test/support/unlearn.ts';

// Forgetting class 4 (coat) of the committed Fashion-MNIST subset: a re-initialised output layer trained on a retain
// set without coats never learns to predict one.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await classForget('fashion-mnist-mini', 4);
});

const weightsOf = (m: Model, layer: string) => m.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));
const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - b[i][j]))));

test('eu-k: the coat drops out of the test predictions, the other classes keep theirs; the earlier layers are untouched', () =>
  expectClassForgotten(ctx, () => euK.run(ctx, euK.params.parse({})), { knownAbove: 80, forgottenBelow: 10 }, (model) => {
    for (const name of ['dense1', 'dense2']) expect(weightsOf(model, name)).toEqual(weightsOf(ctx.original, name));
    expect(maxDiff(weightsOf(model, 'logits'), weightsOf(ctx.original, 'logits'))).toBeGreaterThan(0.05);
  }));

test("eu-k starts the last k layers from the architecture's own initialisation with the request's seed", async () => {
  // One step at a negligible learning rate: what is left is the starting point. (Seed 5: with the original's own
  // seed, 1, the start would be the original's own initialisation, which 3 epochs of training moved little.)
  const model = await euK.run({ ...ctx, seed: 5 }, euK.params.parse({ k: 2, steps: 1, lr: 1e-9 }));
  const fresh = buildModel(ctx.meta.arch, ctx.meta.inputShape, ctx.meta.numClasses, 5);
  try {
    for (const name of ['dense2', 'logits']) {
      expect(maxDiff(weightsOf(model, name), weightsOf(fresh, name))).toBeLessThan(1e-6);
      expect(maxDiff(weightsOf(model, name), weightsOf(ctx.original, name))).toBeGreaterThan(0.05);
    }
    expect(weightsOf(model, 'dense1')).toEqual(weightsOf(ctx.original, 'dense1'));
  } finally {
    model.dispose();
    fresh.dispose();
  }
});
