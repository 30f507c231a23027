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
import { scrub } from './scrub.ts';

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
