import { describe, expect, it } from 'vitest';
import type { ApiUliraRecord, ApiUliraSummary, ComparisonSummary } from '../../../src/shared/http.ts';
import { accuracyBins, binWidthFor, comparisonFor, fromIdeal, idsFile, mostExposed, uliraHistograms, uliraLabel } from './ulira.ts';

describe('accuracyBins', () => {
  it('bins of 10 points centred on 0, 10, …, 100, clipped to [0, 100]', () => {
    // 0 and 4.99 → the bin of 0 ([0, 5)); 5 → 10 ([5, 15)); 33.33 → 30; 50 and 54.9 → 50 ([45, 55)); 55 → 60;
    // 95 and 100 → 100 ([95, 100]); NaN is left out.
    const b = accuracyBins([0, 4.99, 5, 50, 54.9, 55, 95, 100, 33.33, NaN]);
    expect(b.map((x) => x.center)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(b.map((x) => x.count)).toEqual([2, 1, 0, 1, 0, 2, 1, 0, 0, 0, 2]);
    expect([b[0].x0, b[0].x1, b[5].x0, b[5].x1, b[10].x0, b[10].x1]).toEqual([0, 5, 45, 55, 95, 100]);
  });

  it('another width: 25 points, as K = 4 shadows make (0, 25, 50, 75, 100)', () => {
    // 12.5 → 25 (the upper bin of the tie), 62.4 → 50, 62.5 → 75.
    const b = accuracyBins([0, 25, 50, 50, 75, 100, 12.5, 62.4, 62.5], 25);
    expect(b.map((x) => [x.center, x.x0, x.x1, x.count])).toEqual([[0, 0, 12.5, 1], [25, 12.5, 37.5, 2], [50, 37.5, 62.5, 3], [75, 62.5, 87.5, 2], [100, 87.5, 100, 1]]);
  });

  it('one bin per value a target can take with K = 6 shadows: 100·j/6, as the attack computes them', () => {
    expect(binWidthFor(6)).toBe(100 / 6);
    expect(binWidthFor(20)).toBe(5);
    expect(binWidthFor(64)).toBe(5);
    // correct / K · 100 for j = 0..6 right out of 6, then 3 and 6 again.
    const values = [0, 1, 2, 3, 4, 5, 6, 3, 6].map((j) => (100 * j) / 6);
    const b = accuracyBins(values, binWidthFor(6));
    expect(b.map((x) => x.count)).toEqual([1, 1, 1, 2, 1, 1, 2]);
    expect(b.map((x) => x.center)).toEqual([0, 1, 2, 3, 4, 5, 6].map((j) => j * (100 / 6)));
    expect(b[3].x0).toBeCloseTo(250 / 6, 12);
    expect(b[3].x1).toBeCloseTo(350 / 6, 12);
  });

  it('bins the targets and the retain examples before and after apart', () => {
    const r = {
      examples: { ids: [1, 2, 3], labels: [0, 0, 1], accuracy: [50, 100, 100] },
      retainExamples: { ids: [4, 5], labels: [1, 1], before: [70, 90], after: [50, 60] },
    };
    const h = uliraHistograms(r);
    const counts = (bs: { center: number; count: number }[]) => Object.fromEntries(bs.filter((x) => x.count).map((x) => [x.center, x.count]));
    expect(counts(h.forget)).toEqual({ 50: 1, 100: 2 });
    expect(counts(h.retainBefore)).toEqual({ 70: 1, 90: 1 });
    expect(counts(h.retainAfter)).toEqual({ 50: 1, 60: 1 });
  });
});

describe('mostExposed', () => {
  it('highest per-example accuracy first, then the smaller id; no accuracy, no place', () => {
    const x: ApiUliraRecord['examples'] = { ids: [5, 3, 9, 7], labels: [0, 1, 2, 3], accuracy: [75, 100, 75, NaN] };
    expect(mostExposed(x, 10).map((e) => e.id)).toEqual([3, 5, 9]);
    expect(mostExposed(x, 2)).toEqual([{ index: 1, id: 3, label: 1, accuracy: 100 }, { index: 0, id: 5, label: 0, accuracy: 75 }]);
  });
});

it('fromIdeal: the distance from 50% and its sense', () => {
  expect(fromIdeal(62.5)).toEqual({ points: 12.5, verdict: 'leaks' });
  expect(fromIdeal(50.2).verdict).toBe('ideal');
  expect(fromIdeal(40)).toEqual({ points: -10, verdict: 'below chance' });
});

describe('the comparison for the Instances view', () => {
  const c = (id: string, originalId: string, dataset: string, methods: string[], created: string) => ({ id, originalId, dataset, methods, created }) as ComparisonSummary;
  it('is the newest of the same original and data, one that ran the method first', () => {
    const list = [c('a', 'o1', 'd', ['retrain', 'ft'], '2026-01-01'), c('b', 'o1', 'd', ['retrain', 'ga'], '2026-01-03'), c('c', 'o1', 'd', ['retrain', 'ft'], '2026-01-02'), c('d', 'o2', 'd', ['ft'], '2026-01-04'), c('e', 'o1', 'e', ['ft'], '2026-01-05')];
    expect(comparisonFor({ originalId: 'o1', dataset: 'd', method: 'ft' }, list)?.id).toBe('c');
    expect(comparisonFor({ originalId: 'o1', dataset: 'd', method: 'rl' }, list)?.id).toBe('b');
    expect(comparisonFor({ originalId: 'o3', dataset: 'd', method: 'ft' }, list)).toBeUndefined();
  });
});

it('uliraLabel and idsFile', () => {
  const u = { method: 'ft', dataset: 'synthetic', shadows: 6, targets: 40, accuracy: 63.25, created: 'X' } as ApiUliraSummary;
  expect(uliraLabel(u, (d) => `<${d}>`)).toBe('ft · synthetic · K = 6 · 40 targets · 63.3% · <X>');
  expect(idsFile([3, 10, 7])).toBe('3\n10\n7\n');
});
