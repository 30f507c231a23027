import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../data/registry.ts';
import { mulberry32 } from '../shared/random.ts';
import { fitSvc1d, lowRankRbf, svcDecision, svcPredict } from './svc.ts';

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

// scikit-learn 1.2.1 on the reference's MIA sizes, written by bench/svc_sklearn.py from data both sides generate
// from one formula (confidence-like values from a golden-ratio sequence, rounded to float32).
interface SkCase { members: number; scaleMembers: number; scaleNonMembers: number; intercept: number; supportVectors: number; grid: number[]; decision: number[]; trainAccuracy: number }
const fixture = JSON.parse(readFileSync(`${REPO_ROOT}/test/fixtures/svc-sklearn.json`, 'utf8')) as { cases: SkCase[] };
const GOLD = 0.6180339887498949;
const feature = (n: number, scale: number, offset: number) => Float64Array.from({ length: n }, (_, i) => Math.fround(Math.exp(-scale * -Math.log1p(-(((i + offset) * GOLD) % 1)))));
function caseData(c: SkCase) {
  const m = c.members;
  const x = new Float64Array(2 * m);
  x.set(feature(m, c.scaleMembers, 0.5));
  x.set(feature(m, c.scaleNonMembers, 0.25), m);
  return { x, y: new Uint8Array(2 * m).fill(1, 0, m) };
}

describe('fitSvc1d at the reference\'s sizes', () => {
  for (const c of fixture.cases) {
    it(`matches scikit-learn on ${c.members} members and ${c.members} non-members (scales ${c.scaleMembers} / ${c.scaleNonMembers})`, () => {
      const { x, y } = caseData(c);
      const m = fitSvc1d(x, y);
      expect(m.converged).toBe(true);
      expect(m.supportVectors.length).toBe(c.supportVectors);
      // Both stop at a KKT gap of 1e-3, by different paths: decisions agree to that order.
      expect(Math.abs(m.intercept - c.intercept)).toBeLessThan(5e-3);
      c.grid.forEach((g, k) => expect(Math.abs(svcDecision(m, g) - c.decision[k])).toBeLessThan(5e-3));
      const p = svcPredict(m, x);
      let right = 0;
      for (let i = 0; i < p.length; i++) if (p[i] === y[i]) right++;
      expect(Math.abs(right - c.trainAccuracy * p.length)).toBeLessThanOrEqual(2);
    });
  }

  it('the warm start changes the iterations, not the solution', () => {
    const { x, y } = caseData(fixture.cases[0]);
    const warm = fitSvc1d(x, y);
    const cold = fitSvc1d(x, y, { warmStart: false });
    expect(warm.iterations).toBeLessThan(cold.iterations / 10);
    expect(warm.supportVectors.length).toBe(cold.supportVectors.length);
    expect(Math.abs(warm.intercept - cold.intercept)).toBeLessThan(1e-3);
    for (let v = 0; v <= 1; v += 0.01) expect(Math.abs(svcDecision(warm, v) - svcDecision(cold, v))).toBeLessThan(1e-3);
  });

  it('a feature too wide for the low-rank form is solved by the direct sums, with the same answer', () => {
    // Values spread over [0, 6]: 4 g r^2 = 36 > 13.8, so no low-rank form, and no warm start though n > 3000.
    expect(lowRankRbf(0, 6, 1)).toBeUndefined();
    const r = mulberry32(3);
    const x = Float64Array.from({ length: 3200 }, (_, i) => (i < 1600 ? 3.5 * r() : 2.5 + 3.5 * r()));
    const y = new Uint8Array(3200).fill(1, 0, 1600);
    const a = fitSvc1d(x, y);
    const b = fitSvc1d(x, y, { warmStart: false });
    expect(a.iterations).toBe(b.iterations);
    expect(a.intercept).toBe(b.intercept);
  });
});

describe('the low-rank RBF form', () => {
  it('equals the kernel to 1e-12 over the range it was built for, and says where it cannot', () => {
    const r = mulberry32(7);
    for (const [lo, hi, g] of [[0, 1, 1], [0, Math.log(10), 1], [-0.5, 2.5, 1], [0, 1, 4]]) {
      const lr = lowRankRbf(lo, hi, g)!;
      const fa = new Float64Array(lr.p);
      const fb = new Float64Array(lr.p);
      for (let k = 0; k < 200; k++) {
        const a = lo + (hi - lo) * r();
        const b = lo + (hi - lo) * r();
        lr.row(a, fa, 0);
        lr.row(b, fb, 0);
        let dot = 0;
        for (let q = 0; q < lr.p; q++) dot += fa[q] * fb[q];
        expect(Math.abs(dot - Math.exp(-g * (a - b) ** 2))).toBeLessThan(1e-12);
      }
    }
    expect(lowRankRbf(0, 10, 1)).toBeUndefined();
    expect(lowRankRbf(0, NaN, 1)).toBeUndefined();
  });

  it('svcPredict through it gives the direct sum\'s classes', () => {
    const { x, y } = caseData(fixture.cases[0]);
    const m = fitSvc1d(x, y);
    const fast = svcPredict(m, x); // 4,000 values x ~1,800 support vectors: the low-rank path
    for (let i = 0; i < x.length; i++) {
      const d = svcDecision(m, x[i]);
      if (Math.abs(d) > 1e-9) expect(fast[i], `value ${x[i]}`).toBe(d >= 0 ? 1 : 0);
    }
  });
});
