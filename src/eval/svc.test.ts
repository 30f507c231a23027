import { describe, expect, it } from 'vitest';
import { fitSvc1d, svcDecision, svcPredict } from './svc.ts';

const coefAt = (m: ReturnType<typeof fitSvc1d>, v: number) => m.dualCoef[[...m.supportVectors].indexOf(v)];

describe('fitSvc1d (RBF, C = 3, gamma = 1)', () => {
  it('two points: alpha = 1 / (1 - e^-1), boundary at the midpoint', () => {
    // Dual with x = 0 (class 0) and x = 1 (class 1): alpha1 = alpha2 = a, objective
    // 2a - a^2 (1 - K), K = e^-1, so a = 1 / (1 - e^-1) = 1.5819767 < C; by symmetry b = 0.
    const m = fitSvc1d([1, 0], [1, 0]);
    expect(coefAt(m, 1)).toBeCloseTo(1.5819767, 6);
    expect(coefAt(m, 0)).toBeCloseTo(-1.5819767, 6);
    expect(m.intercept).toBeCloseTo(0, 9);
    expect(svcDecision(m, 1)).toBeCloseTo(1, 6); // both points sit on the margin
    expect(svcDecision(m, 0)).toBeCloseTo(-1, 6);
    expect([...svcPredict(m, [0.2, 0.49, 0.51, 0.8])]).toEqual([0, 0, 1, 1]);
    expect(svcPredict(m, [0.5])[0]).toBe(1); // exact tie goes to class 1, as LIBSVM's vote
  });

  it('close points: the box C = 3 binds', () => {
    // x = 0 and 0.5: unconstrained a = 1 / (1 - e^-0.25) = 4.52 > 3, so a = C = 3.
    const m = fitSvc1d([0.5, 0], [1, 0]);
    expect(coefAt(m, 0.5)).toBe(3);
    expect(coefAt(m, 0)).toBe(-3);
    expect([...svcPredict(m, [0.24, 0.26])]).toEqual([0, 1]);
  });

  it('separable four points: only the inner pair are support vectors', () => {
    // Pair 0.1 / 0.9: a = 1 / (1 - e^-0.64) = 2.1154728; the outer points then have
    // y f(x) = 2.1155 (e^-0.01 - e^-0.81) = 1.153 >= 1, so they stay at alpha = 0.
    const m = fitSvc1d([1, 0.9, 0, 0.1], [1, 1, 0, 0]);
    expect([...m.supportVectors].sort()).toEqual([0.1, 0.9]);
    expect(coefAt(m, 0.9)).toBeCloseTo(2.1154728, 5);
    expect(svcDecision(m, 1)).toBeCloseTo(2.1154728 * (Math.exp(-0.01) - Math.exp(-0.81)), 5);
  });

  it('duplicate points act as one point with a larger box', () => {
    const m = fitSvc1d([1, 1, 0], [1, 1, 0]);
    // The two copies share the single point's alpha: the sum is still 1.5819767.
    expect(coefAt(m, 1)).toBeCloseTo(1.5819767, 6);
    expect(coefAt(m, 0)).toBeCloseTo(-1.5819767, 6);
  });

  it('equal values of opposite class do not break the step (zero curvature)', () => {
    // scikit-learn: dual_coef_ = [-3, 3], intercept_ = 0, predicts 1 at 0.5.
    const m = fitSvc1d([0.5, 0.5], [1, 0]);
    expect([...m.dualCoef].sort()).toEqual([-3, 3]);
    expect(svcPredict(m, [0.5])[0]).toBe(1);
  });

  it("matches scikit-learn's SVC(C=3, gamma='auto') on ten overlapping points", () => {
    // Numbers from sklearn 1.2.1 (Debian python3-sklearn) on the same data.
    const m = fitSvc1d([0.9, 0.95, 0.6, 1.0, 0.7, 0.1, 0.65, 0.3, 0.8, 0.5], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(m.converged).toBe(true);
    expect(m.intercept).toBeCloseTo(0.0709376, 4);
    expect(coefAt(m, 0.3)).toBeCloseTo(-1.7101384, 4);
    expect(coefAt(m, 0.95)).toBeCloseTo(1.7101384, 4);
    expect(m.supportVectors.length).toBe(8);
    const sk = [-1.4174729, -0.2793222, -0.0443872, 0.3954924, 1.1246161];
    [0.0, 0.55, 0.62, 0.75, 1.0].forEach((v, i) => expect(svcDecision(m, v)).toBeCloseTo(sk[i], 4));
  });

  it('needs both classes', () => {
    expect(() => fitSvc1d([1, 2], [1, 1])).toThrow(/both classes/);
    expect(() => fitSvc1d([1, 2], [1, 2])).toThrow(/0 or 1/);
  });
});
