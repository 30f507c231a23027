import { describe, expect, it } from 'vitest';
import type { ApiBankRecord, ComparisonSummary } from '../../../src/shared/http.ts';
import { comparisonOf, epsilonHistogram, leakiest, pointsLabel } from './quality.ts';

describe('the ε histogram', () => {
  it('bins inside the score buckets and counts ε at or above the cap apart (N = 4: cap ceil(ln 3) = 2)', () => {
    const h = epsilonHistogram([0, 0.124, 0.125, 0.5, 0.49, 1.0986, 1.99, 2, 50], 4);
    expect(h.cap).toBe(2);
    expect(h.bins).toHaveLength(16);
    expect(h.bins.every((b, i) => b.x0 === i / 8 && b.x1 === (i + 1) / 8)).toBe(true);
    // 0 and 0.124 in [0, 1/8), 0.125 in [1/8, 2/8), 0.49 in [3/8, 4/8), 0.5 in [4/8, 5/8), 1.0986 in [8/8, 9/8), 1.99 in [15/8, 2).
    expect(h.bins.map((b) => b.count).join('')).toBe('2101' + '1000' + '1000' + '0001');
    expect(h.buckets.map((b) => [b.x0, b.x1, b.points, b.count])).toEqual([[0, 0.5, 1, 4], [0.5, 1, 0.5, 1], [1, 1.5, 0.25, 1], [1.5, 2, 0.125, 1]]);
    expect([h.over, h.total]).toEqual([2, 9]);
    // The forget score the buckets make: (4 + 1/2 + 1/4 + 1/8) / 9.
    expect(h.buckets.reduce((a, b) => a + b.points * b.count, 0) / h.total).toBeCloseTo(4.875 / 9, 15);
  });

  it('has 2·cap buckets for the challenge\'s N = 512 (cap 7), the last worth 1/8192', () => {
    const h = epsilonHistogram([], 512);
    expect(h.cap).toBe(7);
    expect(h.buckets).toHaveLength(14);
    expect(pointsLabel(h.buckets[0].points)).toBe('1');
    expect(pointsLabel(h.buckets[1].points)).toBe('1/2');
    expect(pointsLabel(h.buckets[13].points)).toBe('1/8192');
    expect(pointsLabel(0)).toBe('0');
  });
});

describe('the examples that leak most', () => {
  const x: ApiBankRecord['examples'] = {
    ids: [10, 11, 12, 13, 14], labels: [0, 1, 0, 1, 0], epsilon: [0.3, 50, 1.2, 50, 50],
    retrainedMedian: [1, 2, 1, 0, 3], unlearnedMedian: [1, -1, 0, 4, 0], klom: [0, 1, 2, 3, 4],
  };
  it('orders by ε, then by the gap between the sides\' medians, then by id', () => {
    // ε 50 for 11 (gap 3), 13 (gap 4), 14 (gap 3): 13 first, then 11 before 14 by id; then 12 (1.2), 10 (0.3).
    expect(leakiest(x, 5).map((l) => l.id)).toEqual([13, 11, 14, 12, 10]);
    expect(leakiest(x, 2)).toEqual([
      { index: 3, id: 13, label: 1, epsilon: 50, retrainedMedian: 0, unlearnedMedian: 4, klom: 3 },
      { index: 1, id: 11, label: 1, epsilon: 50, retrainedMedian: 2, unlearnedMedian: -1, klom: 1 },
    ]);
  });
});

describe('the comparison of a bank\'s setting', () => {
  const c = (id: string, originalId: string, forgetText: string, created: string) => ({ id, originalId, forgetText, created }) as ComparisonSummary;
  it('is the newest with the same original and forget request', () => {
    const list = [c('a', 'o1', 'class:1', '2026-01-01'), c('b', 'o1', 'random:30:seed=1', '2026-01-02'), c('c', 'o1', 'random:30:seed=1', '2026-01-03'), c('d', 'o2', 'random:30:seed=1', '2026-01-04')];
    expect(comparisonOf({ originalId: 'o1', forgetText: 'random:30:seed=1' }, list)?.id).toBe('c');
    expect(comparisonOf({ originalId: 'o3', forgetText: 'random:30:seed=1' }, list)).toBeUndefined();
  });
});
