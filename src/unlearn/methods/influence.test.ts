import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { subset } from '../../data/dataset.ts';
import type { Model } from '../../models/layers.ts';
import { crossEntropy } from '../../train/loss.ts';
import { makeBatch } from '../../train/batches.ts';
import { loadKit } from '../kit.ts';
import type { UnlearnContext } from '../method.ts';
import { dampedFisherSolve, influence, solveSpd } from './influence.ts';
import { accuracyOn, classForget, expectClassForgotten, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set with one Newton step.
let ctx: UnlearnContext;
const testAcc = (m: Model, ids: Int32Array) => accuracyOn(ctx, m, ids);

beforeAll(async () => {
  ctx = await syntheticClassForget();
  await loadKit(); // the helpers below are called directly, not through a run
});

function meanLoss(m: Model, ids: Int32Array): number {
  const s = subset(ctx.dataset, ids);
  return tfc.tidy(() => {
    const b = makeBatch(s, Int32Array.from({ length: s.y.length }, (_, i) => i));
    return crossEntropy(m.apply(b.x) as tfc.Tensor, b.y).dataSync()[0];
  });
}

test('influence: one step raises the loss on the forget set far more than on the other classes', async () => {
  const model = await influence.run(ctx, influence.params.parse({}));
  const forgetRise = meanLoss(model, ctx.sets.forget) - meanLoss(ctx.original, ctx.sets.forget);
  const retainRise = meanLoss(model, ctx.sets.retain) - meanLoss(ctx.original, ctx.sets.retain);
  // A single first-order step with a trust radius does not erase a class here (class 1 keeps ~90%);
  // what it does do is move the model against the forget set specifically.
  expect(forgetRise).toBeGreaterThan(0.1);
  expect(forgetRise).toBeGreaterThan(10 * Math.max(retainRise, 0));
  expect(testAcc(model, ctx.sets.forgetTest!)).toBeLessThan(testAcc(ctx.original, ctx.sets.forgetTest!));
  expect(testAcc(model, ctx.sets.retainTest!)).toBeGreaterThan(testAcc(ctx.original, ctx.sets.retainTest!) - 3);
  model.dispose();
});

// On Fashion-MNIST the same step does erase a class. Trouser (class 1) is tested; on coat (class 4) of this small,
// under-trained model the class goes too but its neighbours lose 9 points (3.2 on full Fashion-MNIST: README).
test('influence: on the Fashion-MNIST subset, trouser drops out of the test predictions, the other classes keep theirs', async () => {
  const mini = await classForget('fashion-mnist-mini', 1);
  try {
    await expectClassForgotten(mini, () => influence.run(mini, influence.params.parse({})), { forgottenBelow: 10 });
  } finally {
    mini.original.dispose();
  }
});

test('the Woodbury solve inverts λI + GᵀG/m: multiplying back by that matrix returns v', () => {
  // m = 3 gradients of P = 5 parameters; H is built densely here and applied to the solution.
  const g = [[1, 0, 2, -1, 0.5], [0, 3, -1, 0, 1], [2, 1, 0, 1, -2]];
  const v = [0.3, -1, 2, 0.5, 1];
  const damping = 0.7;
  const m = g.length;
  const x = tfc.tidy(() => Array.from(dampedFisherSolve(tfc.tensor2d(g), tfc.tensor1d(v), damping).dataSync()));
  for (let i = 0; i < v.length; i++) {
    let hx = damping * x[i];
    for (const row of g) hx += (row[i] * row.reduce((s, gj, j) => s + gj * x[j], 0)) / m;
    expect(hx).toBeCloseTo(v[i], 4);
  }
});

test('solveSpd solves a symmetric positive-definite system and refuses a singular one', () => {
  // [[4, 2], [2, 3]]·[1, 2] = [8, 8]
  expect(Array.from(solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([8, 8]), 2))).toEqual([1, 2].map((n) => expect.closeTo(n, 12)));
  expect(() => solveSpd(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1]), 2)).toThrow(/positive definite/);
});
