// accCorr and clean accuracy by hand on a three-class toy, and where the metric map computes them.
import { describe, expect, it } from 'vitest';
import { accCorr, accuracyOnClasses, cleanAcc } from './corrective.ts';
import { computeMetrics, type Evidence } from './metrics.ts';

const rows = (...ps: number[][]) => Float32Array.from(ps.flat());
const labels = (...ys: number[]) => Int32Array.from(ys);

// Clean test set: labels 0,1,2,1,2,0 predicted 0,1,1,1,2,2 → 4 of 6 right (66.67%).
// Classes {1,2}: samples 2–5, labels 1,2,1,2 predicted 1,1,1,2 → 3 of 4 (75%); class 0: samples 1 and 6 → 1 of 2 (50%).
const test = {
  probs: rows([0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.2, 0.5, 0.3], [0.3, 0.6, 0.1], [0.1, 0.2, 0.7], [0.2, 0.3, 0.5]),
  labels: labels(0, 1, 2, 1, 2, 0),
};
// Triggered images (target 0, so the test images of class 0 are left out): true labels 1,2,1,2; the backdoor
// sends three of them to 0, one stays right → 25%.
const triggered = { probs: rows([0.9, 0.05, 0.05], [0.6, 0.1, 0.3], [0.2, 0.7, 0.1], [0.5, 0.2, 0.3]), labels: labels(1, 2, 1, 2) };

describe('accCorr and clean accuracy', () => {
  it('poison: accuracy on the triggered images w.r.t. the true labels; clean = the whole clean test set', () => {
    expect(accCorr({ kind: 'poison', triggered }, test, 3)).toBe(25);
    expect(cleanAcc({ kind: 'poison', triggered }, test, 3)).toBeCloseTo(400 / 6, 10);
  });

  it('confusion: test accuracy on the two classes; clean = the other classes', () => {
    expect(accCorr({ kind: 'confuse', classes: [1, 2] }, test, 3)).toBe(75);
    expect(cleanAcc({ kind: 'confuse', classes: [1, 2] }, test, 3)).toBe(50);
    expect(accuracyOnClasses(test, 3, [0], true)).toBe(50);
    expect(accuracyOnClasses(test, 3, [2], true)).toBe(50);
  });

  it('the metric map computes them only where the evidence records a manipulation', () => {
    const one = { probs: rows([0.9, 0.05, 0.05]), labels: labels(0) };
    const x: Evidence = { numClasses: 3, forget: one, retain: one, test };
    const plain = computeMetrics({ x, seed: 1, seconds: 0, relearnAcc: NaN });
    expect(plain.accCorr).toBeUndefined();
    expect(plain.cleanAcc).toBeUndefined();
    const poisoned = computeMetrics({ x: { ...x, corrective: { kind: 'poison', triggered } }, seed: 1, seconds: 0, relearnAcc: NaN });
    expect([poisoned.accCorr, poisoned.testAcc]).toEqual([25, poisoned.cleanAcc]);
  });
});
