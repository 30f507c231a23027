// The Experiments table as data: one row per evaluated model, its columns (the metric map's, plus a few that say
// who the model is), sorting, filtering, and the default A/B pair.
import { comparisonTask, type Comparison, type EvaluatedModel, type ModelMetrics, type TableRow } from '../../../src/shared/contract.ts';
import { formatValue, METRIC_KEYS, metricInfo, type Metric, type MetricKey } from '../../../src/eval/metrics.ts';
import { TASKS, type TaskName } from '../../../src/data/tasks.ts';
import { params as fmtParams } from './format.ts';

export type ModelSummary = Omit<EvaluatedModel, 'details'>;

/** What the default pair needs of a comparison. */
export interface PairSource {
  task?: TaskName;
  table: TableRow[];
  models: ModelSummary[];
}

export interface Column {
  key: ColumnKey;
  label: string;
  /** The header's tooltip. */
  title: string;
  numeric: boolean;
  /** Which way is better, for the sort a click starts with (metrics only). */
  better?: Metric['better'];
}

/** The columns that are not metrics: who the model is and how it was made. */
const INFO_COLUMNS = {
  method: { label: 'Method', title: 'Unlearning method', numeric: false },
  seed: { label: 'Seed', title: 'Seed of the run', numeric: true },
  params: { label: 'Parameters', title: 'Method parameters', numeric: false },
  forget: { label: 'Forget', title: 'Forget spec (deletion request)', numeric: false },
  role: { label: 'Role', title: 'original, retrain (reference) or method', numeric: false },
} satisfies Record<string, Omit<Column, 'key'>>;

export type InfoKey = keyof typeof INFO_COLUMNS;
export type ColumnKey = InfoKey | MetricKey;

export const isMetricKey = (key: string): key is MetricKey => (METRIC_KEYS as string[]).includes(key);

/** A tooltip reads as a sentence: the map's meaning with a capital. */
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function metricColumn(key: MetricKey): Column {
  const m = metricInfo(key);
  return { key, label: m.label, title: sentence(m.meaning), numeric: true, better: m.better };
}

/** Every column by key: the local ones above and one per entry of the metric map. */
export const COLUMNS = Object.fromEntries([
  ...Object.entries(INFO_COLUMNS).map(([key, c]) => [key, { key, ...c }]),
  ...METRIC_KEYS.map((key) => [key, metricColumn(key)]),
]) as Record<ColumnKey, Column>;

/** The metrics a table offers: the map's default columns, or (the "all metrics" toggle) every metric. */
export const metricKeys = (all: boolean): MetricKey[] => (all ? [...METRIC_KEYS] : METRIC_KEYS.filter((k) => metricInfo(k).column === 'default'));

/** The Models table of the Experiments view: the model, its metrics in map order, then how it was made. */
export const experimentColumns = (all: boolean): ColumnKey[] => ['method', 'seed', ...metricKeys(all), 'params', 'forget'];

/** How the comparator sums up a comparison of each task: one entry per task of src/data/tasks.ts. */
export interface TaskTables {
  /** The one number that ranks methods (lower = closer to retraining): the default pair and the tables' first sort. */
  gap: MetricKey;
  /** The left panel's short table. */
  side: ColumnKey[];
  /** The key metrics a pick card shows. */
  key: MetricKey[];
}

export const TASK_TABLES = {
  classification: { gap: TASKS.classification.gap, side: ['method', 'seed', 'UA', 'TA', 'avgGap'], key: ['UA', 'RA', 'TA', 'mia', 'avgGap', 'privacy'] },
  regression: { gap: TASKS.regression.gap, side: ['method', 'seed', 'forgetL1', 'testL1', 'l1Gap'], key: ['forgetL1', 'retainL1', 'testL1', 'w1Forget', 'lossMia', 'l1Gap'] },
} as const satisfies Record<TaskName, TaskTables>;

export const tablesOf = (c: { task?: TaskName }): TaskTables => TASK_TABLES[comparisonTask(c)];

export interface Row {
  id: string;
  model: ModelSummary;
  values: Record<ColumnKey, string | number | null>;
}

const metric = (m: ModelMetrics, k: MetricKey): number | null => {
  const v = m[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** One row per model; `forgetText` fills the forget column ("class:3"). */
export function toRows(models: ModelSummary[], forgetText: string): Row[] {
  return models.map((m) => {
    const values = { method: m.method, role: m.role, seed: m.seed, params: fmtParams(m.params), forget: forgetText } as Row['values'];
    for (const k of METRIC_KEYS) values[k] = metric(m.metrics, k);
    return { id: m.modelId, model: m, values };
  });
}

/** The chosen columns that some row has a value in: a metric no model has (forget-test accuracy outside class forgetting) stays hidden. */
export function shownColumns(rows: Row[], keys: ColumnKey[]): Column[] {
  return keys.filter((k) => rows.some((r) => r.values[k] != null && r.values[k] !== '')).map((k) => COLUMNS[k]);
}

/** A cell's text: a metric as every table shows it (src/eval/metrics.ts), anything else as it is. */
export function cellText(key: ColumnKey, v: string | number | null): string {
  if (isMetricKey(key)) return formatValue(key, typeof v === 'number' ? v : null);
  return v == null ? '—' : String(v);
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
  return { key, dir: COLUMNS[key].better === 'high' ? 'desc' : 'asc' };
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

const finite = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : Infinity);

/** The method with the lowest mean gap to retraining in the table (or, without method rows, of its models). */
export function bestMethod(c: PairSource): string | undefined {
  const { gap } = tablesOf(c);
  const mean = (r: TableRow) => finite(r.stats[gap]?.mean);
  const rows = c.table.filter((r) => r.role === 'method' && mean(r) < Infinity);
  if (rows.length) return rows.reduce((b, r) => (mean(r) < mean(b) ? r : b)).method;
  const of = (m: ModelSummary) => finite(m.metrics[gap]);
  const ms = c.models.filter((m) => m.role === 'method' && of(m) < Infinity);
  return ms.length ? ms.reduce((b, m) => (of(m) < of(b) ? m : b)).method : undefined;
}

/** Model A = the best method (its lowest-gap seed), model B = the retrained model it was measured against. */
export function defaultPair(c: PairSource): { a?: string; b?: string } {
  const { gap } = tablesOf(c);
  const of = (m: ModelSummary) => finite(m.metrics[gap]);
  const method = bestMethod(c);
  const candidates = c.models.filter((m) => m.method === method && m.role === 'method');
  const a = candidates.length ? candidates.reduce((x, m) => (of(m) < of(x) ? m : x)) : c.models.find((m) => m.role !== 'retrain') ?? c.models[0];
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

/** The classes a comparison's request forgets: its spec's classes for class forgetting, none otherwise. */
export function forgottenClasses(c: Pick<Comparison, 'forget'>): number[] {
  return c.forget.kind === 'class' ? [...c.forget.classes] : [];
}
