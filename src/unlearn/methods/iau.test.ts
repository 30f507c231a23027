import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { subset, type Subset } from '../../data/dataset.ts';
import type { Model } from '../../models/layers.ts';
import { crossEntropy } from '../../train/loss.ts';
import { makeBatch } from '../../train/batches.ts';
import { trainableVars } from '../../train/step.ts';
import { cloneModel } from '../common.ts';
import type { UnlearnContext } from '../method.ts';
import { iau } from './iau.ts';
import { accuracyOn, classForget, expectClassForgotten } from '../../../test/support/unlearn.ts';

// Forgetting class 4 (coat) of the committed Fashion-MNIST subset (2,700 retain and 300 forget samples).
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await classForget('fashion-mnist-mini', 4);
});

/** ∇ mean CE over all of `data` in one batch, one flat array per variable. */
function wholeSetGrad(model: Model, data: Subset): Float32Array[] {
  return tfc.tidy(() => {
    const vars = trainableVars(model);
    const all = Int32Array.from({ length: data.y.length }, (_, i) => i);
    const b = makeBatch(data, all);
    const { grads } = tfc.variableGrads(() => crossEntropy(model.apply(b.x) as tfc.Tensor, b.y), vars);
    return vars.map((v) => grads[v.name].dataSync() as Float32Array);
  });
}

test("iau's update is one first Adam step, lr·g/(|g| + ε), along g = ∇CE(retain) − ∇CE(forget) over the whole sets", async () => {
  const lr = 1e-3;
  const model = await iau.run(ctx, iau.params.parse({ lr, batchSize: 100 }));
  const reference = cloneModel(ctx);
  try {
    const [gr, gf] = [wholeSetGrad(reference, ctx.retain), wholeSetGrad(reference, ctx.forget)];
    const eps = tfc.backend().epsilon();
    const before = ctx.original.getWeights().map((w) => w.dataSync());
    const after = model.getWeights().map((w) => w.dataSync());
    let checked = 0;
    let moved = 0;
    let worst = 0;
    let largestSmall = 0;
    before.forEach((w0, t) => w0.forEach((v, i) => {
      const g = gr[t][i] - gf[t][i];
      const expected = v - (lr * g) / (Math.abs(g) + eps);
      // Where g is within rounding of zero (retain and forget gradients cancel) the two routes' roundings can
      // disagree on it; everywhere else the step matches to float32 rounding.
      if (Math.abs(g) > 1e-5) {
        worst = Math.max(worst, Math.abs(after[t][i] - expected));
        checked++;
      } else {
        largestSmall = Math.max(largestSmall, Math.abs(after[t][i] - v));
      }
      if (after[t][i] !== v) moved++;
    }));
    expect(worst).toBeLessThan(1e-6);
    // A first Adam step never moves a weight by more than lr.
    expect(largestSmall).toBeLessThanOrEqual(lr * 1.001);
    // About 80% of the weights have |g| > 1e-5 on this model; most of the rest have no gradient at all (the
    // kernel rows of always-black border pixels, units that never fire).
    const total = before.reduce((s, w) => s + w.length, 0);
    expect(checked / total).toBeGreaterThan(0.75);
    expect(moved / total).toBeGreaterThan(0.5);
  } finally {
    model.dispose();
    reference.dispose();
  }
});

test('iau: the coat drops out of the test predictions, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => iau.run(ctx, iau.params.parse({})), { knownAbove: 80, forgottenBelow: 10 }));

test('iau with a larger retain set than retainSamples uses a seeded subsample of it', async () => {
  const a = await iau.run(ctx, iau.params.parse({ retainSamples: 500 }));
  const b = await iau.run(ctx, iau.params.parse({ retainSamples: 500 }));
  const c = await iau.run({ ...ctx, seed: 2 }, iau.params.parse({ retainSamples: 500 }));
  try {
    const w = (m: Model) => Array.from(m.getWeights()[4].dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    expect(accuracyOn(ctx, a, ctx.sets.forgetTest!)).toBeLessThan(accuracyOn(ctx, ctx.original, ctx.sets.forgetTest!));
  } finally {
    [a, b, c].forEach((m) => m.dispose());
  }
});
