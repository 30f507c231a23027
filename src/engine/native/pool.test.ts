// The native backend's recycling of kernel outputs (NativeBackend.allocOutput): freed outputs
// are reused, never while anything outside the backend can still see their values, and the
// pool does not grow when the same computation repeats.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNative, type NativeBackend } from './backend.ts';
import { uniform } from './test-util.ts';

const load = registerNative();
const N = 4096; // above the pool's minimum size
const backend = () => tf.backend() as NativeBackend;
const t = (seed: number) => tf.tensor(uniform([N], seed), [N]);

describe.skipIf(!load.ok)(`native output pool${load.ok ? '' : ` (skipped: ${load.ok || load.reason})`}`, () => {
  beforeAll(async () => {
    expect(await tf.setBackend('native')).toBe(true);
  });

  it('reuses a disposed output for the next output of its size', () => {
    const x = t(1);
    const a = tf.relu(x);
    const before = backend().pooledOutputFloats();
    a.dispose();
    expect(backend().pooledOutputFloats()).toBe(before + N);
    const b = tf.neg(x);
    expect(backend().pooledOutputFloats()).toBe(before);
    expect(Array.from(b.dataSync())).toEqual(Array.from(uniform([N], 1)).map((v) => -v));
    tf.dispose([x, b]);
  });

  it('never recycles values that were read out', () => {
    const x = t(2);
    const a = tf.relu(x);
    const values = a.dataSync();
    const copy = Float32Array.from(values);
    const before = backend().pooledOutputFloats();
    a.dispose();
    expect(backend().pooledOutputFloats()).toBe(before);
    const b = tf.neg(x);
    const c = tf.exp(x);
    expect(values).toEqual(copy);
    tf.dispose([x, b, c]);
  });

  it('never recycles a buffer another tensor shares (a cpu kernel returning a view of its input)', () => {
    const x = t(3);
    const a = tf.relu(x);
    // The cpu backend's Slice of a contiguous range returns a subarray of a's buffer.
    const s = tf.slice(a, [0], [N / 2]);
    a.dispose();
    const want = Float32Array.from(uniform([N], 3).subarray(0, N / 2)).map((v) => Math.max(0, v));
    const b = tf.neg(x);
    const c = tf.exp(x);
    expect(Array.from(s.dataSync())).toEqual(Array.from(want));
    tf.dispose([x, s, b, c]);
  });

  it('holds the same floats after every repeat of a training-like step (no growth)', () => {
    const x = tf.tensor(uniform([8, 12, 12, 16], 4), [8, 12, 12, 16]);
    const f = tf.variable(tf.tensor(uniform([3, 3, 16, 32], 5), [3, 3, 16, 32]));
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, f as unknown as tf.Tensor4D, 1, 'same')), 2, 2, 'valid')), [f]);
        return [value.dataSync()[0], Float32Array.from(grads[f.name].dataSync())] as const;
      });
    const first = step();
    const pooled = backend().pooledOutputFloats();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const again = step();
      expect(again[0]).toBe(first[0]);
      expect(again[1]).toEqual(first[1]);
      expect(backend().pooledOutputFloats()).toBe(pooled);
      expect(tf.memory().numTensors).toBe(tensors);
    }
    tf.dispose([x, f]);
  });
});
