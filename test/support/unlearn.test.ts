import { beforeAll, expect, test } from 'vitest';
import { buildModel } from '../../src/models/registry.ts';
import { cloneModel } from '../../src/unlearn/common.ts';
import type { UnlearnContext } from '../../src/unlearn/method.ts';
import { expectClassForgotten, syntheticClassForget } from './unlearn.ts';

// The behaviour tests' bar must be able to fail: a method that does nothing, or one that wrecks everything, fails it.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
});

test('a no-op "method" (an unchanged copy of the original) fails the class-forgetting bar', async () => {
  await expect(expectClassForgotten(ctx, async () => cloneModel(ctx))).rejects.toThrow(/expected \d+(\.\d+)? to be less than 30/);
});

test('a "method" that forgets everything (a fresh, untrained model) fails on the classes it should keep', async () => {
  const fresh = async () => buildModel(ctx.meta.arch, ctx.meta.inputShape, ctx.meta.numClasses, 99);
  await expect(expectClassForgotten(ctx, fresh, { forgottenBelow: 101 })).rejects.toThrow(/to be greater than/);
});
