import { beforeAll, expect, test } from 'vitest';
import { subset } from '../../data/dataset.ts';
import type { Model } from '../../models/layers.ts';
import { predictProbs } from '../../train/predict.ts';
import type { UnlearnContext } from '../method.ts';
import { badTeacher, retainedClassMask } from './bad-teacher.ts';
import { expectClassForgotten, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
/** Mean probability the model gives class 1 on the test samples of class 1. */
function forgottenClassMass(m: Model): number {
  const s = subset(ctx.dataset, ctx.sets.forgetTest!);
  const p = predictProbs(m, s);
  let total = 0;
  for (let i = 0; i < s.y.length; i++) total += p[i * s.numClasses + 1];
  return total / s.y.length;
}

beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('retainedClassMask: 0 for classes with retain samples, a large negative logit for the others', () => {
  expect(Array.from(retainedClassMask(Int32Array.from([0, 2, 2, 0]), 4))).toEqual([0, -1e9, 0, -1e9]);
  expect(Array.from(retainedClassMask(Int32Array.from([3, 1, 0, 2]), 4))).toEqual([0, 0, 0, 0]);
});

test('bad-teacher: class 1 test accuracy collapses, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => badTeacher.run(ctx, badTeacher.params.parse({})), { forgottenBelow: 10 }));

test('bad-teacher: with the retained-class mask the student leaves the forgotten class, unlike the unmasked random teacher', async () => {
  const masked = await badTeacher.run(ctx, badTeacher.params.parse({}));
  const unmasked = await badTeacher.run(ctx, badTeacher.params.parse({ retainedClassesOnly: false }));
  // The unmasked teacher keeps some mass on class 1 (a random net's share of it); the masked one none.
  const m = forgottenClassMass(masked);
  const u = forgottenClassMass(unmasked);
  expect(m).toBeLessThan(0.01);
  expect(m).toBeLessThan(u / 2);
  masked.dispose();
  unmasked.dispose();
});
