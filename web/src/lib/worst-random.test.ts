import { describe, expect, it } from 'vitest';
import type { TableRow } from '../../../src/shared/contract.ts';
import type { ComparisonSummary } from '../../../src/shared/http.ts';
import { amountOf, counterpartSpec, missingRuns, pairLabel, pairOf, ranks, worstRandomPairs, worstVsRandom } from './worst-random.ts';

const row = (label: string, mean: number, std = 0, n = 2, ua = 10): TableRow => ({ label, method: label, role: 'method', n, stats: { avgGap: { mean, std }, UA: { mean: ua, std: 1 } } });
const original: TableRow = { label: 'original (do nothing)', method: 'original', role: 'original', n: 1, stats: { avgGap: { mean: 30, std: 0 } } };

let n = 0;
const summary = (forget: Record<string, unknown>, rows: string[], o: Partial<ComparisonSummary> = {}): ComparisonSummary => ({
  id: `c${++n}`, created: '2026-12-02T10:00:00Z', originalId: 'o1', dataset: 'fashion-mnist-mini', arch: 'mlp',
  forget: forget as ComparisonSummary['forget'], forgetText: '', forgetCount: 100, methods: ['retrain', ...rows], seeds: [1001, 1002],
  table: [original, ...rows.map((r) => row(r, 1))], ...o,
});
const at = (s: number) => `2026-12-02T10:00:0${s}Z`;

describe('pairing a worst-case comparison with a random one', () => {
  const w1 = summary({ kind: 'worst', fraction: 0.1, seed: 1 }, ['ft', 'ga'], { created: at(3) });
  const r1 = summary({ kind: 'random', fraction: 0.1, seed: 1 }, ['ft'], { created: at(1) });
  // The same 100 samples as a count, another seed, both methods.
  const r2 = summary({ kind: 'random', count: 100, seed: 2 }, ['ft', 'ga'], { created: at(2) });
  const otherOriginal = summary({ kind: 'random', fraction: 0.1, seed: 1 }, ['ft', 'ga'], { originalId: 'o2', created: at(6) });
  const otherData = summary({ kind: 'random', fraction: 0.1, seed: 1 }, ['ft', 'ga'], { dataset: 'synthetic', created: at(6) });
  const otherSize = summary({ kind: 'random', fraction: 0.2, seed: 1 }, ['ft', 'ga'], { forgetCount: 200, created: at(6) });
  const lone = summary({ kind: 'worst', count: 60, seed: 3 }, ['ft'], { forgetCount: 60, created: at(7) });
  const w3 = summary({ kind: 'worst', count: 100, seed: 2 }, ['ft', 'ga'], { created: at(4) });
  const noShared = summary({ kind: 'random', fraction: 0.1, seed: 1 }, ['ssd'], { created: at(8) });
  const r6 = summary({ kind: 'random', fraction: 0.1, seed: 1 }, ['ft'], { created: at(5) });
  const cls = summary({ kind: 'class', classes: [1] }, ['ft', 'ga'], { created: at(9) });
  const list = [w1, r1, r2, otherOriginal, otherData, otherSize, lone, w3, noShared, r6, cls];

  it('reads the amount of random and worst-case specs only', () => {
    expect(amountOf(w1)).toEqual({ kind: 'worst', fraction: 0.1, count: undefined, seed: 1 });
    expect(amountOf(r2)).toEqual({ kind: 'random', fraction: undefined, count: 100, seed: 2 });
    expect(amountOf(cls)).toBeNull();
    expect(counterpartSpec(amountOf(w1)!)).toBe('random:0.1:seed=1');
    expect(counterpartSpec(amountOf(r2)!)).toBe('worst:100:seed=2');
  });

  it('pairs on original, data and forget count; prefers the same seed, then more shared methods, then the newest', () => {
    const pairs = worstRandomPairs(list);
    // w1 (seed 1): r1 and r6 share seed 1 and one method (ft), r2 shares two but has seed 2; r6 is newer than r1.
    // w3 (seed 2): r2 shares its seed. `lone` has no random set of 60 samples; otherOriginal/otherData/otherSize differ;
    // noShared has no method in common. Newest pair first: w1+r6 (r6 at :05) before w3+r2 (w3 at :04).
    expect(pairs.map((p) => [p.worst.id, p.random.id, p.shared])).toEqual([[w1.id, r6.id, ['ft']], [w3.id, r2.id, ['ft', 'ga']]]);
    expect(pairs[0].key).toBe(`${w1.id}+${r6.id}`);
    expect(pairOf(pairs, r2.id)).toBe(pairs[1]);
    expect(pairOf(pairs, w3.id)).toBe(pairs[1]);
    expect(pairOf(pairs, cls.id)).toBe(pairs[0]);
    expect(pairOf(pairs, undefined)).toBe(pairs[0]);
    expect(pairOf([], w1.id)).toBeUndefined();
    expect(pairLabel(pairs[1], () => 'DATE')).toBe(`fashion-mnist-mini · mlp · ${w3.forgetText} vs ${r2.forgetText} · 100 samples · DATE`);
  });

  it('says what to run when no pair is stored: the other side of the newest random or worst-case comparison', () => {
    expect(worstRandomPairs([lone, cls])).toEqual([]);
    expect(missingRuns([lone, cls], { o1: '/runs/base' })).toEqual({
      from: lone, commands: ['lethe compare --original /runs/base --forget random:60:seed=3 --methods ft --seeds 2'],
    });
    expect(missingRuns([r2]).commands).toEqual(['lethe compare --original DIR --forget worst:100:seed=2 --methods ft,ga --seeds 2']);
    expect(missingRuns([cls])).toEqual({ commands: ['lethe compare --original DIR --forget worst:0.1:seed=1', 'lethe compare --original DIR --forget random:0.1:seed=1'] });
  });
});

