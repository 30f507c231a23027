// Every native kernel against tfjs's cpu backend, on random shapes (odd sizes, batch 1,
// strides 1 and 2, same/valid, transposes, broadcasts), forward and through tf.grad. Each
// case also checks that the addon ran it, so a silent fallback to cpu cannot pass as native.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle does.
import '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { convGrid, type ConvCase } from '../conv-test-cases.ts';
import type { NativeAddon } from './addon.ts';
import { registerNative } from './backend.ts';
import { planBinary } from './kernels/elementwise.ts';
import { planReduce } from './kernels/reduce.ts';
import { expectSame, onBackends, relDiff, uniform } from './test-util.ts';

const load = registerNative();
const BOTH = ['cpu', 'native'];

/** Runs f on cpu and native; asserts that native called addon[fn]; returns [cpu, native] outputs. */
function compare(fn: keyof NativeAddon, f: () => tf.Tensor | tf.Tensor[]): [Float32Array[], Float32Array[]] {
  if (!load.ok) throw new Error(load.reason);
  const spy = vi.spyOn(load.addon, fn);
  const [want, got] = onBackends(BOTH, f);
  expect(spy, `addon.${fn} was not called: the kernel fell back to cpu`).toHaveBeenCalled();
  spy.mockRestore();
  return [want, got];
}

function close(fn: keyof NativeAddon, f: () => tf.Tensor | tf.Tensor[], tol = 1e-5) {
  const [want, got] = compare(fn, f);
  want.forEach((w, i) => expect(relDiff(got[i], w), `output ${i}`).toBeLessThan(tol));
}

function same(fn: keyof NativeAddon, f: () => tf.Tensor | tf.Tensor[]) {
  const [want, got] = compare(fn, f);
  want.forEach((w, i) => expectSame(got[i], w));
}

/** Weighted sum of y with fixed random weights: its gradient sends a random dy back. */
function weighted(y: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(y, tf.tensor(uniform(y.shape, seed), y.shape)));
}

const t = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(uniform(shape, seed, lo, hi), shape);

