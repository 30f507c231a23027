import { describe, expect, it } from 'vitest';
import { l1, rmse, scaledErrors, wasserstein1 } from './regression.ts';

describe('regression metrics', () => {
  it('L1 and RMSE by hand', () => {
    // errors 1, −2, 3: |·| mean 2, squares 1 + 4 + 9 = 14.
    expect(l1([2, 0, 6], [1, 2, 3])).toBeCloseTo(2, 12);
    expect(rmse([2, 0, 6], [1, 2, 3])).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(() => l1([1], [1, 2])).toThrow(/1 predictions for 2 targets/);
  });

  it('Wasserstein-1 on the line, against worked examples', () => {
    // Equal sizes: the mean distance of the sorted values, |0−1| and |1−3| → 1.5, whatever the order given.
    expect(wasserstein1([1, 0], [3, 1])).toBeCloseTo(1.5, 12);
    // A shift moves every quantile by the shift.
    expect(wasserstein1([0, 1, 2, 5], [10, 11, 12, 15])).toBeCloseTo(10, 12);
    // Different sizes: {0} against {0, 2}: F differs by ½ on [0, 2) → 1 (scipy.stats.wasserstein_distance([0], [0, 2]) = 1).
    expect(wasserstein1([0], [0, 2])).toBeCloseTo(1, 12);
    // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5; ([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]) = 2.7.
    expect(wasserstein1([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 12);
    expect(wasserstein1([3.4, 3.9, 7.5, 7.8], [4.5, 1.4])).toBeCloseTo(2.7, 12);
    expect(wasserstein1([2, 2], [2])).toBe(0);
  });

  it('scaled errors are |prediction − target| / scale', () => {
    expect(Array.from(scaledErrors([3, 0], [1, 4], 2))).toEqual([1, 2]);
  });
});
