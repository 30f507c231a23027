// The metric map against numbers worked out by hand on a two-class toy: four test samples, two forget samples.
import { describe, expect, it } from 'vitest';
import { avgGap } from './gap.ts';
import { computeMetrics, formatValue, METRIC_KEYS, METRICS, metricInfo, type Evidence } from './metrics.ts';

const rows = (...ps: number[][]) => Float32Array.from(ps.flat());
const labels = (...ys: number[]) => Int32Array.from(ys);

// Model: forget [0.9,0.1] right, [0.2,0.8] wrong → forget acc 50; retain all right → 100;
// test labels 0,1,0,1 predicted 0,1,1,1 → 75; class 0 of the test set: 1 of 2 right → 50, class 1: 2 of 2 → 100.
const model: Evidence = {
  numClasses: 2,
  forget: { probs: rows([0.9, 0.1], [0.2, 0.8]), labels: labels(0, 0) },
  retain: { probs: rows([0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.1, 0.9]), labels: labels(0, 1, 0, 1) },
  test: { probs: rows([0.7, 0.3], [0.4, 0.6], [0.45, 0.55], [0.2, 0.8]), labels: labels(0, 1, 0, 1) },
  forgottenClasses: [0],
};
// Reference: both forget samples predicted 1 → forget acc 0, UA 100.
const ref: Evidence = { ...model, forget: { probs: rows([0.4, 0.6], [0.25, 0.75]), labels: labels(0, 0) } };

describe('the metric map', () => {
  const refV = computeMetrics({ x: ref, seed: 1, seconds: 10, relearnAcc: NaN });
  const m = computeMetrics({ x: model, seed: 1, seconds: 2, relearnAcc: 42, ref: { x: ref, v: refV, seconds: 10 }, originalGap: 40 });

  it('accuracies and the columns papers print', () => {
    expect([m.forgetAcc, m.retainAcc, m.testAcc]).toEqual([50, 100, 75]);
    expect([m.UA, m.RA, m.TA]).toEqual([50, 100, 75]);
    expect([m.forgetTestAcc, m.retainTestAcc]).toEqual([50, 100]);
    expect(refV.UA).toBe(100);
  });

  it('gaps, timing and the relearning attack against the reference', () => {
    const gap = avgGap({ UA: 50, RA: 100, TA: 75, MIA: m.mia! }, { UA: 100, RA: 100, TA: 75, MIA: refV.mia! });
    expect(m.avgGap).toBeCloseTo(gap, 12);
    expect(m.avgGap).toBeCloseTo((50 + Math.abs(m.mia! - refV.mia!)) / 4, 12);
    expect(m.gapClosed).toBeCloseTo(1 - gap / 40, 12);
    expect([m.seconds, m.speedup, m.relearnAcc]).toEqual([2, 5, 42]);
  });

  it('KL and JS to the reference, by hand', () => {
    // Forget row 1: KL([.4,.6] ‖ [.9,.1]); row 2: KL([.25,.75] ‖ [.2,.8]).
    const kl = (p: number[], q: number[]) => p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]), 0);
    expect(m.klForget).toBeCloseTo((kl([0.4, 0.6], [0.9, 0.1]) + kl([0.25, 0.75], [0.2, 0.8])) / 2, 6);
    expect(m.klTest).toBe(0);
    const js = (p: number[], q: number[]) => { const mid = p.map((v, i) => (v + q[i]) / 2); return (kl(p, mid) + kl(q, mid)) / 2; };
    expect(m.jsForget).toBeCloseTo((js([0.4, 0.6], [0.9, 0.1]) + js([0.25, 0.75], [0.2, 0.8])) / 2, 6);
  });

  it('a model on its own has no reference-relative metrics; random forgetting has no class columns', () => {
    const alone = computeMetrics({ x: { ...model, forgottenClasses: undefined }, seed: 1, seconds: 2, relearnAcc: NaN });
    for (const k of ['avgGap', 'gapClosed', 'speedup', 'privacy', 'klForget', 'jsTest', 'forgetTestAcc', 'retainTestAcc'] as const) expect(alone[k], k).toBeUndefined();
    expect(alone.UA).toBe(50);
  });

  it('an unknown original leaves gapClosed NaN, unknown timings leave the speedup NaN', () => {
    const v = computeMetrics({ x: model, seed: 1, seconds: NaN, relearnAcc: NaN, ref: { x: ref, v: refV, seconds: 10 } });
    expect(v.gapClosed).toBeNaN();
    expect(v.speedup).toBeNaN();
  });

  it('every entry is complete, and formats as the tables show it', () => {
    for (const k of METRIC_KEYS) {
      const e = metricInfo(k);
      expect(e.label.length, k).toBeGreaterThan(0);
      expect(e.meaning.length, k).toBeGreaterThan(10);
      expect(Number.isInteger(e.digits), k).toBe(true);
    }
    expect(Object.keys(METRICS)).toEqual(METRIC_KEYS);
    expect(formatValue('UA', 12.345)).toBe('12.35%');
    expect(formatValue('gapClosed', 0.9871)).toBe('98.7%');
    expect(formatValue('speedup', 7.25)).toBe('7.3×');
    expect(formatValue('privacy', NaN)).toBe('—');
  });
});
