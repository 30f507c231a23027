import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import { buildModel } from '../../models/registry.ts';
import type { UnlearnContext } from '../method.ts';
import { cfK, lastLayers } from './cf-k.ts';
import { classForget, expectClassForgotten } from '../../../test/support/unlearn.ts';

// Forgetting class 4 (coat) of the committed Fashion-MNIST subset, as ft's test: with the retain set holding no coat,
// fine-tuning the output layer alone pushes the coat logit down until the class is no longer predicted.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await classForget('fashion-mnist-mini', 4);
});

const layerWeights = (m: Model) => m.layers.map((l) => l.getWeights().map((w) => Array.from(w.dataSync())));

/** The names of the layers whose weights differ between `a` and `b` (one graph). */
function changedLayers(a: Model, b: Model): string[] {
  const [wa, wb] = [layerWeights(a), layerWeights(b)];
  return a.layers.filter((_, i) => JSON.stringify(wa[i]) !== JSON.stringify(wb[i])).map((l) => l.name);
}

test('the last k layers are the last k with trainable weights, kernel and bias counted as one', () => {
  expect(lastLayers(ctx.original, 1).map((l) => l.name)).toEqual(['logits']);
  expect(lastLayers(ctx.original, 2).map((l) => l.name)).toEqual(['dense2', 'logits']);
  expect(lastLayers(ctx.original, 9).map((l) => l.name)).toEqual(['dense1', 'dense2', 'logits']);
});

test('cf-k: the coat drops out of the test predictions, the other classes keep theirs; only the output layer moved', () =>
  expectClassForgotten(ctx, () => cfK.run(ctx, cfK.params.parse({})), { knownAbove: 80, forgottenBelow: 10 }, (model) => {
    expect(changedLayers(ctx.original, model)).toEqual(['logits']);
  }));

test('cf-k with k=2 changes the last two layers and leaves the first byte-identical', async () => {
  const model = await cfK.run(ctx, cfK.params.parse({ k: 2, steps: 5 }));
  try {
    expect(changedLayers(ctx.original, model)).toEqual(['dense2', 'logits']);
  } finally {
    model.dispose();
  }
});

test('frozen batch-norm layers keep their moving statistics (training mode would update them)', async () => {
  const original = buildModel('resnet-mini', ctx.meta.inputShape, ctx.meta.numClasses, 1);
  const small = { ...ctx, original, meta: { ...ctx.meta, arch: 'resnet-mini' } };
  try {
    const model = await cfK.run(small, cfK.params.parse({ k: 2, steps: 2, batchSize: 16 }));
    try {
      // The last two: block3's projection batch norm (its own statistics move with it) and the output layer.
      expect(changedLayers(original, model).sort()).toEqual(['block3_proj_bn', 'logits']);
    } finally {
      model.dispose();
    }
  } finally {
    original.dispose();
  }
});
