import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle does.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGrid, type ConvCase } from '../conv-test-cases.ts';
import { conv2DBackpropFilterConfig } from './conv2d_backprop_filter.ts';
import { registerWasmKernels } from './index.ts';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Case = ConvCase<number, number | [number, number], Pad>;
interface Data {
  x: Float32Array;
  f: Float32Array;
  r: Float32Array;
}

const xShape = (c: Case): [number, number, number, number] => [c.batch, c.h, c.w, c.inC];
const fShape = (c: Case): [number, number, number, number] => [c.k, c.k, c.inC, c.outC];
const name = (c: Case) =>
  `x=[${xShape(c)}] f=${c.k}x${c.k}x${c.inC}x${c.outC} stride=${c.stride} pad=${JSON.stringify(c.pad)}`;

function uniform(shape: number[], seed: number): Float32Array {
  const t = tf.randomUniform(shape, -1, 1, 'float32', seed);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

function makeData(c: Case, seed: number): Data {
  const outShape = tf.backend_util.computeConv2DInfo(xShape(c), fShape(c), c.stride, 1, c.pad).outShape;
  return { x: uniform(xShape(c), seed), f: uniform(fShape(c), seed + 1), r: uniform(outShape, seed + 2) };
}

function conv(c: Case, x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(x, f, c.stride, c.pad);
}

/** d/df Σ conv2d(x, f) · r, on the current backend. */
function filterGrad(c: Case, d: Data): Float32Array {
  const g = tf.tidy(() => {
    const x = tf.tensor4d(d.x, xShape(c));
    const r = tf.tensor(d.r);
    return tf.grad((f) => tf.sum(tf.mul(tf.reshape(conv(c, x, f as tf.Tensor4D), [-1]), r)))(
      tf.tensor4d(d.f, fShape(c)),
    );
  });
  expect(g.shape).toEqual(fShape(c));
  const values = g.dataSync() as Float32Array;
  g.dispose();
  return values;
}

/** Σ conv2d(x, f) · r, summed in float64 so the finite difference sees little rounding. */
function loss(c: Case, d: Data, f: Float32Array): number {
  const y = tf.tidy(() => conv(c, tf.tensor4d(d.x, xShape(c)), tf.tensor4d(f, fShape(c))));
  const ys = y.dataSync();
  y.dispose();
  let s = 0;
  for (let i = 0; i < ys.length; i++) s += ys[i] * d.r[i];
  return s;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function relDiff(got: Float32Array, want: Float32Array): number {
  let d = 0;
  for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(got[i] - want[i]));
  return d / Math.max(maxAbs(want), 1e-12);
}

// The shared grid of strides × paddings × filter sizes × input parities; then the odd shapes by hand.
const cases: Case[] = convGrid([1, 2]);
cases.push(
  { batch: 2, h: 9, w: 6, inC: 3, outC: 4, k: 3, stride: 2, pad: 'same' },
  { batch: 2, h: 6, w: 9, inC: 2, outC: 3, k: 3, stride: [2, 1], pad: 'valid' },
  { batch: 1, h: 10, w: 10, inC: 3, outC: 2, k: 5, stride: 3, pad: 'same' },
  { batch: 2, h: 7, w: 8, inC: 3, outC: 2, k: 3, stride: 1, pad: 1 },
  { batch: 2, h: 7, w: 8, inC: 1, outC: 4, k: 3, stride: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { batch: 1, h: 3, w: 3, inC: 2, outC: 2, k: 5, stride: 1, pad: 'same' }, // filter larger than input
  // Big enough for the kernel to split M into chunks, with chunk borders mid-row and mid-image.
  { batch: 4, h: 40, w: 40, inC: 3, outC: 2, k: 5, stride: 1, pad: 'same' },
  { batch: 2, h: 30, w: 30, inC: 32, outC: 2, k: 5, stride: 2, pad: 'same' },
);

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    registerWasmKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(await tf.setBackend('cpu')).toBe(true);
  });

  it('registers once, and again is a no-op', () => {
    registerWasmKernels();
    registerWasmKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(conv2DBackpropFilterConfig);
  });

  it.each(cases.map((c) => [name(c), c] as const))('matches the cpu gradient: %s', async (_, c) => {
    const d = makeData(c, 7);
    await tf.setBackend('cpu');
    const want = filterGrad(c, d);
    await tf.setBackend('wasm');
    const got = filterGrad(c, d);
    expect(relDiff(got, want)).toBeLessThan(1e-4);
  });

  const fdCases: Case[] = [
    { batch: 2, h: 6, w: 6, inC: 2, outC: 3, k: 3, stride: 2, pad: 'same' }, // asymmetric 'same' pads
    { batch: 1, h: 7, w: 5, inC: 3, outC: 2, k: 3, stride: 1, pad: 'valid' },
    { batch: 2, h: 5, w: 6, inC: 1, outC: 2, k: 5, stride: 1, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  ];
  it.each(fdCases.map((c) => [name(c), c] as const))('matches central differences: %s', async (_, c) => {
    await tf.setBackend('wasm');
    const d = makeData(c, 11);
    const g = filterGrad(c, d);
    const step = 1e-2;
    for (let j = 0; j < 8; j++) {
      const i = Math.floor((j * d.f.length) / 8);
      const plus = d.f.slice();
      const minus = d.f.slice();
      plus[i] += step;
      minus[i] -= step;
      const fd = (loss(c, d, plus) - loss(c, d, minus)) / (2 * step);
      // The loss is linear in f, so only float32 rounding in the forward conv separates them.
      expect(Math.abs(fd - g[i])).toBeLessThan(2e-3 * Math.max(1, Math.abs(g[i])));
    }
  });

  it('leaks neither tensors nor wasm buffers over 20 gradients', async () => {
    await tf.setBackend('wasm');
    const c: Case = { batch: 3, h: 8, w: 8, inC: 3, outC: 4, k: 3, stride: 2, pad: 'same' };
    const d = makeData(c, 5);
    filterGrad(c, d);
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 20; i++) filterGrad(c, d);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
