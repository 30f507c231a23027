// The native kernels' gradients against central differences, on native alone: an
// independent check of the backward kernels, beside their parity with the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle does.
import '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { registerNative } from './backend.ts';
import { uniform } from './test-util.ts';

const load = registerNative();

describe.skipIf(!load.ok)(`native gradients${load.ok ? '' : ` (skipped: ${load.ok || load.reason})`}`, () => {
  // Σ y·r in double, for a loss that is linear (conv, matmul) or piecewise linear (max-pool)
  // in each input, so the differences see only float32 rounding of y.
  const cases = [
    { name: 'conv2d input, stride 2 same', shapes: [[2, 7, 6, 3], [3, 3, 3, 4]], wrt: 0, f: (p: tf.Tensor, q: tf.Tensor) => tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 2, 'same') },
    { name: 'conv2d filter, stride 1 valid', shapes: [[2, 7, 6, 3], [3, 3, 3, 4]], wrt: 1, f: (p: tf.Tensor, q: tf.Tensor) => tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 1, 'valid') },
    { name: 'conv2d filter, 5x5 stride 2 same', shapes: [[1, 9, 9, 2], [5, 5, 2, 3]], wrt: 1, f: (p: tf.Tensor, q: tf.Tensor) => tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 2, 'same') },
    { name: 'matmul b, transposed', shapes: [[5, 7], [6, 7]], wrt: 1, f: (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, false, true) },
    { name: 'max-pool 3x3 stride 2 same', shapes: [[2, 7, 7, 3], [1]], wrt: 0, f: (p: tf.Tensor, q: tf.Tensor) => tf.add(tf.maxPool(p as tf.Tensor4D, 3, 2, 'same'), q) },
  ];
  it.each(cases)('$name', async ({ shapes, wrt, f }) => {
    await tf.setBackend('native');
    const inputs = shapes.map((s, i) => uniform(s, 40 + i));
    const outShape = tf.tidy(() => f(...(shapes.map((s, i) => tf.tensor(inputs[i], s)) as [tf.Tensor, tf.Tensor])).shape);
    const r = uniform(outShape, 45);
    const lossAt = (values: Float32Array[]) => {
      const y = tf.tidy(() => f(...(shapes.map((s, i) => tf.tensor(values[i], s)) as [tf.Tensor, tf.Tensor])));
      const yv = y.dataSync();
      y.dispose();
      let sum = 0;
      for (let i = 0; i < yv.length; i++) sum += yv[i] * r[i];
      return sum;
    };
    const g = tf.tidy(() => {
      const ts = shapes.map((s, i) => tf.tensor(inputs[i], s));
      const grads = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(f(p, q), tf.tensor(r, outShape))))(ts as [tf.Tensor, tf.Tensor]);
      return Float32Array.from(grads[wrt].dataSync());
    });
    const h = 1e-3;
    for (let j = 0; j < 12; j++) {
      const i = Math.floor(((j + 0.5) * g.length) / 12);
      const plus = inputs.map((v) => v.slice());
      const minus = inputs.map((v) => v.slice());
      plus[wrt][i] += h;
      minus[wrt][i] -= h;
      const fd = (lossAt(plus) - lossAt(minus)) / (2 * h);
      expect(Math.abs(fd - g[i]), `[${i}]: fd ${fd}, gradient ${g[i]}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(g[i])));
    }
  });
});
