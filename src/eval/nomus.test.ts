import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../shared/random.ts';
import { fitLogistic1d, lossAttackAccuracy, nomus, sampleLosses } from './nomus.ts';

/** The objective scikit-learn's LogisticRegression (C = 1) minimises, for a brute-force check of the fit. */
const objective = (x: number[], y: number[], w: number, b: number) =>
  0.5 * w * w + x.reduce((s, xi, i) => s + Math.log1p(Math.exp(-(y[i] ? 1 : -1) * (w * xi + b))), 0);

describe('NoMUS', () => {
  it('the score by hand: ½·TA + ½·(1 − 2|MIA − ½|)', () => {
    expect(nomus(80, 0.5)).toBeCloseTo(0.9, 12);
    expect(nomus(80, 1)).toBeCloseTo(0.4, 12);
    expect(nomus(80, 0)).toBeCloseTo(0.4, 12);
    expect(nomus(60, 0.75, 0.25)).toBeCloseTo(0.25 * 0.6 + 0.75 * 0.5, 12);
  });

  it('per-sample losses are −log p[y]', () => {
    const l = sampleLosses({ probs: Float32Array.from([0.5, 0.5, 0.25, 0.75]), labels: Int32Array.from([0, 1]) }, 2);
    expect(l[0]).toBeCloseTo(Math.log(2), 6);
    expect(l[1]).toBeCloseTo(-Math.log(0.75), 6);
  });

  it('the logistic fit is the minimum of the objective (checked against a grid search)', () => {
    const r = mulberry32(3);
    const x = Array.from({ length: 60 }, (_, i) => (i < 30 ? 1 : 2) + r());
    const y = x.map((_, i) => (i < 30 ? 0 : 1));
    const { w, b } = fitLogistic1d(x, y);
    let best = Infinity;
    for (let gw = -10; gw <= 10; gw += 0.05) for (let gb = -20; gb <= 20; gb += 0.05) best = Math.min(best, objective(x, y, gw, gb));
    expect(objective(x, y, w, b)).toBeLessThanOrEqual(best + 1e-9);
    expect(w).toBeGreaterThan(0);
  });

  it('the attack is perfect on separated losses and at chance on identical ones', () => {
    const forget = Array.from({ length: 200 }, (_, i) => 0.01 + i * 1e-4);
    const unseen = Array.from({ length: 500 }, (_, i) => 3 + i * 1e-3);
    expect(lossAttackAccuracy(forget, unseen, 1)).toBe(1);
    const same = Array.from({ length: 300 }, () => 0.7);
    expect(lossAttackAccuracy(same, same, 1)).toBe(0.5);
    expect(lossAttackAccuracy([1], [2], 1)).toBeNaN();
  });
});
