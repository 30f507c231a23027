import { describe, expect, it } from 'vitest';
import { meanJS, meanKL } from './divergence.ts';

// Row 0 differs ([.5 .5] vs [.25 .75]); row 1 is the same in both, contributing 0.
const ref = new Float32Array([0.5, 0.5, 0.1, 0.9]);
const model = new Float32Array([0.25, 0.75, 0.1, 0.9]);

describe('divergence', () => {
  it('mean KL(ref || model), not the reverse', () => {
    // KL([.5 .5] || [.25 .75]) = .5 ln 2 + .5 ln(2/3) = 0.1438410; mean over 2 rows = 0.0719205.
    expect(meanKL(ref, model, 2)).toBeCloseTo(0.0719205, 6);
    // Reverse: .25 ln .5 + .75 ln 1.5 = 0.1308120, / 2 = 0.0654060.
    expect(meanKL(model, ref, 2)).toBeCloseTo(0.065406, 6);
  });

  it('mean JS is symmetric and bounded by ln 2', () => {
    // m = [.375 .625]; KL(p||m) = 0.0322689, KL(q||m) = 0.0353752; JS = 0.0338221; / 2 rows.
    expect(meanJS(ref, model, 2)).toBeCloseTo(0.0169110, 6);
    expect(meanJS(model, ref, 2)).toBeCloseTo(0.0169110, 6);
    const a = new Float32Array([1, 0]);
    const b = new Float32Array([0, 1]);
    expect(meanJS(a, b, 2)).toBeCloseTo(Math.LN2, 10);
    expect(meanJS(a, a, 2)).toBe(0);
  });

  it('stays finite when the model gives a zero', () => {
    // 1 * (ln 1 - ln 1e-12) = 12 ln 10
    expect(meanKL(new Float32Array([1, 0]), new Float32Array([0, 1]), 2)).toBeCloseTo(12 * Math.LN10, 8);
    expect(() => meanKL(ref, new Float32Array(2), 2)).toThrow(/length/);
  });
});
