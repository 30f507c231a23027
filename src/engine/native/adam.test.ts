// The fused Adam update against tfjs's own AdamOptimizer: the same bytes, step after step.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FusedAdam } from '../adam.ts';
import { registerNative } from './backend.ts';
import { expectSame, uniform } from './test-util.ts';

const load = registerNative();

/** Runs `steps` updates of two variables with gradients of a fixed quadratic; returns weights and moments. */
async function run(make: () => tf.Optimizer, steps: number, skipSecond = false): Promise<Float32Array[]> {
  const a = tf.variable(tf.tensor(uniform([37, 5], 1), [37, 5]), true, `a${Math.random()}`);
  const b = tf.variable(tf.tensor(uniform([5], 2), [5]), true, `b${Math.random()}`);
  const target = tf.tensor(uniform([37, 5], 3), [37, 5]);
  const opt = make();
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(tf.add(tf.mul(a, 1.5), b), target))) as tf.Scalar, [a, b]);
      // A variable without a gradient keeps its value and moments.
      if (skipSecond && i % 2 === 1) delete grads[b.name];
      opt.applyGradients(grads);
    });
  }
  const weights = (await opt.getWeights()).map((w) => Float32Array.from(w.tensor.dataSync()));
  const out = [Float32Array.from(a.dataSync()), Float32Array.from(b.dataSync()), ...weights];
  opt.dispose();
  tf.dispose([a, b, target]);
  return out;
}

describe.skipIf(!load.ok)(`fused Adam on native${load.ok ? '' : ` (skipped: ${load.ok || load.reason})`}`, () => {
  beforeAll(async () => {
    expect(await tf.setBackend('native')).toBe(true);
  });

  it.each([[1, false], [7, false], [6, true]])('after %d steps (a gradient missing at times: %s), the same bytes as tfjs\'s Adam', async (steps, skip) => {
    if (!load.ok) return;
    const copy = vi.spyOn(load.addon, 'adam');
    const inPlace = vi.spyOn(load.addon, 'adamInPlace');
    const fused = await run(() => new FusedAdam(1e-2, 0.9, 0.999), steps, skip);
    // The first step writes fresh buffers (the variable still shares its initial tensor's),
    // later ones overwrite the variables' own.
    expect(copy).toHaveBeenCalled();
    if (steps > 1) expect(inPlace).toHaveBeenCalled();
    vi.restoreAllMocks();
    const stock = await run(() => tf.train.adam(1e-2), steps, skip);
    expect(fused).toHaveLength(stock.length);
    stock.forEach((w, i) => expectSame(fused[i], w));
  });

  it('uses tfjs\'s own update on a backend without the kernel', async () => {
    await tf.setBackend('cpu');
    const fused = await run(() => new FusedAdam(1e-2, 0.9, 0.999), 3);
    const stock = await run(() => tf.train.adam(1e-2), 3);
    stock.forEach((w, i) => expectSame(fused[i], w));
    await tf.setBackend('native');
  });

  it('keeps as many tensors as tfjs\'s Adam does (tfjs itself leaves a few behind in getWeights and dispose)', async () => {
    const kept = async (make: () => tf.Optimizer) => {
      const before = tf.memory().numTensors;
      await run(make, 4);
      return tf.memory().numTensors - before;
    };
    expect(await kept(() => new FusedAdam(1e-2, 0.9, 0.999))).toBe(await kept(() => tf.train.adam(1e-2)));
  });
});
