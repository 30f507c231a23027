import { describe, expect, it } from 'vitest';
import { binnedKL, klom, margins } from './klom.ts';

describe('binnedKL', () => {
  it('is 0 for the same sample', () => {
    expect(binnedKL([1, 2, 3, 4], [1, 2, 3, 4])).toBe(0);
  });

  it('worked by hand: disjoint halves of the range give ln(1/1e-5), renormalised', () => {
    // Joint range [0, 10], bins of 0.5. p = {0, 1} sits in bins 0 and 2; q = {9, 10}: 9 in bin 18, 10 is the maximum
    // and falls outside (digitize). p = [½, ½] where q is 0 → floored to 1e-5 each, then q renormalised over its mass
    // 1 + 2e-5: KL = Σ ½·ln(½ / (1e-5 / (1 + 2e-5))).
    const want = Math.log(0.5 / (1e-5 / (1 + 2e-5)));
    expect(binnedKL([0, 1], [9, 10])).toBeCloseTo(want, 10);
  });

  it('clips at ±100 and survives a constant sample', () => {
    expect(binnedKL([1e6, 1e6], [100, 100])).toBe(0);
    expect(Number.isFinite(binnedKL([3, 3, 3], [3, 3, 3]))).toBe(true);
  });
});

describe('margins and klom', () => {
  it('margin = true logit − logsumexp of the others, worked by hand', () => {
    // logits [1, 2, 3], label 2: 3 − ln(e + e²).
    expect(margins(Float32Array.from([1, 2, 3]), [2], 3)[0]).toBeCloseTo(3 - Math.log(Math.E + Math.E ** 2), 6);
  });

  it('is per example over the models', () => {
    const u = [[0, 5], [1, 6], [2, 7]];
    const r = [[0, 0], [1, 1], [2, 2]];
    const k = klom(u, r);
    expect(k[0]).toBe(0);
    expect(k[1]).toBeGreaterThan(1);
  });
});
