// Shared by the native backend's tests: seeded data, running one computation on two
// backends, and comparing what comes back.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Uniform in [lo, hi) from a seeded stream (mulberry32). */
export function uniform(shape: number[], seed: number, lo = -1, hi = 1): Float32Array {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed >>> 0;
  for (let i = 0; i < v.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    v[i] = lo + ((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * (hi - lo));
  }
  return v;
}

/** Runs f on each backend (inside tidy) and returns every output's values, per backend. */
export function onBackends(names: string[], f: () => tf.Tensor | tf.Tensor[]): Float32Array[][] {
  const prev = tf.getBackend();
  try {
    return names.map((name) => {
      tf.setBackend(name);
      return tf.tidy(() => {
        const out = f();
        return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync()));
      });
    });
  } finally {
    tf.setBackend(prev);
  }
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** max |got - want| / max |want| (NaN where either has NaN and the other not). */
export function relDiff(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let d = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(got[i]) !== Number.isNaN(want[i])) return NaN;
    if (!Number.isNaN(got[i])) d = Math.max(d, Math.abs(got[i] - want[i]));
  }
  return d / Math.max(maxAbs(want), 1e-30);
}

/** Equal value for value (+0 and -0 apart, NaN equal to NaN): the same float results. */
export function expectSame(got: Float32Array, want: Float32Array) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])))) {
      throw new Error(`differ at ${i}: ${got[i]} vs ${want[i]}`);
    }
  }
}
