import { beforeAll, expect, test } from 'vitest';
import { idsOfSplit, subset } from '../../data/dataset.ts';
import { resolveForget } from '../../data/forget-spec.ts';
import { loadData } from '../../data/registry.ts';
import { initBackend } from '../../engine/backend.ts';
import type { Meta } from '../../models/checkpoint.ts';
import type { Model } from '../../models/layers.ts';
import { buildModel } from '../../models/registry.ts';
import { accuracyOf, predictProbs } from '../../train/predict.ts';
import { DEFAULT_RECIPE, train } from '../../train/train.ts';
import type { UnlearnContext } from '../method.ts';
import { salun, topFractionMask } from './salun.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
function testAcc(m: Model, ids: Int32Array) {
  const s = subset(ctx.dataset, ids);
  return accuracyOf(predictProbs(m, s), s.y, s.numClasses);
}

beforeAll(async () => {
  await initBackend();
  const dataset = loadData({ name: 'synthetic' });
  const sets = resolveForget(dataset, { kind: 'class', classes: [1] });
  const recipe = { ...DEFAULT_RECIPE, epochs: 3 };
  const original = buildModel('mlp', dataset.inputShape, dataset.numClasses, 1);
  await train(original, subset(dataset, idsOfSplit(dataset, 'train')), recipe, { seed: 1 });
  const meta = {
    id: 'synthetic-mlp', parent: null, arch: 'mlp', dataset: { name: 'synthetic' }, inputShape: dataset.inputShape,
    numClasses: dataset.numClasses, seed: 1, trainHash: '', recipe, method: 'train', params: {}, forget: null,
    metrics: {}, created: '', version: '',
  } satisfies Meta;
  ctx = { original, meta, dataset, sets, forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain), seed: 1 };
});

test('salun: class 1 test accuracy collapses, the other classes keep theirs', async () => {
  const before = { forget: testAcc(ctx.original, ctx.sets.forgetTest!), retain: testAcc(ctx.original, ctx.sets.retainTest!) };
  expect(before.forget).toBeGreaterThan(90);
  const model = await salun.run(ctx, salun.params.parse({}));
  expect(testAcc(model, ctx.sets.forgetTest!)).toBeLessThan(30);
  expect(testAcc(model, ctx.sets.retainTest!)).toBeGreaterThan(before.retain - 3);
  // Only the masked half of the weights may move (random labels alone would move nearly all of them).
  const flat = (m: Model) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
  const [w0, w1] = [flat(ctx.original), flat(model)];
  const moved = w0.filter((v, i) => v !== w1[i]).length / w0.length;
  expect(moved).toBeLessThanOrEqual(0.5);
  expect(moved).toBeGreaterThan(0.25);
  model.dispose();
});

test('the saliency mask keeps the top fraction over all layers together, ties broken by position', () => {
  // Six weights in two layers; half of them (3) may change. Values ranked: 9, 5, 5, 5, 1, 0.
  const layers = [Float32Array.from([1, 9, 5]), Float32Array.from([5, 0, 5])];
  expect(topFractionMask(layers, 0.5).map((m) => Array.from(m))).toEqual([[0, 1, 1], [1, 0, 0]]);
  // One global threshold: a layer of small gradients can lose every weight.
  expect(topFractionMask([Float32Array.from([0.1, 0.2]), Float32Array.from([3, 4])], 0.5).map((m) => Array.from(m)))
    .toEqual([[0, 0], [1, 1]]);
  expect(topFractionMask(layers, 1).flatMap((m) => Array.from(m))).toEqual([1, 1, 1, 1, 1, 1]);
});