describe('ranks', () => {
  it('1 for the smallest, ties share the better rank, NaN last', () => {
    expect(ranks([12, 9, 6.5])).toEqual([3, 2, 1]);
    expect(ranks([4, 4, 1, NaN])).toEqual([2, 2, 1, 4]);
  });
});

describe('worstVsRandom', () => {
  // Random side: two retrains (UA 20 and 24) and two ft runs against them; ga and rl have table rows only, ssd is only here.
  const retrainR = [
    { modelId: 'r1', role: 'retrain' as const, method: 'retrain', referenceId: 'r2', metrics: { UA: 20, RA: 99, TA: 90, mia: 30 } },
    { modelId: 'r2', role: 'retrain' as const, method: 'retrain', referenceId: 'r1', metrics: { UA: 24, RA: 98, TA: 88, mia: 34 } },
  ];
  const random = {
    // ft's avgGap is what its models' distances below make: (2 + 2 + 1 + 3) / 4 = 2 and (1 + 0 + 3 + 4) / 4 = 2.
    table: [original, row('ft', 2), row('ga', 10, 2), row('rl', 6), row('ssd', 1)],
    models: [
      { modelId: 'o', role: 'original' as const, method: 'original', referenceId: 'r1', metrics: { UA: 0 } },
      ...retrainR,
      // gaps against r1: |18 − 20| = 2, |97 − 99| = 2, |89 − 90| = 1, |27 − 30| = 3; against r2: 1, 0, 3, 4.
      { modelId: 'f1', role: 'method' as const, method: 'ft', referenceId: 'r1', metrics: { UA: 18, RA: 97, TA: 89, mia: 27 } },
      { modelId: 'f2', role: 'method' as const, method: 'ft', referenceId: 'r2', metrics: { UA: 25, RA: 98, TA: 85, mia: 30 } },
    ],
  };
  // Worst-case side: retraining's UA falls to 2 and 4; tuned "ft (tuned)" is only here.
  const worst = {
    table: [original, row('ft', 12, 3), row('ga', 9, 0.5), row('rl', 6.5, 1), row('ft (tuned)', 2)],
    models: [
      { modelId: 'w1', role: 'retrain' as const, method: 'retrain', referenceId: 'w2', metrics: { UA: 2 } },
      { modelId: 'w2', role: 'retrain' as const, method: 'retrain', referenceId: 'w1', metrics: { UA: 4 } },
    ],
  };

  it("each shared method's avgGap on both sets, the difference, and its rank on each", () => {
    const x = worstVsRandom(random, worst);
    // Random: ft 2 < rl 6 < ga 10 → ranks 1, 2, 3, the rows' order. Worst: rl 6.5 < ga 9 < ft 12 → ft 3, rl 1, ga 2.
    // Differences: 12 − 2 = 10, 6.5 − 6 = 0.5, 9 − 10 = −1.
    expect(x.rows.map((r) => [r.label, r.random.avgGap.mean, r.worst.avgGap.mean, r.diff, r.rankRandom, r.rankWorst])).toEqual([
      ['ft', 2, 12, 10, 1, 3],
      ['rl', 6, 6.5, 0.5, 2, 1],
      ['ga', 10, 9, -1, 3, 2],
    ]);
    expect(x.rows[1].worst.UA).toEqual({ mean: 10, std: 1 });
    expect(x.rows[0].random.avgGap).toEqual({ mean: 2, std: 0 });
    expect(x.rows[0].worst.avgGap).toEqual({ mean: 12, std: 3 });
    expect(x.rows[0].random.n).toBe(2);
    expect(x.onlyRandom).toEqual(['ssd']);
    expect(x.onlyWorst).toEqual(['ft (tuned)']);
  });

  it('the four distances per seed, mean and sample std, from each model and its reference', () => {
    const g = worstVsRandom(random, worst).rows[0].random.gaps;
    // UA: 2 and 1 → 1.5 ± √((0.25 + 0.25) / 1) = √0.5; RA: 2 and 0 → 1 ± √2; TA: 1 and 3 → 2 ± √2; MIA: 3 and 4 → 3.5 ± √0.5.
    expect(g.UA.mean).toBe(1.5);
    expect(g.UA.std).toBeCloseTo(Math.SQRT1_2, 12);
    expect(g.RA.mean).toBe(1);
    expect(g.RA.std).toBeCloseTo(Math.SQRT2, 12);
    expect(g.TA.mean).toBe(2);
    expect(g.TA.std).toBeCloseTo(Math.SQRT2, 12);
    expect(g.mia.mean).toBe(3.5);
    expect(g.mia.std).toBeCloseTo(Math.SQRT1_2, 12);
    // Their means average to the row's avgGap: (1.5 + 1 + 2 + 3.5) / 4 = 2.
    expect((g.UA.mean + g.RA.mean + g.TA.mean + g.mia.mean) / 4).toBe(worstVsRandom(random, worst).rows[0].random.avgGap.mean);
    // Without models the distances are unknown, not zero.
    expect(Number.isNaN(worstVsRandom(random, worst).rows[0].worst.gaps.UA.mean)).toBe(true);
  });

  it("retraining's own UA on both sets: mean and sample std over its seeds", () => {
    const { retrain } = worstVsRandom(random, worst);
    // Random 20 and 24: 22 ± √8; worst 2 and 4: 3 ± √2; 3 − 22 = −19.
    expect(retrain.random.mean).toBe(22);
    expect(retrain.random.std).toBeCloseTo(Math.sqrt(8), 12);
    expect(retrain.worst).toEqual({ mean: 3, std: Math.SQRT2 });
    expect(retrain.diff).toBe(-19);
    expect(retrain.n).toEqual({ random: 2, worst: 2 });
  });
});
