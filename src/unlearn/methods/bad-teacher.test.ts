import { beforeAll, expect, test } from 'vitest';
import type { Model } from '../../models/layers.ts';
import type { UnlearnContext } from '../method.ts';
import { badTeacher } from './bad-teacher.ts';
import { accuracyOn, syntheticClassForget } from '../testing.ts';

// Forgetting class 1 of the synthetic set: its test accuracy must collapse, the other classes' must not.
let ctx: UnlearnContext;
const testAcc = (m: Model, ids: Int32Array) => accuracyOn(ctx, m, ids);

beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('bad-teacher: class 1 test accuracy collapses, the other classes keep theirs', async () => {
  const before = { forget: testAcc(ctx.original, ctx.sets.forgetTest!), retain: testAcc(ctx.original, ctx.sets.retainTest!) };
  expect(before.forget).toBeGreaterThan(90);
  // One pass over this small mixed set is 3 steps; 10 passes give the student time to take the bad teacher's outputs.
  const model = await badTeacher.run(ctx, badTeacher.params.parse({ epochs: 10 }));
  expect(testAcc(model, ctx.sets.forgetTest!)).toBeLessThan(30);
  expect(testAcc(model, ctx.sets.retainTest!)).toBeGreaterThan(before.retain - 3);
  model.dispose();
});
