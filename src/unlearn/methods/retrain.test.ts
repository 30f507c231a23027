import { beforeAll, expect, test, vi } from 'vitest';
import type { Subset } from '../../data/dataset.ts';
import type { Model } from '../../models/layers.ts';
import { buildModel } from '../../models/registry.ts';
import * as training from '../../train/train.ts';
import type { UnlearnContext } from '../method.ts';
import { retrain } from './retrain.ts';
import { accuracyOn, flatWeights, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Records what the training loop is handed, then runs it unchanged: retrain must only ever be given the retain set.
const seen: Subset[] = [];
vi.mock('../../train/train.ts', async (importOriginal) => {
  const real = await importOriginal<typeof training>();
  return { ...real, train: (model: Model, data: Subset, ...rest: [never, never]) => (seen.push(data), real.train(model, data, ...rest)) };
});

let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
  seen.length = 0;
});

test('retrain trains on exactly the retain set: no forget sample reaches the training loop', async () => {
  const model = await retrain.run(ctx, retrain.params.parse({}));
  expect(seen).toHaveLength(1);
  const given = new Set(seen[0].ids);
  expect(given.size).toBe(ctx.retain.ids.length);
  for (const id of ctx.sets.forget) expect(given.has(id)).toBe(false);
  for (const id of ctx.sets.retain) expect(given.has(id)).toBe(true);
  // The forgotten class was never seen, so it is never predicted; the other classes are learnt.
  expect(accuracyOn(ctx, model, ctx.sets.forgetTest!)).toBe(0);
  expect(accuracyOn(ctx, model, ctx.sets.retainTest!)).toBeGreaterThan(90);
  model.dispose();
});

test("retrain follows the original's recipe from a fresh initialisation: same weights as training by hand", async () => {
  const model = await retrain.run(ctx, retrain.params.parse({}));
  const byHand = buildModel(ctx.meta.arch, ctx.meta.inputShape, ctx.meta.numClasses, ctx.seed);
  const { train: realTrain } = await vi.importActual<typeof training>('../../train/train.ts');
  await realTrain(byHand, ctx.retain, ctx.meta.recipe, { seed: ctx.seed });
  expect(flatWeights(model)).toEqual(flatWeights(byHand));
  model.dispose();
  byHand.dispose();
});
