import { beforeAll, describe, expect, it } from 'vitest';
import type { EvaluatedModel, TableRow } from '../shared/contract.ts';
import { mulberry32 } from '../shared/random.ts';
import { evaluateComparison, type MeasuredRun } from './comparison.ts';
import type { Measured, ProbeSamples } from './details.ts';

const K = 2;
const random = mulberry32(5);
/** n rows of k probabilities, each row's top class `top(i)` with confidence `conf`. */
const probs = (n: number, top: (i: number) => number, conf: number) => Float32Array.from({ length: n * K }, (_, j) => (j % K === top(Math.floor(j / K)) ? conf : 1 - conf));
const labels = (n: number) => Int32Array.from({ length: n }, (_, i) => i % K);
const acts = (n: number) => ({ layers: ['dense1', 'dense2', 'logits'], dims: [4, 3, 2], values: [4, 3, 2].map((d) => Float32Array.from({ length: n * d }, () => random())) });

/** A model that gets the forget samples right with probability `forgetRight` (by sample) and everything else right. */
function measured(forgetRight: number): Measured {
  return {
    evidence: {
      numClasses: K,
      forget: { probs: probs(10, (i) => (i < 10 * forgetRight ? i % K : 1 - (i % K)), 0.9), labels: labels(10) },
      retain: { probs: probs(40, (i) => i % K, 0.8), labels: labels(40) },
      test: { probs: probs(40, (i) => (i < 30 ? i % K : 1 - (i % K)), 0.7), labels: labels(40) },
    },
    probe: { activations: acts(24), probs: probs(24, (i) => i % K, 0.8) },
    viewProbs: probs(10, (i) => i % K, 0.9),
  };
}

const run = (method: string, seed: number, forgetRight: number, seconds: number): MeasuredRun => ({
  modelId: `${method}-${seed}`, method, seed, params: method === 'ft' ? { steps: 5 } : {}, checkpoint: `/ck/${method}-${seed}`, seconds,
  measured: measured(forgetRight), relearnAcc: 100 * forgetRight,
});

const probe: ProbeSamples = {
  ids: Int32Array.from({ length: 24 }, (_, i) => i), labels: labels(24), isForget: Array.from({ length: 24 }, (_, i) => i < 8),
  view: { ids: Int32Array.from({ length: 10 }, (_, i) => i), labels: labels(10) },
};

describe('evaluateComparison', () => {
  const retrains = [run('retrain', 1001, 0.2, 20), run('retrain', 1002, 0.4, 30)];
  const ft = [run('ft', 1001, 0.5, 2), run('ft', 1002, 0.5, 3)];
  const seen: [number, number][] = [];
  let models: EvaluatedModel[] = [];
  let table: TableRow[] = [];
  beforeAll(async () => {
    ({ models, table } = await evaluateComparison({
      original: { ...run('original', 1, 1, 0), relearnAcc: [90, 95] },
      retrains, methods: [{ method: 'ft', runs: ft }], probe, classNames: ['a', 'b'],
    }, (done, total) => void seen.push([done, total])));
  });

  it('reports each model as it is evaluated, and stops when the callback throws', async () => {
    expect(seen).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
    const stop = evaluateComparison({ original: { ...run('original', 1, 1, 0), relearnAcc: [90, 95] }, retrains, methods: [], probe, classNames: ['a', 'b'] }, (done) => {
      if (done === 2) throw new Error('cancelled');
    });
    await expect(stop).rejects.toThrow('cancelled');
  });
  const byId = (id: string) => models.find((m) => m.modelId === id)!;

  it('lists the original, the retrains and the methods, each against the retrain of its seed', () => {
    expect(models.map((m) => [m.modelId, m.role, m.referenceId])).toEqual([
      ['original-1', 'original', 'retrain-1001'],
      // The noise floor: each retrain against the next seed's.
      ['retrain-1001', 'retrain', 'retrain-1002'],
      ['retrain-1002', 'retrain', 'retrain-1001'],
      ['ft-1001', 'method', 'retrain-1001'],
      ['ft-1002', 'method', 'retrain-1002'],
    ]);
    expect(byId('retrain-1001').params).toEqual({});
    expect(byId('ft-1001').params).toEqual({ steps: 5 });
  });

  it('UA by hand; the original closes none of its own gap; speedups against the seed\'s retrain', () => {
    expect([byId('original-1').metrics.UA, byId('retrain-1001').metrics.UA, byId('ft-1002').metrics.UA]).toEqual([0, 80, 50]);
    expect(byId('original-1').metrics.gapClosed).toBe(0);
    expect(byId('ft-1001').metrics.speedup).toBe(10);
    expect(byId('ft-1002').metrics.speedup).toBe(10);
    // The original is attacked with each retrain's seed: its record keeps the first.
    expect(byId('original-1').metrics.relearnAcc).toBe(90);
  });

  it('gapClosed is 1 − gap / the original\'s gap against the same retrain', () => {
    const ftGap = byId('ft-1002').metrics.avgGap!;
    const origGap = table[0].stats.avgGap!;
    expect(origGap.std).toBeGreaterThanOrEqual(0);
    // Recompute the original's gap against retrain 1002 from the UA, RA, TA, MIA of both.
    const o = byId('original-1').metrics;
    const r = byId('retrain-1002').metrics;
    const gap1002 = (Math.abs(o.UA! - r.UA!) + Math.abs(o.RA! - r.RA!) + Math.abs(o.TA! - r.TA!) + Math.abs(o.mia! - r.mia!)) / 4;
    expect(byId('ft-1002').metrics.gapClosed).toBeCloseTo(1 - ftGap / gap1002, 12);
  });

  it('table rows are the mean ± std of their models', () => {
    // The original's row has one entry per retrain it was measured against.
    expect(table.map((r) => [r.method, r.role, r.n])).toEqual([['original', 'original', 2], ['retrain', 'noise-floor', 2], ['ft', 'method', 2]]);
    expect(table[0].stats.relearnAcc).toEqual({ mean: 92.5, std: Math.sqrt(12.5) });
    expect(table[2].stats.UA).toEqual({ mean: 50, std: 0 });
    expect(table[2].stats.relearnAcc).toEqual({ mean: 50, std: 0 });
    const floorUA = [byId('retrain-1001').metrics.UA!, byId('retrain-1002').metrics.UA!];
    expect(table[1].stats.UA!.mean).toBeCloseTo((floorUA[0] + floorUA[1]) / 2, 12);
  });

  it('every model has the views\' details, CKA against the original and its reference', () => {
    const d = byId('ft-1001').details;
    expect(d.cka.layers).toEqual(['dense1', 'dense2', 'logits']);
    expect(byId('original-1').details.cka.vsOriginal.every((v) => Math.abs(v - 1) < 1e-9)).toBe(true);
    expect(d.embedding.x).toHaveLength(24);
    expect(d.forgetSamples.ids).toHaveLength(10);
    expect(d.perClass.test).toEqual([75, 75]);
  });
});
