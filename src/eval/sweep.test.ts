// The corrective sweep table from hand-made comparisons: rows, cells, the target line and the Markdown.
import { describe, expect, it } from 'vitest';
import type { EvaluatedModel } from '../shared/contract.ts';
import { buildSweep, sweepMarkdown, type SweepPoint } from './sweep.ts';

const model = (role: EvaluatedModel['role'], method: string, seed: number, accCorr: number, cleanAcc: number) =>
  ({ role, method, seed, metrics: { accCorr, cleanAcc } }) as unknown as EvaluatedModel;

/** Two seeds; at fraction f retraining reaches accCorr 100·f (and 90 clean), ft half of that. */
const point = (fraction: number, forgetCount: number): SweepPoint => ({
  fraction,
  comparison: {
    id: `c${fraction}`, forgetCount, seeds: [1001, 1002], methods: ['ft'],
    models: [
      model('original', 'original', 1, 10, 88),
      model('retrain', 'retrain', 1001, 100 * fraction - 2, 90), model('retrain', 'retrain', 1002, 100 * fraction + 2, 90),
      model('method', 'ft', 1001, 50 * fraction, 87), model('method', 'ft', 1002, 50 * fraction, 89),
    ],
  },
});
const about = { manipulation: 'patch:count=600:target=0:seed=1', dataset: 'poisoned', arch: 'mlp', seed: 1 };

describe('the corrective sweep', () => {
  const s = buildSweep([point(0.5, 300), point(1, 600)], about);

  it('a row per method with one cell per fraction, mean and std over seeds; the target is retrain at fraction 1', () => {
    expect(s.rows.map((r) => [r.label, r.role])).toEqual([
      ['retrain on fully cleaned data (target)', 'target'], ['original (do nothing)', 'original'],
      ['retrain without the identified', 'retrain'], ['ft', 'method'],
    ]);
    expect(s.fractions).toEqual([0.5, 1]);
    expect(s.forgetCounts).toEqual([300, 600]);
    expect(s.comparisonIds).toEqual(['c0.5', 'c1']);
    const [target, original, retrain, ft] = s.rows;
    // Retrain at 0.5: 48 and 52 → mean 50, std √((4 + 4) / 1) = 2.828…; at 1: 98 and 102.
    expect(retrain.cells[0].accCorr.mean).toBe(50);
    expect(retrain.cells[0].accCorr.std).toBeCloseTo(Math.sqrt(8), 12);
    expect(retrain.cells[1].accCorr.mean).toBe(100);
    expect(target.cells.map((c) => c.accCorr.mean)).toEqual([100, 100]);
    expect(original.cells.map((c) => [c.accCorr.mean, c.cleanAcc.mean, c.accCorr.std])).toEqual([[10, 88, 0], [10, 88, 0]]);
    expect(ft.cells.map((c) => c.accCorr.mean)).toEqual([25, 50]);
    expect(ft.cells[0].cleanAcc).toEqual({ mean: 88, std: Math.sqrt(2) });
  });

  it('prints two tables, columns by fraction with the forget-set size', () => {
    const md = sweepMarkdown(s);
    expect(md).toContain('**Corrective sweep**: patch:count=600:target=0:seed=1 on poisoned (mlp), identified fraction `manipulated:f:seed=1`, 2 seeds');
    expect(md).toContain('| method | 50% (300) | 100% (600) |');
    expect(md).toContain('| retrain on fully cleaned data (target) | 100.00 ± 2.83 | 100.00 ± 2.83 |');
    expect(md).toContain('| ft | 25.00 ± 0.00 | 50.00 ± 0.00 |');
    expect(md).toContain('| ft | 88.00 ± 1.41 | 88.00 ± 1.41 |');
    expect(md.indexOf('clean acc (%)')).toBeGreaterThan(md.indexOf('accCorr (%)'));
  });

  it('needs fraction 1, its target line', () => {
    expect(() => buildSweep([point(0.5, 300)], about)).toThrow(/needs fraction 1/);
  });
});
