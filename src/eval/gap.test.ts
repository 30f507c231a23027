import { describe, expect, it } from 'vitest';
import { avgGap, gapClosed, speedup } from './gap.ts';

describe('gap', () => {
  it('avgGap is the mean of absolute differences', () => {
    // |10-8| + |95-99| + |90-91| + |20-25| = 2 + 4 + 1 + 5 = 12, / 4 = 3 (signed it would be -2).
    const m = { UA: 10, RA: 95, TA: 90, MIA: 20 };
    const ref = { UA: 8, RA: 99, TA: 91, MIA: 25 };
    expect(avgGap(m, ref)).toBeCloseTo(3, 12);
    expect(avgGap(ref, m)).toBeCloseTo(3, 12);
    expect(avgGap(ref, ref)).toBe(0);
  });

  it('gapClosed is the fraction of the original gap removed', () => {
    expect(gapClosed(1, 4)).toBeCloseTo(0.75, 12);
    expect(gapClosed(4, 1)).toBeCloseTo(-3, 12); // worse than doing nothing
    expect(gapClosed(2, 2)).toBe(0);
    expect(gapClosed(0, 5)).toBe(1);
    expect(gapClosed(1, 0)).toBeNaN();
  });

  it('speedup is retrain time over method time', () => {
    expect(speedup(100, 4)).toBe(25);
    expect(speedup(100, 0)).toBe(Infinity);
    expect(() => speedup(-1, 2)).toThrow();
  });
});
