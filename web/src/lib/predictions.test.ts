import { describe, expect, it } from 'vitest';
import { pairStats, predictionPoints, sharedDomain, type Regression } from './predictions.ts';

// A model's probe: four samples, the first two forgotten; its reference (retrain) in another order, lacking id 4.
const model: Regression = { ids: [1, 2, 3, 4], target: [10, 20, 30, 40], pred: [12, 26, 29, 41], forget: [true, true, false, false] };
const retrain: Regression = { ids: [3, 2, 1], target: [30, 20, 10], pred: [31, 18, 16], forget: [false, true, true] };

describe('prediction points', () => {
  it('pair each sample with the reference’s prediction by id, leave out what the reference lacks, and draw forget samples last', () => {
    expect(predictionPoints(model, 'retrain', retrain)).toEqual([
      { id: 3, x: 31, y: 29, forget: false },
      { id: 1, x: 16, y: 12, forget: true },
      { id: 2, x: 18, y: 26, forget: true },
    ]);
  });

  it('pair each sample with its own target, and are empty without a reference', () => {
    expect(predictionPoints(model, 'target').map((p) => [p.id, p.x, p.y])).toEqual([[3, 30, 29], [4, 40, 41], [1, 10, 12], [2, 20, 26]]);
    expect(predictionPoints(model, 'retrain')).toEqual([]);
  });
});

describe('pair statistics', () => {
  it('give the mean absolute distance and the Wasserstein-1 of the forget samples and of the rest, by hand', () => {
    const s = pairStats(predictionPoints(model, 'retrain', retrain));
    // Forget: |12 − 16| = 4, |26 − 18| = 8, mean 6. As sets: {12, 26} against {16, 18}; sorted pairs 12↔16, 26↔18: (4 + 8)/2 = 6.
    expect(s.forget.n).toBe(2);
    expect(s.forget.meanAbs).toBeCloseTo(6, 12);
    expect(s.forget.w1).toBeCloseTo(6, 12);
    // Rest: one sample, |29 − 31| = 2.
    expect(s.other).toEqual({ n: 1, meanAbs: 2, w1: 2 });
  });

  it('tell the distributions’ distance apart from the sample-by-sample one: swapped predictions have W1 = 0', () => {
    const m: Regression = { ids: [1, 2], target: [0, 0], pred: [5, 1], forget: [true, true] };
    const r: Regression = { ids: [1, 2], target: [0, 0], pred: [1, 5], forget: [true, true] };
    const s = pairStats(predictionPoints(m, 'retrain', r));
    expect(s.forget.meanAbs).toBe(4);
    expect(s.forget.w1).toBe(0);
  });

  it('are NaN with no samples, not zero', () => {
    const s = pairStats([]);
    expect(s.forget.n).toBe(0);
    expect(Number.isNaN(s.forget.meanAbs)).toBe(true);
    expect(Number.isNaN(s.forget.w1)).toBe(true);
  });
});

describe('shared domain', () => {
  it('covers every x and y of every panel, padded, and falls back on [0, 1]', () => {
    const a = predictionPoints(model, 'target');
    const b = predictionPoints(model, 'retrain', retrain);
    const [lo, hi] = sharedDomain(a, b);
    expect(lo).toBeLessThan(10);
    expect(hi).toBeGreaterThan(41);
    expect(hi - lo).toBeLessThan(31 * 1.2);
    expect(sharedDomain()).toEqual([0, 1]);
  });
});
