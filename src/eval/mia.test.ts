import { describe, expect, it } from 'vitest';
import { miaAll, miaEfficacy } from './mia.ts';

const ramp = (n: number, lo: number, hi: number) => Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('miaEfficacy', () => {
  it('hand case: one member at 1, one non-member at 0, boundary 0.5', () => {
    // The two-point SVC decides at the midpoint (see svc.test.ts); 0.2 and 0.4 fall on the
    // non-member side: 2 of 5 forget samples = 40 percent.
    const r = miaEfficacy({ retain: [1], test: [0], forget: [0.2, 0.4, 0.6, 0.8, 1.0] }, { seed: 1 });
    expect(r.mia).toBeCloseTo(40, 10);
    expect(r.shadowAcc).toBeCloseTo(100, 10);
    expect(r.shadowPerClass).toBe(1);
  });

  // A model that memorised: retain confidences in [0.95, 1], test ones spread over [0, 0.6].
  const retain = ramp(1000, 0.95, 1);
  const test = ramp(300, 0, 0.6);

  it('forget outputs that look like test outputs: near 100 (forgotten)', () => {
    const r = miaEfficacy({ retain, test, forget: ramp(500, 0, 0.6) }, { seed: 3 });
    expect(r.mia).toBeGreaterThan(95);
    expect(r.shadowPerClass).toBe(300); // retain drawn down to the test set's size
  });

  it('forget outputs that look like retain outputs: near 0 (remembered)', () => {
    const r = miaEfficacy({ retain, test, forget: ramp(500, 0.95, 1) }, { seed: 3 });
    expect(r.mia).toBeLessThan(5);
    expect(r.shadowAcc).toBeGreaterThan(95);
  });

  it('caps the shadow set and is reproducible from the seed', () => {
    const f = { retain, test, forget: ramp(200, 0.5, 1) };
    const a = miaEfficacy(f, { seed: 9, maxPerClass: 50 });
    expect(a.shadowPerClass).toBe(50);
    expect(miaEfficacy(f, { seed: 9, maxPerClass: 50 })).toEqual(a);
  });

  it("matches scikit-learn's SVC on the reference's setup", () => {
    // 200 members 1 - 0.5 frac(i phi)^3, 200 non-members frac(i * 0.7548776662), i = 1..200;
    // forget = 0, 0.01, ..., 1. sklearn 1.2.1 SVC(C=3, gamma='auto') calls the 70 values
    // 0..0.69 non-members (the decision is at least 0.02 from zero on this grid):
    // mia = 100 * 70 / 101, and classifies 77.25 % of the shadow set right.
    const phi = 0.6180339887;
    const psi = 0.7548776662;
    const r = miaEfficacy(
      {
        retain: Float64Array.from({ length: 200 }, (_, i) => 1 - 0.5 * ((((i + 1) * phi) % 1) ** 3)),
        test: Float64Array.from({ length: 200 }, (_, i) => ((i + 1) * psi) % 1),
        forget: Float64Array.from({ length: 101 }, (_, j) => j / 100),
      },
      { seed: 1 },
    );
    expect(r.mia).toBeCloseTo((100 * 70) / 101, 10);
    expect(r.shadowAcc).toBeCloseTo(77.25, 10);
  });
});

describe('miaAll', () => {
  it('uses p[label] for mia and entropy for miaEntropy', () => {
    // k = 2. Shadow: member [1 0] (conf 1, entropy 0), non-member [.5 .5] (conf .5, entropy ln 2).
    // Two-point SVCs split at the midpoints: conf 0.75, entropy ln2 / 2 = 0.347.
    // forget  probs    label  p[label]  entropy
    //         .9 .1    0      .9 mem    .325 mem
    //         .6 .4    0      .6 non    .673 non
    //         .2 .8    1      .8 mem    .500 non
    //         .8 .2    1      .2 non    .500 non
    const set = (p: number[], l: number[]) => ({ probs: new Float32Array(p), labels: new Int32Array(l) });
    const r = miaAll(
      {
        retain: set([1, 0], [0]),
        test: set([0.5, 0.5], [0]),
        forget: set([0.9, 0.1, 0.6, 0.4, 0.2, 0.8, 0.8, 0.2], [0, 0, 1, 1]),
      },
      2,
      { seed: 1 },
    );
    expect(r.mia).toBeCloseTo(50, 10);
    expect(r.miaEntropy).toBeCloseTo(75, 10);
  });
});
