// The corrective sweep (Goel, Prabhu et al., TMLR 2024, Fig. 2 and 3): accCorr and clean accuracy of every method
// against the identified fraction of the manipulated samples, with retraining on fully cleaned data (retrain
// without 100% of them) as the target line. Built from the comparisons of each fraction; pure code over numbers.
import type { Comparison, Stat } from '../shared/contract.ts';
import type { MetricKey } from './metrics.ts';
import { formatStat, stat } from './table.ts';

export const SWEEP_METRICS = ['accCorr', 'cleanAcc'] as const satisfies readonly MetricKey[];
type SweepMetric = (typeof SWEEP_METRICS)[number];
export type SweepCell = Record<SweepMetric, Stat>;

export interface SweepRow {
  label: string;
  method: string;
  /** target: retrain without every manipulated sample, the same in each column. */
  role: 'target' | 'original' | 'retrain' | 'method';
  /** One per fraction, in the order of `fractions`. */
  cells: SweepCell[];
}

export interface Sweep {
  /** The manipulation, as lethe manipulate describes it. */
  manipulation: string;
  dataset: string;
  arch: string;
  seed: number;
  fractions: number[];
  /** Forget-set size at each fraction. */
  forgetCounts: number[];
  seeds: number[];
  comparisonIds: string[];
  rows: SweepRow[];
}

export type SweepPoint = { fraction: number; comparison: Pick<Comparison, 'id' | 'models' | 'forgetCount' | 'seeds' | 'methods'> };

const cellOf = (ms: Comparison['models']): SweepCell =>
  Object.fromEntries(SWEEP_METRICS.map((k) => [k, stat(ms.map((m) => m.metrics[k] ?? NaN))])) as SweepCell;

/** The sweep's rows from one comparison per fraction (fractions ascending; the last is 1, the target). */
export function buildSweep(points: SweepPoint[], about: Pick<Sweep, 'manipulation' | 'dataset' | 'arch' | 'seed'>): Sweep {
  const full = points.find((p) => p.fraction === 1);
  if (!full) throw new Error('a corrective sweep needs fraction 1 (retrain on fully cleaned data is its target line)');
  const models = (p: SweepPoint, role: string, method?: string) => p.comparison.models.filter((m) => m.role === role && (method === undefined || m.method === method));
  const target = cellOf(models(full, 'retrain'));
  const row = (label: string, method: string, role: SweepRow['role'], pick: (p: SweepPoint) => Comparison['models']): SweepRow =>
    ({ label, method, role, cells: points.map((p) => cellOf(pick(p))) });
  return {
    ...about,
    fractions: points.map((p) => p.fraction),
    forgetCounts: points.map((p) => p.comparison.forgetCount),
    seeds: full.comparison.seeds,
    comparisonIds: points.map((p) => p.comparison.id),
    rows: [
      { label: 'retrain on fully cleaned data (target)', method: 'retrain', role: 'target', cells: points.map(() => target) },
      row('original (do nothing)', 'original', 'original', (p) => models(p, 'original')),
      row('retrain without the identified', 'retrain', 'retrain', (p) => models(p, 'retrain')),
      ...full.comparison.methods.map((m) => row(m, m, 'method', (p) => models(p, 'method', m))),
    ],
  };
}

const pct = (f: number) => `${+(f * 100).toFixed(2)}%`;

/** Two tables, accCorr and clean accuracy: a row per method, a column per identified fraction. */
export function sweepMarkdown(s: Sweep): string {
  const head = `**Corrective sweep**: ${s.manipulation} on ${s.dataset} (${s.arch}), identified fraction \`manipulated:f:seed=${s.seed}\`, `
    + `${s.seeds.length} seed${s.seeds.length === 1 ? '' : 's'} (mean ± std)`;
  const table = (k: SweepMetric) => [
    `${k === 'accCorr' ? 'accCorr' : 'clean acc'} (%), by identified fraction (forget samples)`,
    '',
    `| method | ${s.fractions.map((f, i) => `${pct(f)} (${s.forgetCounts[i]})`).join(' | ')} |`,
    `|---|${s.fractions.map(() => '---').join('|')}|`,
    ...s.rows.map((r) => `| ${r.label} | ${r.cells.map((c) => formatStat(k, c[k], 'method', s.seeds.length)).join(' | ')} |`),
  ].join('\n');
  return [head, '', table('accCorr'), '', table('cleanAcc')].join('\n');
}
