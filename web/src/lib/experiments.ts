// The Experiments table as data: one row per evaluated model, sorting, filtering, and the default A/B pair.
import type { EvaluatedModel, ModelMetrics, TableRow } from '../../../src/shared/contract.ts';
import { params as fmtParams } from './format.ts';

export type ModelSummary = Omit<EvaluatedModel, 'details'>;

/** What the default pair needs of a comparison. */
export interface PairSource {
  table: TableRow[];
  models: ModelSummary[];
}

export type ColumnKey =
  | 'method' | 'role' | 'seed' | 'params' | 'forget'
  | 'UA' | 'RA' | 'TA' | 'forgetTestAcc' | 'retainTestAcc' | 'mia' | 'privacy' | 'avgGap' | 'seconds';

export interface Column {
  key: ColumnKey;
  label: string;
  title: string;
  numeric: boolean;
  /** Which way is better, for the sort a click starts with. */
  better?: 'high' | 'low';
}

export const COLUMNS: Column[] = [
  { key: 'method', label: 'Method', title: 'Unlearning method', numeric: false },
  { key: 'seed', label: 'Seed', title: 'Seed of the run', numeric: true },
  { key: 'UA', label: 'UA', title: 'Unlearning accuracy: 100 − forget accuracy (%)', numeric: true },
  { key: 'RA', label: 'RA', title: 'Retain accuracy (%)', numeric: true, better: 'high' },
  { key: 'TA', label: 'TA', title: 'Test accuracy (%)', numeric: true, better: 'high' },
  { key: 'forgetTestAcc', label: 'FT acc', title: 'Accuracy on test samples of the forgotten classes (%)', numeric: true },
  { key: 'retainTestAcc', label: 'RT acc', title: 'Accuracy on test samples of the other classes (%)', numeric: true, better: 'high' },
  { key: 'mia', label: 'MIA', title: 'MIA-efficacy: % of forget samples a membership attack calls non-members', numeric: true },
  { key: 'privacy', label: 'Privacy', title: 'Privacy score 0..1 (1 = indistinguishable from retrain)', numeric: true, better: 'high' },
  { key: 'avgGap', label: 'Gap', title: 'Average gap to the retrained model (UA, RA, TA, MIA; points)', numeric: true, better: 'low' },
  { key: 'seconds', label: 'Time', title: 'Wall time of the unlearning itself', numeric: true, better: 'low' },
  { key: 'params', label: 'Parameters', title: 'Method parameters', numeric: false },
  { key: 'forget', label: 'Forget', title: 'Forget spec (deletion request)', numeric: false },
  { key: 'role', label: 'Role', title: 'original, retrain (reference) or method', numeric: false },
];

export interface Row {
  id: string;
  model: ModelSummary;
  values: Record<ColumnKey, string | number | null>;
}

const metric = (m: ModelMetrics, k: keyof ModelMetrics): number | null => {
  const v = m[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

export function toRows(models: ModelSummary[], forget: string): Row[] {
  return models.map((m) => ({
    id: m.modelId,
    model: m,
    values: {
      method: m.method,
      role: m.role,
      seed: m.seed,
      params: fmtParams(m.params),
      forget,
      UA: metric(m.metrics, 'UA'),
      RA: metric(m.metrics, 'RA'),
      TA: metric(m.metrics, 'TA'),
      forgetTestAcc: metric(m.metrics, 'forgetTestAcc'),
      retainTestAcc: metric(m.metrics, 'retainTestAcc'),
      mia: metric(m.metrics, 'mia'),
      privacy: metric(m.metrics, 'privacy'),
      avgGap: metric(m.metrics, 'avgGap'),
      seconds: metric(m.metrics, 'seconds'),
    },
  }));
}

export interface SortState {
  key: ColumnKey;
  dir: 'asc' | 'desc';
}

/** A stable sort; empty values go last whichever the direction. */
export function sortRows(rows: Row[], { key, dir }: SortState): Row[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const x = a.r.values[key];
      const y = b.r.values[key];
      if (x == null || y == null) return x == null && y == null ? a.i - b.i : x == null ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map(({ r }) => r);
}

/** The sort a click on a column header gives: the same column flips, a new one starts with its better end. */
export function nextSort(current: SortState, key: ColumnKey): SortState {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  const col = COLUMNS.find((c) => c.key === key);
  return { key, dir: col?.better === 'high' ? 'desc' : 'asc' };
}

/** Keeps rows whose method, role, parameters or seed contain every word of `query`, and whose method is in `methods` (all when empty). */
export function filterRows(rows: Row[], query: string, methods: string[] = []): Row[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    if (methods.length && !methods.includes(r.model.method)) return false;
    const hay = `${r.model.method} ${r.model.role} ${r.values.params} seed=${r.model.seed}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** The method rows of the table, best (lowest mean avgGap) first; the method with the best mean wins. */
export function bestMethod(c: PairSource): string | undefined {
  const rows = c.table.filter((r) => r.role === 'method' && Number.isFinite(r.avgGap?.mean));
  if (rows.length) return rows.reduce((b, r) => (r.avgGap.mean < b.avgGap.mean ? r : b)).method;
  const ms = c.models.filter((m) => m.role === 'method' && Number.isFinite(m.metrics.avgGap));
  return ms.length ? ms.reduce((b, m) => (m.metrics.avgGap < b.metrics.avgGap ? m : b)).method : undefined;
}

/** Model A = the best method (its lowest-gap seed), model B = the retrained model it was measured against. */
export function defaultPair(c: PairSource): { a?: string; b?: string } {
  const method = bestMethod(c);
  const candidates = c.models.filter((m) => m.method === method && m.role === 'method');
  const a = candidates.length ? candidates.reduce((x, m) => (m.metrics.avgGap < x.metrics.avgGap ? m : x)) : c.models.find((m) => m.role !== 'retrain') ?? c.models[0];
  if (!a) return {};
  const b = c.models.find((m) => m.modelId === a.referenceId) ?? c.models.find((m) => m.role === 'retrain' && m.seed === a.seed) ?? c.models.find((m) => m.role === 'retrain');
  return { a: a.modelId, b: b && b.modelId !== a.modelId ? b.modelId : c.models.find((m) => m.modelId !== a.modelId)?.modelId };
}

/** The retrained model a given model was measured against (itself, for a retrain). */
export function referenceOf(models: ModelSummary[], m: ModelSummary | undefined): ModelSummary | undefined {
  if (!m) return undefined;
  return models.find((x) => x.modelId === m.referenceId) ?? models.find((x) => x.role === 'retrain' && x.seed === m.seed) ?? models.find((x) => x.role === 'retrain');
}

/** A short human label: "salun · seed 1". */
export function modelLabel(m: Pick<ModelSummary, 'method' | 'seed'> | undefined): string {
  return m ? `${m.method} · seed ${m.seed}` : '—';
}

/** The comparisons picker's order: newest first. */
export function newestFirst<T extends { created: string }>(cs: T[]): T[] {
  return [...cs].sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
}

/** Class indices a "class:3,5" spec forgets; empty for other kinds. */
export function forgottenClasses(forget: string): number[] {
  const m = /^class:([\d,\s]+)$/.exec(forget.trim());
  return m ? m[1].split(',').map((s) => Number(s.trim())).filter(Number.isInteger) : [];
}
