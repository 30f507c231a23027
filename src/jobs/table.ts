// The comparison table papers print: one row per method, mean ± std over seeds, headed by the two reference rows.
import type { Comparison, ModelMetrics, Stat, TableRow } from '../shared/contract.ts';

/** Mean and sample standard deviation (n − 1); std is 0 for a single seed. */
export function stat(values: number[]): Stat {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std };
}

function row(label: string, method: string, role: TableRow['role'], ms: ModelMetrics[]): TableRow {
  const s = (f: (m: ModelMetrics) => number | undefined) => stat(ms.map((m) => f(m) ?? NaN));
  const r: TableRow = {
    label, method, role, n: ms.length,
    UA: s((m) => m.UA), RA: s((m) => m.RA), TA: s((m) => m.TA), MIA: s((m) => m.mia),
    avgGap: s((m) => m.avgGap), gapClosed: s((m) => m.gapClosed), seconds: s((m) => m.seconds), speedup: s((m) => m.speedup),
    privacy: s((m) => m.privacy),
  };
  if (ms[0]?.forgetTestAcc !== undefined) {
    r.forgetTestAcc = s((m) => m.forgetTestAcc);
    r.retainTestAcc = s((m) => m.retainTestAcc);
  }
  return r;
}

export function buildTable(original: ModelMetrics[], floor: ModelMetrics[], methods: { method: string; rows: ModelMetrics[] }[]): TableRow[] {
  const rows = [row('original (do nothing)', 'original', 'original', original)];
  if (floor.length) rows.push(row('retrain vs retrain (noise floor)', 'retrain', 'noise-floor', floor));
  for (const m of methods) rows.push(row(m.method, m.method, 'method', m.rows));
  return rows;
}

const fmt = (s: Stat | undefined, digits = 2, scale = 1) =>
  !s || Number.isNaN(s.mean) ? '—' : `${(s.mean * scale).toFixed(digits)} ± ${(s.std * scale).toFixed(digits)}`;

function columns(c: Comparison) {
  const cls = c.forgetKind === 'class';
  return [
    ['method', (r: TableRow) => r.label],
    ...(cls ? [['forget-test acc', (r: TableRow) => fmt(r.forgetTestAcc)], ['retain-test acc', (r: TableRow) => fmt(r.retainTestAcc)]] : []),
    ['UA', (r: TableRow) => fmt(r.UA)],
    ['RA', (r: TableRow) => fmt(r.RA)],
    ['TA', (r: TableRow) => fmt(r.TA)],
    ['MIA', (r: TableRow) => fmt(r.MIA)],
    ['avgGap', (r: TableRow) => fmt(r.avgGap)],
    ['gap closed %', (r: TableRow) => (r.role === 'original' ? '0 (by definition)' : fmt(r.gapClosed, 1, 100))],
    ['seconds', (r: TableRow) => fmt(r.seconds)],
    ['speedup', (r: TableRow) => (r.role === 'original' ? '—' : fmt(r.speedup, 1))],
    ['privacy', (r: TableRow) => fmt(r.privacy, 3)],
  ] as [string, (r: TableRow) => string][];
}

export function tableMarkdown(c: Comparison): string {
  const cols = columns(c);
  const head = `**${c.forget}** on ${c.dataset} (${c.arch}), ${c.forgetCount} forget samples, ${c.seeds.length} seeds (mean ± std)\n\n`;
  return head + [
    `| ${cols.map(([h]) => h).join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...c.table.map((r) => `| ${cols.map(([, f]) => f(r)).join(' | ')} |`),
  ].join('\n');
}

export function tableCsv(c: Comparison): string {
  const keys = ['UA', 'RA', 'TA', 'MIA', 'avgGap', 'gapClosed', 'seconds', 'speedup', 'privacy', 'forgetTestAcc', 'retainTestAcc'] as const;
  const head = ['method', 'role', 'n', ...keys.flatMap((k) => [`${k}_mean`, `${k}_std`])];
  const lines = c.table.map((r) => [r.label, r.role, r.n, ...keys.flatMap((k): (number | string)[] => {
    const s = r[k];
    return s ? [s.mean, s.std] : ['', ''];
  })].join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}