describe.skipIf(!load.ok)(`native kernels against cpu${load.ok ? '' : ` (skipped: ${load.ok || load.reason})`}`, () => {
  beforeAll(async () => {
    expect(await tf.setBackend('native')).toBe(true);
    expect(await tf.setBackend('cpu')).toBe(true);
  });
  afterEach(() => vi.restoreAllMocks());

  describe('matmul', () => {
    // [37, 600, 130]: several blocks of k and of 64 columns, a partial row block (the direct product's blocking).
    const shapes: [number, number, number][] = [[1, 1, 1], [1, 7, 5], [7, 1, 5], [5, 7, 1], [13, 17, 11], [64, 33, 65], [128, 784, 10], [37, 600, 130]];
    const cases = shapes.flatMap(([m, k, n]) => [false, true].flatMap((ta) => [false, true].map((tb) => ({ m, k, n, ta, tb }))));
    it.each(cases)('$m×$k · $k×$n transposeA=$ta transposeB=$tb, values and gradients', ({ m, k, n, ta, tb }) => {
      const aShape = ta ? [k, m] : [m, k];
      const bShape = tb ? [n, k] : [k, n];
      close('matmul', () => {
        const a = t(aShape, 1);
        const b = t(bShape, 2);
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => weighted(tf.matMul(p, q, ta, tb), 3))([a, b]);
        return [tf.matMul(a, b, ta, tb), ...g];
      });
    });

    it.each([
      [[3, 5, 4], [3, 4, 6]],
      [[2, 3, 5, 4], [2, 3, 4, 6]],
    ])('batched %j · %j, values and gradients', (aShape, bShape) => {
      close('matmul', () => {
        const a = t(aShape, 4);
        const b = t(bShape, 5);
        return [tf.matMul(a, b), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => weighted(tf.matMul(p, q), 6))([a, b])];
      });
    });

    // tfjs 4.22's BatchMatMul gradient does not sum over a broadcast batch (on every backend), so values only.
    it.each([
      [[1, 5, 4], [3, 4, 6]],
      [[3, 5, 4], [1, 4, 6]],
      [[5, 4], [2, 4, 6]],
    ])('batched with broadcast %j · %j, values', (aShape, bShape) => {
      close('matmul', () => tf.matMul(t(aShape, 4), t(bShape, 5)));
    });

    it.each([
      ['linear', [6], 5], ['relu', [6], 5], ['relu', [1, 6], 5], ['relu', null, 5], ['relu', [6], 300],
    ] as const)('fused, activation %s, bias %j, k=%d, values and gradients', (activation, biasShape, k) => {
      close('matmul', () => {
        const a = t([9, k], 7);
        const b = t([k, 6], 8);
        const bias = biasShape ? t([...biasShape], 9) : undefined;
        const f = (p: tf.Tensor, q: tf.Tensor, r?: tf.Tensor) => tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, bias: r, activation });
        const g = bias
          ? tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => weighted(f(p, q, r), 10))([a, b, bias])
          : tf.grads((p: tf.Tensor, q: tf.Tensor) => weighted(f(p, q), 10))([a, b]);
        return [f(a, b, bias), ...g];
      });
    });
  });

  describe('conv2d', () => {
    type Pad = 'same' | 'valid';
    interface Case extends ConvCase<number, number | [number, number], Pad | number> { dilation?: number }
    const cases: Case[] = convGrid([1, 2]);
    cases.push(
      { batch: 2, h: 9, w: 6, inC: 3, outC: 4, k: 3, stride: 2, pad: 'same' },
      { batch: 2, h: 6, w: 9, inC: 2, outC: 3, k: 3, stride: [2, 1], pad: 'valid' },
      { batch: 2, h: 7, w: 8, inC: 3, outC: 2, k: 3, stride: 1, pad: 1 },
      { batch: 1, h: 3, w: 3, inC: 2, outC: 2, k: 5, stride: 1, pad: 'same' }, // filter larger than the input
      { batch: 2, h: 30, w: 30, inC: 32, outC: 5, k: 3, stride: 1, pad: 'same' }, // several im2col chunks
      { batch: 4, h: 14, w: 14, inC: 16, outC: 32, k: 1, stride: 1, pad: 'valid' }, // pointwise: no im2col
      // The direct (AVX-512 or AVX2) kernels' paths: channel counts that take each accumulator shape
      // (1–4 vectors of 16, or 1–2 of 8, output channels, with and without a partial vector, several
      // column blocks), pointer-per-tap (≥ 8 input channels) and gathered (< 8) rows, row blocks with a tail,
      // the transposed (input-gradient) convolution at strides 1 and 2, and small-cnn's own layers.
      { batch: 3, h: 9, w: 7, inC: 8, outC: 16, k: 3, stride: 1, pad: 'same' },
      { batch: 2, h: 7, w: 9, inC: 9, outC: 33, k: 3, stride: 2, pad: 'same' },
      { batch: 1, h: 8, w: 8, inC: 35, outC: 64, k: 3, stride: 1, pad: 'valid' },
      { batch: 2, h: 6, w: 5, inC: 12, outC: 70, k: 5, stride: 2, pad: 'valid' },
      { batch: 2, h: 10, w: 10, inC: 3, outC: 130, k: 3, stride: 1, pad: 'same' },
      { batch: 2, h: 5, w: 11, inC: 20, outC: 7, k: 3, stride: [1, 2], pad: 'same' },
      { batch: 3, h: 9, w: 9, inC: 10, outC: 48, k: 1, stride: 2, pad: 'valid' },
      { batch: 2, h: 7, w: 7, inC: 16, outC: 24, k: 4, stride: 2, pad: 'same' }, // even filter: asymmetric padding
      { batch: 3, h: 28, w: 28, inC: 1, outC: 32, k: 3, stride: 1, pad: 'same' }, // small-cnn conv1
      { batch: 3, h: 14, w: 14, inC: 32, outC: 64, k: 3, stride: 1, pad: 'same' }, // small-cnn conv2
    );
    const name = (c: Case) => `x=[${c.batch},${c.h},${c.w},${c.inC}] f=${c.k}x${c.k}x${c.outC} stride=${c.stride} pad=${c.pad}`;
    const data = (c: Case) => ({ x: t([c.batch, c.h, c.w, c.inC], 11), f: t([c.k, c.k, c.inC, c.outC], 12) });

    it.each(cases.map((c) => [name(c), c] as const))('values and both gradients: %s', (_, c) => {
      const conv = (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad);
      for (const fn of ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'] as const) {
        close(fn, () => {
          const { x, f } = data(c);
          return [conv(x, f), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => weighted(conv(p, q), 13))([x, f])];
        });
      }
    });

    it('forward with dilation 2', () => {
      close('conv2d', () => tf.conv2d(t([2, 9, 9, 3], 14) as tf.Tensor4D, t([3, 3, 3, 4], 15) as tf.Tensor4D, 1, 'same', 'NHWC', 2));
      close('conv2d', () => tf.conv2d(t([2, 11, 10, 10], 14) as tf.Tensor4D, t([3, 3, 10, 20], 15) as tf.Tensor4D, 1, 'valid', 'NHWC', [2, 3]));
    });

    it('propagates NaN from the input as the cpu backend does', () => {
      const [[want], [got]] = compare('conv2d', () => {
        const v = uniform([2, 6, 6, 9], 30);
        v[5] = NaN;
        v[200] = NaN;
        return tf.conv2d(tf.tensor(v, [2, 6, 6, 9]) as tf.Tensor4D, t([3, 3, 9, 20], 31) as tf.Tensor4D, 1, 'same');
      });
      const nan = (a: Float32Array) => a.map((x) => +Number.isNaN(x));
      expect(nan(got)).toEqual(nan(want));
      expect(want.some(Number.isNaN)).toBe(true);
      const finite = (a: Float32Array) => a.map((x) => (Number.isNaN(x) ? 0 : x));
      expect(relDiff(finite(got), finite(want))).toBeLessThan(1e-5);
    });

    it.each([
      ['relu', 'same', 1, 3, 5], ['linear', 'valid', 2, 3, 5], ['relu', 'same', 2, 3, 5], ['relu', 'same', 1, 12, 40], ['relu', 'valid', 1, 2, 70],
    ] as const)('fused with bias, %s, %s, stride %d, %d→%d channels: values and gradients', (activation, pad, stride, inC, outC) => {
      close('conv2d', () => {
        const x = t([3, 8, 7, inC], 16);
        const f = t([3, 3, inC, outC], 17);
        const bias = t([outC], 18);
        const y = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) =>
          tf.fused.conv2d({ x: p as tf.Tensor4D, filter: q as tf.Tensor4D, strides: stride, pad, bias: r, activation });
        return [y(x, f, bias), ...tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => weighted(y(p, q, r), 19))([x, f, bias])];
      });
    });

    // Each output element is summed in one fixed order (conv_direct.cc), so an image's outputs
    // and input gradient are the same floats alone as inside a batch, though the blocks of rows
    // then straddle images (9 × 9 = 81 rows per image, blocks of 6 to 16 rows).
    it.each([
      [1, 32], [3, 7], [8, 16], [32, 64], [12, 40],
    ])('%d→%d channels: an image gives the same floats alone as in a batch of 3 (values, input gradient)', (inC, outC) => {
      const x = t([3, 9, 9, inC], 40);
      const f = t([3, 3, inC, outC], 41);
      const w = t([3, 9, 9, outC], 42);
      const run = (xs: tf.Tensor, ws: tf.Tensor) => {
        const conv = (p: tf.Tensor) => tf.conv2d(p as tf.Tensor4D, f as tf.Tensor4D, 1, 'same');
        return [conv(xs), tf.grad((p: tf.Tensor) => tf.sum(tf.mul(conv(p), ws)))(xs)];
      };
      const [[batchY, batchDx]] = onBackends(['native'], () => run(x, w));
      for (let b = 0; b < 3; b++) {
        const [[y, dx]] = onBackends(['native'], () => run(tf.slice(x, b, 1), tf.slice(w, b, 1)));
        expectSame(batchY.subarray(b * y.length, (b + 1) * y.length), y);
        expectSame(batchDx.subarray(b * dx.length, (b + 1) * dx.length), dx);
      }
    });
  });

  describe('max pooling', () => {
    const cases = [
      { shape: [1, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
      { shape: [3, 7, 9, 4], size: 2, stride: 2, pad: 'same' },
      { shape: [2, 7, 7, 5], size: 3, stride: 2, pad: 'same' },
      { shape: [2, 6, 5, 2], size: 3, stride: 1, pad: 'valid' },
      { shape: [2, 5, 5, 3], size: 3, stride: 1, pad: 'same' },
      // Disjoint windows inside the input (the vectorised path): exact tilings, uncovered
      // pixels, gaps between windows, partial and whole vectors of channels.
      { shape: [2, 8, 6, 32], size: 2, stride: 2, pad: 'valid' },
      { shape: [2, 7, 9, 20], size: 2, stride: 2, pad: 'valid' },
      { shape: [2, 9, 9, 17], size: 3, stride: 3, pad: 'valid' },
      { shape: [1, 9, 8, 16], size: 2, stride: 3, pad: 'valid' },
      { shape: [3, 14, 14, 64], size: 2, stride: 2, pad: 'valid' },
    ] as const;
    it.each(cases)('$shape pool $size stride $stride $pad: values and gradient', ({ shape, size, stride, pad }) => {
      for (const fn of ['maxPool', 'maxPoolGrad'] as const) {
        close(fn, () => {
          const x = t([...shape], 20);
          const pool = (v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, size, stride, pad);
          return [pool(x), tf.grad((v: tf.Tensor) => weighted(pool(v), 21))(x)];
        }, 1e-6);
      }
    });

    it.each([3, 32, 20])('sends the gradient of a tie to the first maximum in window order, as tfjs does (%d channels)', (c) => {
      // After a ReLU most windows hold several zeros.
      same('maxPoolGrad', () => {
        const x = tf.relu(t([2, 8, 8, c], 22, -1, 0.3));
        return tf.grad((v: tf.Tensor) => weighted(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid'), 23))(x);
      });
    });

    // Disjoint windows (no gradient sums two values), so the results are the same floats.
    it.each([[2, 2], [3, 3], [2, 3]])('NaN, -Infinity, +0 and -0 in windows: values and gradient as tfjs (pool %d stride %d)', (size, stride) => {
      for (const fn of ['maxPool', 'maxPoolGrad'] as const) {
        same(fn, () => {
          const v = uniform([2, 6, 6, 18], 24);
          const specials = [NaN, -Infinity, 0, -0, Infinity];
          for (let i = 0; i < v.length; i += 7) v[i] = specials[(i / 7) % specials.length];
          // Whole windows of NaN and of -Infinity: no maximum, no gradient.
          for (let ch = 0; ch < 18; ch++) {
            for (const [y, x] of [[0, 0], [0, 1], [1, 0], [1, 1]]) v[(y * 6 + x) * 18 + ch] = ch % 2 ? NaN : -Infinity;
          }
          const x = tf.tensor(v, [2, 6, 6, 18]);
          const pool = (p: tf.Tensor) => tf.maxPool(p as tf.Tensor4D, size, stride, 'valid');
          return [pool(x), tf.grad((p: tf.Tensor) => weighted(pool(p), 25))(x)];
        });
      }
    });
  });

  describe('element-wise', () => {
    const pairs: [number[], number[]][] = [
      [[7, 5], [7, 5]], [[7, 5], []], [[], [7, 5]], [[7, 5], [1]], [[7, 5], [5]], [[5], [7, 5]], [[7, 5], [1, 5]],
      [[7, 5], [7, 1]], [[7, 1], [7, 5]], [[3, 4, 5, 6], [6]], [[3, 4, 5, 6], [1, 1, 1, 6]], [[3, 4, 5, 6], [3, 1, 1, 1]],
      [[1, 5], [7, 1]], [[1], [1]],
    ];
    for (const [op, fn] of [['add', tf.add], ['sub', tf.sub], ['mul', tf.mul], ['div', tf.div]] as const) {
      it.each(pairs)(`${op} %j with %j, values and gradients`, (aShape, bShape) => {
        expect(planBinary(aShape, bShape)).not.toBeNull();
        same('binary', () => {
          const a = t(aShape, 24);
          const b = t(bShape, 25, 0.5, 2);
          return [fn(a, b), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => weighted(fn(p, q), 26))([a, b])];
        });
      });
    }

    it('a broadcast with no [outer, inner] split goes to the cpu kernel, with the same result', () => {
      expect(planBinary([2, 1, 3], [1, 4, 1])).toBeNull();
      const [want, got] = onBackends(BOTH, () => tf.mul(t([2, 1, 3], 27), t([1, 4, 1], 28)));
      expectSame(got[0], want[0]);
    });

    const special = Float32Array.of(NaN, -0, 0, -1.5, 1e-30, 3, Infinity, -Infinity);
    for (const [op, fn, lo] of [
      ['relu', tf.relu, -1], ['step', (x: tf.Tensor) => tf.step(x, 0.25), -1], ['sqrt', tf.sqrt, 0], ['square', tf.square, -2],
      ['neg', tf.neg, -1], ['exp', tf.exp, -5], ['log', tf.log, 0.01], ['rsqrt', tf.rsqrt, 0.01],
    ] as const) {
      it(`${op}: values (NaN, ±0, ±∞ included) and gradient`, () => {
        same('unary', () => {
          const x = tf.concat([t([123], 29, lo, 5), tf.tensor(special)]);
          return [fn(x), tf.grad((v: tf.Tensor) => weighted(fn(v), 30))(t([37], 31, Math.max(lo, 0.01), 5))];
        });
      });
    }

    it('relu gradient (step · dy, fused) of a 4D activation, NaN and zeros included', () => {
      same('reluGrad', () => {
        const x = tf.concat([t([2 * 5 * 5 * 3], 33), tf.tensor(special), tf.zeros([7])]);
        return tf.grad((v: tf.Tensor) => weighted(tf.relu(v), 32))(x);
      });
    });
  });

  describe('reductions', () => {
    const cases: [number[], number | number[] | null, boolean][] = [
      [[7, 5], 1, false], [[7, 5], -1, true], [[7, 5], 0, false], [[7, 5], 0, true], [[7, 5], null, false], [[7, 5], [0, 1], true],
      [[3, 4, 5, 6], [0, 1, 2], false], [[3, 4, 5, 6], [0, 1, 2], true], [[3, 4, 5, 6], [2, 3], false], [[3, 1, 5, 6], [0, 2], false],
      [[128, 10], 1, true], [[1, 9], 0, false], [[9], 0, false],
    ];
    for (const [op, fn] of [['sum', tf.sum], ['mean', tf.mean], ['max', tf.max]] as const) {
      it.each(cases)(`${op} of %j over %j keepDims=%s, values and gradient`, (shape, axis, keepDims) => {
        expect(planReduce(shape, axis ?? undefined, keepDims)).not.toBeNull();
        same('reduce', () => {
          const x = t(shape, 34);
          const f = (v: tf.Tensor) => fn(v, axis ?? undefined, keepDims);
          return [f(x), tf.grad((v: tf.Tensor) => weighted(f(v), 35))(x)];
        });
      });
    }

    it('middle axes go to the cpu kernel, with the same result', () => {
      expect(planReduce([3, 4, 5, 6], [1, 2], false)).toBeNull();
      const [want, got] = onBackends(BOTH, () => tf.mean(t([3, 4, 5, 6], 36), [1, 2]));
      expectSame(got[0], want[0]);
    });
  });

  describe('batch norm and tile', () => {
    it.each([[[4, 5, 5, 3], true], [[4, 5, 5, 3], false], [[7, 6], true]] as const)('batchNorm of %j (scale and offset: %s): values and gradients', (shape, affine) => {
      const c = shape[shape.length - 1];
      same('batchNorm', () => {
        const x = t([...shape], 50);
        const mean = t([c], 51);
        const variance = t([c], 52, 0.1, 2);
        const offset = t([c], 53);
        const scale = t([c], 54, 0.5, 2);
        const f = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => (affine ? tf.batchNorm(p, mean, variance, q, r, 1e-3) : tf.batchNorm(p, mean, variance, undefined, undefined, 1e-3));
        return [f(x, offset, scale), ...(affine ? tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => weighted(f(p, q, r), 55))([x, offset, scale]) : [])];
      });
    });

    it.each([[[1, 1, 1, 6], [4, 3, 2, 1]], [[2, 3], [3, 2]], [[5], [3]], [[2, 1, 3], [1, 4, 2]]])('tile %j by %j', (shape, reps) => {
      same('tile', () => tf.tile(t(shape, 56), reps));
    });
  });

  describe("Lethe's kernel threads", () => {
    // Large enough that every kernel below cuts its work into parts: convolutions of 16 × 28 × 28 pixels (12,544
    // rows, 7 parts of the filter gradient), element-wise passes of 100 k floats.
    const x = () => t([16, 28, 28, 8], 61);
    const f = () => t([3, 3, 8, 24], 62);
    const grey = () => t([16, 28, 28, 1], 63);
    const f1 = () => t([3, 3, 1, 16], 64);
    const step = () => {
      const conv = tf.grad((p: tf.Tensor) => weighted(tf.relu(tf.conv2d(p as tf.Tensor4D, f() as tf.Tensor4D, 1, 'same')), 65))(x());
      const filter = tf.grad((q: tf.Tensor) => weighted(tf.conv2d(x() as tf.Tensor4D, q as tf.Tensor4D, 2, 'same'), 66))(f());
      const greyFilter = tf.grad((q: tf.Tensor) => weighted(tf.conv2d(grey() as tf.Tensor4D, q as tf.Tensor4D, 1, 'same'), 67))(f1());
      const pool = tf.grad((p: tf.Tensor) => weighted(tf.maxPool(p as tf.Tensor4D, 2, 2, 'valid'), 68))(x());
      const elementwise = tf.sub(tf.mul(x(), x()), tf.add(x(), t([8], 69)));
      return [conv, filter, greyFilter, pool, elementwise];
    };
    const at = (threads: number) => {
      if (!load.ok) throw new Error(load.reason);
      const before = load.addon.blasInfo().kernelThreads;
      load.addon.setKernelThreads(threads);
      try {
        return onBackends(['native'], step)[0];
      } finally {
        load.addon.setKernelThreads(before);
      }
    };

    it('give the same bits on one thread and on three, and match the cpu backend', () => {
      const one = at(1);
      const three = at(3);
      one.forEach((o, i) => expectSame(three[i], o));
      const [cpu] = onBackends(['cpu'], step);
      cpu.forEach((c, i) => expect(relDiff(three[i], c), `output ${i}`).toBeLessThan(1e-5));
    });
  });

  it('int32 tensors go to the cpu kernels', () => {
    const [want, got] = onBackends(BOTH, () => tf.cast(tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.scalar(4, 'int32')), 'float32'));
    expectSame(got[0], want[0]);
  });

  it('leaks no tensors and no backend buffers over repeated gradients', async () => {
    await tf.setBackend('native');
    const run = () => tf.tidy(() => {
      const x = t([2, 8, 8, 3], 37);
      const f = t([3, 3, 3, 4], 38);
      const y = (p: tf.Tensor, q: tf.Tensor) => tf.maxPool(tf.relu(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
      return tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.mean(y(p, q)))([x, f]).map((g) => tf.sum(g));
    }).forEach((g) => g.dispose());
    run();
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 10; i++) run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    await tf.setBackend('cpu');
  });
});
