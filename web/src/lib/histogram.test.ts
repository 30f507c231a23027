import { describe, expect, it } from 'vitest';
import { binValues, maxCount, snap } from './histogram.ts';

describe('binValues', () => {
  it('splits [0, 2] into 4 bins of width 0.5 with half-open intervals', () => {
    const bins = binValues([0, 0.49, 0.5, 1.2, 1.99, 2], [0, 2], 5);
    expect(bins.map((b) => [b.x0, b.x1])).toEqual([[0, 0.5], [0.5, 1], [1, 1.5], [1.5, 2]]);
    // 0 and 0.49 in the first bin, 0.5 in the second, 1.2 in the third, 1.99 and hi itself in the last.
    expect(bins.map((b) => b.count)).toEqual([2, 1, 1, 2]);
  });

  it('clips values outside the range into the end bins, as the privacy attack does, and skips NaN', () => {
    const bins = binValues([-5, 7, NaN], [0, 1], 3);
    expect(bins.map((b) => b.count)).toEqual([1, 1]);
  });

  it('rejects an empty range', () => {
    expect(() => binValues([1], [1, 1], 5)).toThrow(/bad bins/);
  });
});

describe('maxCount and snap', () => {
  it('takes the largest count over several histograms, at least 1', () => {
    expect(maxCount(binValues([0, 0, 0], [0, 1], 3), binValues([1], [0, 1], 3))).toBe(3);
    expect(maxCount(binValues([], [0, 1], 3))).toBe(1);
  });

  it('snaps to the nearest grid index', () => {
    expect(snap(0.26, [0, 0.25, 0.5, 0.75, 1])).toBe(1);
    expect(snap(-3, [0, 0.25, 0.5])).toBe(0);
    expect(snap(9, [0, 0.25, 0.5])).toBe(2);
  });
});
