import { describe, expect, it } from 'vitest';
import { MAX_EPSILON, attackCurve, epsilonFromRates, privacyFeatures, privacyScore } from './privacy.ts';

describe('epsilonFromRates', () => {
  it('reference rule: epsilon = max(0, min of the two log ratios)', () => {
    // lg1 = ln((1 - 1e-5 - .1) / .2) = 1.5040663, lg2 = ln((1 - 1e-5 - .2) / .1) = 2.0794290.
    const r = epsilonFromRates(0.1, 0.2);
    expect(r.epsilon).toBeCloseTo(1.5040663, 6);
    expect(r.attackScore).toBeCloseTo(0.6474417, 6); // 1 - 2^-1.5040663
    expect(epsilonFromRates(0.1, 0.2, 1e-5, 'max').epsilon).toBeCloseTo(2.079429, 6);
    expect(epsilonFromRates(0.2, 0.1).epsilon).toBeCloseTo(1.5040663, 6); // symmetric in the pair
  });

  it('special cases: no errors, useless attacks, worse than chance', () => {
    expect(epsilonFromRates(0, 0)).toEqual({ epsilon: MAX_EPSILON, attackScore: 1 });
    expect(MAX_EPSILON).toBeCloseTo(23.0258409, 6); // ln((1 - 1e-5 - 1e-10) / 1e-10)
    expect(epsilonFromRates(1, 0)).toEqual({ epsilon: 0, attackScore: 0 });
    expect(epsilonFromRates(0.5, 0.5).epsilon).toBe(0); // ln(1 - 2e-5) < 0, floored at 0
  });
});

const flat = [3, 3]; // a confidence the two models share: no attack there

describe('privacyScore', () => {
  it('identical outputs: every attack scores 0, privacy 1', () => {
    const v = { entropy: [0.5, 0.98], confidence: flat };
    const r = privacyScore({ unlearn: v, retrain: v });
    expect(r.score).toBe(1);
    for (const c of r.curves) for (const p of c.points) expect(p.attackScore).toBe(0);
  });

  it('one sample apart: the finite-sample attack the formula gives', () => {
    // unlearn entropies [.5 .98], retrain [.5 .62]. Attack "unlearn if >= t", t in (.62, .98]:
    // TPR = 1/2, FPR = 0 -> FNR = .5, FPR clipped to 1e-10:
    // lg1 = ln((1 - 1e-5 - 1e-10) / .5) = 0.6931372, lg2 = ln(.49999 / 1e-10) = 22.33;
    // epsilon = 0.6931372, attack = 1 - 2^-eps = 0.3814926, privacy = 0.6185074.
    const r = privacyScore({
      unlearn: { entropy: [0.5, 0.98], confidence: flat },
      retrain: { entropy: [0.5, 0.62], confidence: flat },
    });
    expect(r.score).toBeCloseTo(0.6185074, 6);
    expect(r.strongest.feature).toBe('entropy');
    expect(r.strongest.above).toBe('unlearn');
    const p = r.strongest.point;
    expect(p.threshold).toBeCloseTo(0.65, 10); // the first grid point (step 0.05) above .62
    expect(p.fpr).toBe(0);
    expect(p.fnr).toBe(0.5);
    expect(p.epsilon).toBeCloseTo(0.6931372, 6);
    expect(p.accuracy).toBeCloseTo(75, 10); // .98 called unlearn, .5 and .62 called retrain: 3 of 4
    const curve = r.curves.find((c) => c.feature === 'entropy' && c.above === 'unlearn')!;
    expect(curve.points.length).toBe(51);
    expect(curve.bestByAccuracy.accuracy).toBeCloseTo(75, 10);
    // The DP lower bound (max of the two ratios) instead takes lg2 = 22.33: attack ~ 1 - 1.9e-7.
    const strict = privacyScore(
      { unlearn: { entropy: [0.5, 0.98], confidence: flat }, retrain: { entropy: [0.5, 0.62], confidence: flat } },
      { epsilonRule: 'max' },
    );
    expect(strict.score).toBeCloseTo(1.893e-7, 9);
  });

  it('fully separable outputs: privacy 0', () => {
    const r = privacyScore({
      unlearn: { entropy: [0.1, 0.2], confidence: flat },
      retrain: { entropy: [2.0, 2.2], confidence: flat },
    });
    expect(r.score).toBe(0);
    expect(r.strongest.above).toBe('retrain');
    expect(r.strongest.point.threshold).toBeCloseTo(0.25, 10);
    expect(r.strongest.point.epsilon).toBe(MAX_EPSILON);
    expect(r.strongest.point.accuracy).toBe(100);
  });

  it('clips values into the grid range first, as the reference does', () => {
    // Confidences below -2.5 all become -2.5, so [-5 -4] and [-2.4 -2.4] cannot be told apart
    // on this grid (unclipped, t = -2.5 would separate them perfectly).
    const v = { entropy: [1, 1] };
    const r = privacyScore({ unlearn: { ...v, confidence: [-5, -4] }, retrain: { ...v, confidence: [-2.4, -2.4] } });
    expect(r.score).toBe(1);
  });

  it('attackCurve rates for one direction', () => {
    const pts = attackCurve([1, 2, 3, 4], [0, 1, 2, 3], 'retrain', { range: [0, 4], bins: 5 });
    // t = 2: retrain (positives) >= 2: 2 of 4 -> FNR .5; unlearn >= 2: 3 of 4 -> FPR .75.
    expect(pts[2]).toMatchObject({ threshold: 2, fpr: 0.75, fnr: 0.5, accuracy: (100 * (2 + 1)) / 8 });
  });

  it('privacyFeatures: entropy at T = 2, log-odds at T = 1', () => {
    const f = privacyFeatures(new Float32Array([0.8, 0.2]), 2);
    expect(f.entropy[0]).toBeCloseTo(0.636514, 5); // [2/3 1/3]: ln 3 - (2/3) ln 2
    expect(f.confidence[0]).toBeCloseTo(Math.log(4), 6);
  });
});
