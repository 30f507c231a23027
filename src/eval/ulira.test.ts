// U-LiRA's attack on hand-made confidence matrices: a case worked by hand, an independent loop-by-loop
// reimplementation from the formulas on random inputs, and the two limits (identical sides → 50%, separated → 100%).
import { describe, expect, it } from 'vitest';
import { rng } from '../shared/random.ts';
import { uliraAttack, VAR_FLOOR } from './ulira.ts';

/** conf[k][i] and member[k][i] from per-example columns (the way the hand case is written down). */
function matrices(columns: { phi: number[]; member: number[] }[]) {
  const K = columns[0].phi.length;
  return {
    conf: Array.from({ length: K }, (_, k) => Float64Array.from(columns, (c) => c.phi[k])),
    member: Array.from({ length: K }, (_, k) => Uint8Array.from(columns, (c) => c.member[k])),
  };
}

describe('U-LiRA attack', () => {
  it('gives the hand-worked Gaussians, decisions and accuracies on a 6-shadow, 2-example case', () => {
    // Example A: in shadows 0–2 with φ 3, 5, 4; out of shadows 3–5 with φ 0, 1, 2.
    // Example B: in shadows 2–5 with φ 10, 11, 12, 13; out of shadows 0–1 with φ −10, −11.
    const { conf, member } = matrices([
      { phi: [3, 5, 4, 0, 1, 2], member: [1, 1, 1, 0, 0, 0] },
      { phi: [-10, -11, 10, 11, 12, 13], member: [0, 0, 1, 1, 1, 1] },
    ]);
    const r = uliraAttack(conf, member);
    const L = (x: number, mu: number, v: number) => -0.5 * Math.log(2 * Math.PI * v) - (x - mu) ** 2 / (2 * v);
    // A, target 0 (φ 3, in): in = {5, 4}: μ 4.5, σ² 0.25; out = {0, 1, 2}: μ 1, σ² 2/3.
    //   LLR = −½ ln(0.25 / (2/3)) − 1.5²/0.5 + 2²/(4/3) = 0.4904 − 4.5 + 3 = −1.0096 < 0: called out, wrong.
    expect(r.llr[0][0]).toBeCloseTo(-0.5 * Math.log(0.375) - 1.5, 12);
    expect(r.llr[0][0]).toBeCloseTo(-1.00955, 4);
    // A, target 1 (φ 5): in {3, 4}: μ 3.5, σ² 0.25 → 0.4904 − 4.5 + 12 = 7.9904 > 0: right.
    expect(r.llr[1][0]).toBeCloseTo(-0.5 * Math.log(0.375) - 4.5 + 12, 12);
    // A, target 2 (φ 4): in {3, 5}: μ 4, σ² 1 → −½ ln(1.5) − 0 + 9/(4/3) = 6.5473 > 0: right.
    expect(r.llr[2][0]).toBeCloseTo(-0.5 * Math.log(1.5) + 6.75, 12);
    // A, target 3 (φ 0, out): in {3, 5, 4}: μ 4, σ² 2/3; out {1, 2}: μ 1.5, σ² 0.25 → −½ ln(8/3) − 12 + 4.5 = −7.99 < 0: right.
    expect(r.llr[3][0]).toBeCloseTo(-0.5 * Math.log(8 / 3) - 12 + 4.5, 12);
    // A, target 4 (φ 1): out {0, 2}: μ 1, σ² 1 → −½ ln(2/3) − 6.75 + 0 = −6.547 < 0: right.
    expect(r.llr[4][0]).toBeCloseTo(-0.5 * Math.log(2 / 3) - 6.75, 12);
    // A, target 5 (φ 2): out {0, 1}: μ 0.5, σ² 0.25 → −½ ln(8/3) − 3 + 4.5 = +1.0096 > 0: called in, wrong.
    expect(r.llr[5][0]).toBeCloseTo(-0.5 * Math.log(8 / 3) + 1.5, 12);
    // B, target 0 (φ −10, out): one other out model (−11), so its mean is −11 and its variance the pooled
    // within-example out variance over the examples with ≥ 2 other out models: only A, values {0, 1, 2} around 1,
    // Σ = 2 over 3 values → 2/3. In: {10, 11, 12, 13}: μ 11.5, σ² 1.25.
    //   LLR = −½ ln(1.25 / (2/3)) − 21.5²/2.5 + 1²/(4/3) = −0.3143 − 184.9 + 0.75 = −184.4643: right.
    expect(r.llr[0][1]).toBeCloseTo(L(-10, 11.5, 1.25) - L(-10, -11, 2 / 3), 12);
    expect(r.llr[0][1]).toBeCloseTo(-184.4643, 3);
    // B, target 1 (φ −11): out {−10} with the same pooled 2/3 (A's out side is the same three values).
    expect(r.llr[1][1]).toBeCloseTo(L(-11, 11.5, 1.25) - L(-11, -10, 2 / 3), 12);
    // B, target 2 (φ 10, in): in {11, 12, 13}: μ 12, σ² 2/3; out {−10, −11}: μ −10.5, σ² 0.25. Far in: right.
    expect(r.llr[2][1]).toBeCloseTo(L(10, 12, 2 / 3) - L(10, -10.5, 0.25), 12);
    for (const t of [3, 4, 5]) expect(r.llr[t][1]).toBeGreaterThan(0);
    // A: 4 of 6 right; B: 6 of 6.
    expect(Array.from(r.perExample)).toEqual([(100 * 4) / 6, 100]);
    // Positive pairs: A at 0, 1, 2 (2 right) and B at 2–5 (4 right): 6/7. Negative: A at 3–5 (2 right), B at 0, 1 (2): 4/5.
    expect(r.tpr).toBeCloseTo((100 * 6) / 7, 12);
    expect(r.tnr).toBeCloseTo(80, 12);
    expect(r.accuracy).toBeCloseTo((100 * (6 / 7 + 4 / 5)) / 2, 12);
    expect(r.accuracy).toBeCloseTo(82.857, 3);
  });

  it('falls back to the population Gaussian of a side with no other model, and floors variances', () => {
    // Example A: in every shadow but 0. Example B: only in shadow 3. Every within-example variance here is 0.
    const { conf, member } = matrices([
      { phi: [0.4, 1, 1, 1], member: [0, 1, 1, 1] },
      { phi: [0, 0, 0, 7], member: [0, 0, 0, 1] },
    ]);
    const r = uliraAttack(conf, member);
    const L = (x: number, mu: number, v: number) => -0.5 * Math.log(2 * Math.PI * v) - (x - mu) ** 2 / (2 * v);
    // A, target 0 (φ 0.4, out): in {1, 1, 1}: μ 1, σ² 0 → 1e-6. No other out model: the out side's population over
    // all examples without shadow 0 is B's {0, 0} (shadows 1, 2): μ 0, σ² 0 → 1e-6. 0.4 is nearer 0: called out, right.
    //   LLR = −0.6²/2e-6 + 0.4²/2e-6 = −100,000.
    expect(r.llr[0][0]).toBeCloseTo(L(0.4, 1, VAR_FLOOR) - L(0.4, 0, VAR_FLOOR), 6);
    expect(r.llr[0][0]).toBeCloseTo(-100_000, 3);
    // B, target 3 (φ 7, in): no other in model → the in side's population without shadow 3: A's {1, 1} (shadows
    // 1, 2): μ 1, floored; out {0, 0, 0}: floored. LLR = (−6² + 7²)/2e-6 = 6.5e6 > 0: called in, right.
    expect(r.llr[3][1]).toBeCloseTo(13 / (2 * VAR_FLOOR), 3);
    // B, target 0 (φ 0, out): one other in model (7) with the pooled in variance (A's three 1s: 0 → floor).
    expect(r.llr[0][1]).toBeCloseTo(L(0, 7, VAR_FLOOR) - L(0, 0, VAR_FLOOR), 3);
    expect(Number.isFinite(r.llr[0][1])).toBe(true);
  });

  it('agrees with a direct loop-by-loop implementation of the formulas on random inputs', () => {
    const random = rng(11);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    for (const [K, n] of [[4, 30], [7, 12], [16, 40]]) {
      const member = Array.from({ length: K }, () => Uint8Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0)));
      const conf = member.map((row) => Float64Array.from(row, (m) => 2 * m * random() + gauss()));
      const got = uliraAttack(conf, member);
      // The reference: plain arrays and filters, straight from the definitions in ./ulira.ts's header.
      const others = (t: number, i: number, side: number) => conf.map((c, k) => ({ v: c[i], k })).filter((o) => o.k !== t && member[o.k][i] === side).map((o) => o.v);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const pvar = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));
      const ref = (t: number, i: number) => {
        const g = (side: number) => {
          const xs = others(t, i, side);
          const all = Array.from({ length: n }, (_, j) => others(t, j, side));
          if (xs.length >= 2) return { mu: mean(xs), v: Math.max(1e-6, pvar(xs)) };
          if (xs.length === 1) {
            const wide = all.filter((a) => a.length >= 2);
            const sq = wide.flatMap((a) => a.map((x) => (x - mean(a)) ** 2));
            return { mu: xs[0], v: Math.max(1e-6, sq.length ? mean(sq) : 1e-6) };
          }
          const flat = all.flat();
          return { mu: flat.length ? mean(flat) : 0, v: Math.max(1e-6, flat.length ? pvar(flat) : 1e-6) };
        };
        const lp = (x: number, { mu, v }: { mu: number; v: number }) => Math.log(Math.exp(-((x - mu) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v));
        const x = conf[t][i];
        const a = g(1);
        const b = g(0);
        // The exp form underflows far out; there use the log form written out separately.
        const direct = lp(x, a) - lp(x, b);
        return Number.isFinite(direct) ? direct : (-0.5 * Math.log(2 * Math.PI * a.v) - (x - a.mu) ** 2 / (2 * a.v)) - (-0.5 * Math.log(2 * Math.PI * b.v) - (x - b.mu) ** 2 / (2 * b.v));
      };
      let tp = 0;
      let p = 0;
      let tn = 0;
      let q = 0;
      const right = new Array(n).fill(0);
      for (let t = 0; t < K; t++) {
        for (let i = 0; i < n; i++) {
          const l = ref(t, i);
          expect(Math.abs(got.llr[t][i] - l)).toBeLessThan(1e-9 * Math.max(1, Math.abs(l)));
          const call = l > 0;
          if (member[t][i]) { p++; tp += call ? 1 : 0; } else { q++; tn += call ? 0 : 1; }
          if (call === (member[t][i] === 1)) right[i]++;
        }
      }
      right.forEach((c, i) => expect(Math.abs(got.perExample[i] - (100 * c) / K)).toBeLessThan(1e-12));
      expect(Math.abs(got.tpr - (100 * tp) / p)).toBeLessThan(1e-12);
      expect(Math.abs(got.tnr - (100 * tn) / q)).toBeLessThan(1e-12);
      expect(Math.abs(got.accuracy - (50 * tp) / p - (50 * tn) / q)).toBeLessThan(1e-12);
    }
  });

  it('is near 50% when both sides come from one distribution, and 100% when they are far apart', () => {
    const random = rng(3);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const K = 64;
    const n = 200;
    const member = Array.from({ length: K }, () => Uint8Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0)));
    // 12,800 pairs: were the decisions independent coin flips the rate's standard error would be 0.44 points; 3
    // points is ~7 of them (the leave-one-out fits make neighbouring decisions correlated, hence the margin).
    const same = uliraAttack(member.map((row) => Float64Array.from(row, () => gauss())), member);
    expect(Math.abs(same.accuracy - 50)).toBeLessThan(3);
    expect(Math.abs(same.tpr + same.tnr - 2 * same.accuracy)).toBeLessThan(1e-9);
    const apart = uliraAttack(member.map((row) => Float64Array.from(row, (m) => 10 * m + gauss())), member);
    expect(apart.accuracy).toBe(100);
    expect(Array.from(apart.perExample).every((a) => a === 100)).toBe(true);
  });

  it('refuses fewer than 2 shadows and ragged rows', () => {
    expect(() => uliraAttack([Float64Array.of(1)], [Uint8Array.of(1)])).toThrow(/at least 2 shadows/);
    expect(() => uliraAttack([Float64Array.of(1, 2), Float64Array.of(1)], [Uint8Array.of(1, 0), Uint8Array.of(0)])).toThrow(/shadow 2: 1 confidences/);
  });
});
