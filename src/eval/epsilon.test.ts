import { describe, expect, it } from 'vitest';
import { rng } from '../shared/random.ts';
import { bucketPoints, DELTA, EPSILON_CAP, exampleEpsilon, forgetQuality, logitScaledConfidence, maxEpsilon } from './epsilon.ts';

/**
 * The scorer's per-example ε by its own route (metric.py, literally): every threshold of both rule families listed,
 * its rates counted model by model, the discard rules applied, the maximum taken. Slow; for small N only.
 */
function referenceEpsilon(pos: number[], neg: number[]): number {
  const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  const [pd, nd] = [range(pos), range(neg)];
  if ((pd > nd ? nd : pd) / (pd > nd ? pd : nd) < 0.01) return EPSILON_CAP;
  const lin = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => (n === 1 ? a : i === n - 1 ? b : a + i * ((b - a) / (n - 1))));
  const rules: ((s: number) => boolean)[] = [];
  const all = [...pos, ...neg];
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  for (const t of lin(lo, hi, Math.ceil((hi - lo) * 100))) rules.push((s) => s >= t);
  let [p, n] = [pos, neg];
  if (pd >= nd) [p, n] = [neg, pos];
  const w = Math.min(pd, nd);
  const [rlo, rhi] = [Math.min(...p) + w - 2, Math.max(...p) + 2];
  const single = rules.length;
  for (const r of lin(rlo, rhi, Math.ceil((rhi - rlo) * 100))) for (const l of lin(r - w - 2, r - w + 2, 400)) rules.push((s) => l <= s && s <= r);
  let best = NaN;
  rules.forEach((rule, k) => {
    const [P, N] = k < single ? [pos, neg] : [p, n];
    const tpr = P.filter(rule).length / P.length;
    const fpr = N.filter(rule).length / N.length;
    const [fnr, tnr] = [1 - tpr, 1 - fpr];
    let e: number;
    if (fpr + fnr === 0 && tpr + tnr === 2) e = Infinity;
    else if (fpr * fnr === 0) return;
    else {
      const c = [Math.log(1 - DELTA - fpr) - Math.log(fnr), Math.log(1 - DELTA - fnr) - Math.log(fpr)].filter((x) => !Number.isNaN(x));
      if (!c.length) return;
      e = Math.max(0, ...c);
    }
    if (Number.isNaN(best) || e > best) best = e;
  });
  return Math.min(EPSILON_CAP, best);
}

describe('exampleEpsilon', () => {
  it('is 0 for identical distributions', () => {
    expect(exampleEpsilon([0.1, 0.5, 0.9, 1.3], [0.1, 0.5, 0.9, 1.3])).toBe(0);
  });

  it('is the cap for separable distributions and for a side hundreds of times peakier than the other', () => {
    expect(exampleEpsilon([5, 6, 7], [0, 1, 2])).toBe(EPSILON_CAP);
    expect(exampleEpsilon([1, 1.001, 1.002], [0, 1, 2])).toBe(EPSILON_CAP);
  });

  it('worked by hand: positives 1, 3, 5 against 0, 2, 4 give ln(2 − 3δ)', () => {
    // The best surviving rules call two of three positives and one of three negatives positive: FPR = FNR = 1/3,
    // ε = ln(1 − δ − 1/3) − ln(1/3) = ln(2 − 3δ). Rules with FPR or FNR 0 (but not both) are discarded.
    expect(exampleEpsilon([1, 3, 5], [0, 2, 4])).toBeCloseTo(Math.log(2 - 3 * DELTA), 12);
  });

  it('agrees with the scorer followed literally, on random confidences', () => {
    const random = rng(11);
    for (let trial = 0; trial < 12; trial++) {
      const n = 3 + Math.floor(random() * 5);
      const shift = random() * 1.2;
      const pos = Array.from({ length: n }, () => shift + random() * 2);
      const neg = Array.from({ length: n }, () => random() * (0.5 + random() * 2));
      expect(exampleEpsilon(pos, neg), `trial ${trial}`).toBeCloseTo(referenceEpsilon(pos, neg), 10);
    }
  });
});

describe('the score', () => {
  it('has its top bucket at ceil(ln(N − 1)): 7 for 512 models, 4 for 32, 5 for 64', () => {
    expect([maxEpsilon(512), maxEpsilon(32), maxEpsilon(64)]).toEqual([7, 4, 5]);
  });

  it('halves the points every half unit of ε and gives nothing from the top on', () => {
    expect(bucketPoints(0, 512)).toBe(1);
    expect(bucketPoints(0.4999, 512)).toBe(1);
    expect(bucketPoints(0.5, 512)).toBe(0.5);
    expect(bucketPoints(1.2, 512)).toBe(0.25);
    expect(bucketPoints(6.99, 512)).toBe(2 ** -13);
    expect(bucketPoints(7, 512)).toBe(0);
    expect(bucketPoints(3.9, 32)).toBe(2 ** -7);
    expect(bucketPoints(4, 32)).toBe(0);
    expect(bucketPoints(EPSILON_CAP, 32)).toBe(0);
  });

  it('scores identical banks 1, scaled by the accuracy ratios, and separable banks 0', () => {
    const bank = [[0.1, 2], [0.5, 2.5], [0.9, 3], [1.3, 3.5]];
    const same = forgetQuality(bank, bank, { unlearnedRA: 90, retrainedRA: 100, unlearnedTA: 80, retrainedTA: 80 });
    expect(same.forgetScore).toBe(1);
    expect(same.score).toBeCloseTo(0.9, 12);
    const apart = forgetQuality(bank.map((r) => r.map((x) => x + 10)), bank, { unlearnedRA: 1, retrainedRA: 1, unlearnedTA: 1, retrainedTA: 1 });
    expect(Array.from(apart.epsilons)).toEqual([EPSILON_CAP, EPSILON_CAP]);
    expect(apart.forgetScore).toBe(0);
    expect(() => forgetQuality(bank.slice(0, 2), bank.slice(0, 2), { unlearnedRA: 1, retrainedRA: 1, unlearnedTA: 1, retrainedTA: 1 })).toThrow(/N ≥ 3/);
  });
});

describe('logitScaledConfidence', () => {
  it('is log p_y − log(1 − p_y), worked by hand', () => {
    // logits [0, ln 3]: p = [1/4, 3/4]; label 1: ln(3/4) − ln(1/4) = ln 3; label 0: −ln 3.
    const s = logitScaledConfidence(Float32Array.from([0, Math.log(3), 0, Math.log(3)]), [1, 0], 2);
    expect(s[0]).toBeCloseTo(Math.log(3), 6);
    expect(s[1]).toBeCloseTo(-Math.log(3), 6);
  });
});
