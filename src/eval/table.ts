// The comparison table papers print: one row per method, mean ± std over seeds of every metric in the map,
// headed by the two reference rows; and its Markdown and CSV forms. Pure code over numbers.
import { TASKS } from '../data/tasks.ts';
import { comparisonTask, tunedLabel, type Comparison, type Stat, type TableRow } from '../shared/contract.ts';
import { METRIC_KEYS, metricInfo, type MetricKey, type ModelMetrics } from './metrics.ts';

/** Mean and sample standard deviation (n − 1); std is 0 for a single seed. */
export function stat(values: number[]): Stat {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std };
}

function row(label: string, method: string, role: TableRow['role'], ms: ModelMetrics[]): TableRow {
  const stats: TableRow['stats'] = {};
  // A metric that no model of the row has (forget-test accuracy outside class forgetting) is left out.
  for (const key of METRIC_KEYS) if (ms.some((m) => m[key] !== undefined)) stats[key] = stat(ms.map((m) => m[key] ?? NaN));
  return { label, method, role, n: ms.length, stats };
}

export function buildTable(original: ModelMetrics[], floor: ModelMetrics[], methods: { method: string; rows: ModelMetrics[] }[]): TableRow[] {
  const rows = [row('original (do nothing)', 'original', 'original', original)];
  if (floor.length) rows.push(row('retrain vs retrain (noise floor)', 'retrain', 'noise-floor', floor));
  for (const m of methods) rows.push(row(m.method, m.method, 'method', m.rows));
  return rows;
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * A table cell: "mean ± std" scaled and with the metric's digits; what the map says for the original's row
 * where the value is a definition; an em dash where there is no value. `n` ≤ 1 leaves the std out (the UI).
 */
export function formatStat(key: MetricKey, s: Stat | null | undefined, role: TableRow['role'], n?: number): string {
  const m = metricInfo(key);
  if (role === 'original' && m.original !== undefined) return m.original;
  if (!s || !finite(s.mean)) return '—';
  const scale = m.scale ?? 1;
  const mean = (s.mean * scale).toFixed(m.digits);
  return (n !== undefined && n <= 1) || !finite(s.std) ? mean : `${mean} ± ${(s.std * scale).toFixed(m.digits)}`;
}

export type ColumnChoice = 'default' | 'all' | MetricKey[];

/** The metric columns a table shows: the chosen ones that some row has a value for, in map order. */
export function tableColumns(rows: TableRow[], choice: ColumnChoice = 'default'): MetricKey[] {
  const wanted = (k: MetricKey) => (choice === 'all' ? true : choice === 'default' ? metricInfo(k).column === 'default' : choice.includes(k));
  return METRIC_KEYS.filter((k) => wanted(k) && rows.some((r) => finite(r.stats[k]?.mean)));
}

export function tableMarkdown(c: Pick<Comparison, 'forgetText' | 'dataset' | 'arch' | 'forgetCount' | 'seeds' | 'table'>, choice: ColumnChoice = 'default'): string {
  const keys = tableColumns(c.table, choice);
  const head = `**${c.forgetText}** on ${c.dataset} (${c.arch}), ${c.forgetCount} forget samples, ${c.seeds.length} seed${c.seeds.length === 1 ? "" : "s"} (mean ± std)\n\n`;
  return head + [
    `| method | ${keys.map((k) => metricInfo(k).label).join(' | ')} |`,
    `|---|${keys.map(() => '---').join('|')}|`,
    ...c.table.map((r) => `| ${[r.label, ...keys.map((k) => formatStat(k, r.stats[k], r.role))].join(' | ')} |`),
  ].join('\n');
}

/** Every metric, mean and std, unscaled: the machine-readable form. */
export function tableCsv(c: Pick<Comparison, 'table'>): string {
  const head = ['method', 'role', 'n', ...METRIC_KEYS.flatMap((k) => [`${k}_mean`, `${k}_std`])];
  const lines = c.table.map((r) => [r.label, r.role, r.n, ...METRIC_KEYS.flatMap((k): (number | string)[] => {
    const s = r.stats[k];
    return s ? [s.mean, s.std] : ['', ''];
  })].join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

export interface TunedRank {
  method: string;
  defaults: number;
  tuned: number;
  /** 1 = the smallest avgGap among the methods. */
  rankDefaults: number;
  rankTuned: number;
}

/**
 * `lethe compare --tuned`: each method's gap (its task's: avgGap or L1 gap) and rank among the methods at the defaults, and again when every
 * method the tuning changed runs with its tuned parameters instead (a method left at its defaults keeps its row).
 */
export function tunedRanks(c: Pick<Comparison, 'table' | 'tuning' | 'task'>): TunedRank[] {
  if (!c.tuning) return [];
  const key = TASKS[comparisonTask(c)].gap;
  const gap = (label: string) => c.table.find((r) => r.role === 'method' && r.label === label)?.stats[key]?.mean ?? NaN;
  const methods = c.table.filter((r) => r.role === 'method' && !r.label.endsWith(tunedLabel(''))).map((r) => r.label);
  const defaults = methods.map((m) => gap(m));
  const tuned = methods.map((m, i) => (c.tuning!.params[m] ? gap(tunedLabel(m)) : defaults[i]));
  const rank = (xs: number[]) => xs.map((x) => 1 + xs.filter((y) => y < x).length);
  const rd = rank(defaults);
  const rt = rank(tuned);
  return methods.map((method, i) => ({ method, defaults: defaults[i], tuned: tuned[i], rankDefaults: rd[i], rankTuned: rt[i] }));
}

export function tunedRanksMarkdown(c: Pick<Comparison, 'table' | 'tuning' | 'task'>): string {
  const rows = tunedRanks(c);
  if (!rows.length) return '';
  const gap = TASKS[comparisonTask(c)].gap;
  return [
    `Tuned on a validation split (tuning ${c.tuning!.id}; the test set played no part): ${gap} and rank at the defaults and tuned`,
    '',
    `| method | ${gap}, defaults | ${gap}, tuned | rank, defaults → tuned |`,
    '|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.method} | ${r.defaults.toFixed(2)} | ${c.tuning!.params[r.method] ? r.tuned.toFixed(2) : c.tuning!.methods.includes(r.method) ? '(the defaults won)' : '(not tuned)'} | ${r.rankDefaults} → ${r.rankTuned}${r.rankDefaults === r.rankTuned ? '' : r.rankTuned < r.rankDefaults ? ' (up)' : ' (down)'} |`),
  ].join('\n');
}
