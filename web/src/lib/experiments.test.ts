import { describe, expect, it } from 'vitest';
import { METRIC_KEYS, METRICS, type ModelMetrics } from '../../../src/eval/metrics.ts';
import { tableColumns } from '../../../src/eval/table.ts';
import type { Comparison, TableRow } from '../../../src/shared/contract.ts';
import {
  cellText, COLUMNS, defaultPair, experimentColumns, filterRows, forgottenClasses, metricKeys, newestFirst, nextSort, referenceOf,
  shownColumns, sortRows, tablesOf, toRows, type ModelSummary,
} from './experiments.ts';

// Every metric but the two of class forgetting (this comparison forgets random samples).
const metrics = (avgGap: number, UA = 0): ModelMetrics => ({
  forgetAcc: 100 - UA, retainAcc: 90, testAcc: 80, UA, RA: 90, TA: 80, mia: 10, miaEntropy: 10, avgGap, gapClosed: 0,
  seconds: 1, speedup: 1, klForget: 0, klTest: 0, jsForget: 0, jsTest: 0, privacy: 0.5, relearnAcc: 0,
});
const model = (modelId: string, method: string, role: ModelSummary['role'], seed: number, avgGap: number, referenceId: string | null = null, params = {}): ModelSummary =>
  ({ modelId, method, role, seed, params, checkpoint: '', referenceId, metrics: metrics(avgGap, avgGap) });

const models = [
  model('o', 'original', 'original', 1, 9, 'r1'),
  model('r1', 'retrain', 'retrain', 1001, 0, 'r2'),
  model('r2', 'retrain', 'retrain', 1002, 0, 'r1'),
  model('ft1', 'ft', 'method', 1001, 3, 'r1', { lr: 0.001 }),
  model('ft2', 'ft', 'method', 1002, 5, 'r2', { lr: 0.001 }),
  model('ga1', 'ga', 'method', 1001, 2.5, 'r1'),
  model('ga2', 'ga', 'method', 1002, 1.5, 'r2'),
];
const stat = (mean: number) => ({ mean, std: 0 });
const row = (method: string, gap: number): TableRow => ({
  label: method, method, role: 'method', n: 2, stats: { UA: stat(0), RA: stat(0), TA: stat(0), mia: stat(0), avgGap: stat(gap), privacy: stat(0) },
});

describe('default pair', () => {
  it('is the best method by mean gap (ga: 2.0 < ft: 4.0), its best seed, and that seed’s retrain', () => {
    expect(defaultPair({ table: [row('ft', 4), row('ga', 2)], models })).toEqual({ a: 'ga2', b: 'r2' });
  });

  it('falls back on the models when the table has no method rows, or no avgGap in them', () => {
    expect(defaultPair({ table: [], models })).toEqual({ a: 'ga2', b: 'r2' });
    const noGap: TableRow = { label: 'ft', method: 'ft', role: 'method', n: 2, stats: { UA: stat(0) } };
    expect(defaultPair({ table: [noGap], models })).toEqual({ a: 'ga2', b: 'r2' });
  });

  it('ranks a regression comparison by its L1 gap, not by avgGap (which a regressor does not have)', () => {
    const reg = (modelId: string, method: string, seed: number, l1Gap: number, referenceId: string): ModelSummary =>
      ({ ...model(modelId, method, 'method', seed, 0, referenceId), metrics: { forgetL1: 50, retainL1: 40, testL1: 45, l1Gap } as ModelMetrics });
    const regModels = [model('r1', 'retrain', 'retrain', 1001, 0), model('r2', 'retrain', 'retrain', 1002, 0),
      reg('ft1', 'ft', 1001, 9, 'r1'), reg('bs1', 'blindspot', 1001, 4, 'r1'), reg('bs2', 'blindspot', 1002, 3, 'r2')];
    const regRow = (method: string, gap: number): TableRow => ({ label: method, method, role: 'method', n: 2, stats: { l1Gap: stat(gap), avgGap: stat(-gap) } });
    expect(defaultPair({ task: 'regression', table: [regRow('ft', 9), regRow('blindspot', 3.5)], models: regModels })).toEqual({ a: 'bs2', b: 'r2' });
    expect(defaultPair({ task: 'regression', table: [], models: regModels })).toEqual({ a: 'bs2', b: 'r2' });
    expect(tablesOf({ task: 'regression' }).side).toEqual(['method', 'seed', 'forgetL1', 'testL1', 'l1Gap']);
    expect(tablesOf({}).gap).toBe('avgGap');
  });

  it('finds the reference of a model', () => {
    expect(referenceOf(models, models[3])?.modelId).toBe('r1');
  });
});

describe('sorting and filtering', () => {
  const rows = toRows(models, 'random:0.1:seed=1');
  it('sorts by gap ascending with a stable order', () => {
    expect(sortRows(rows, { key: 'avgGap', dir: 'asc' }).map((r) => r.id)).toEqual(['r1', 'r2', 'ga2', 'ga1', 'ft1', 'ft2', 'o']);
    expect(sortRows(rows, { key: 'method', dir: 'desc' }).map((r) => r.id)).toEqual(['r1', 'r2', 'o', 'ga1', 'ga2', 'ft1', 'ft2']);
  });

  it('keeps empty values last in both directions', () => {
    const withGap = toRows([model('x', 'x', 'method', 1, NaN), ...models.slice(0, 2)], '');
    expect(sortRows(withGap, { key: 'avgGap', dir: 'asc' }).map((r) => r.id).at(-1)).toBe('x');
    expect(sortRows(withGap, { key: 'avgGap', dir: 'desc' }).map((r) => r.id).at(-1)).toBe('x');
  });

  it('starts a new column at its better end (the map’s `better`) and flips the same column', () => {
    expect(nextSort({ key: 'avgGap', dir: 'asc' }, 'TA')).toEqual({ key: 'TA', dir: 'desc' }); // high
    expect(nextSort({ key: 'TA', dir: 'desc' }, 'TA')).toEqual({ key: 'TA', dir: 'asc' });
    expect(nextSort({ key: 'TA', dir: 'desc' }, 'avgGap')).toEqual({ key: 'avgGap', dir: 'asc' }); // low
    expect(nextSort({ key: 'TA', dir: 'desc' }, 'mia')).toEqual({ key: 'mia', dir: 'asc' }); // reference
    expect(nextSort({ key: 'TA', dir: 'desc' }, 'method')).toEqual({ key: 'method', dir: 'asc' });
  });

  it('filters by words in method, role, parameters and seed, and by method', () => {
    expect(filterRows(rows, 'ft lr=0.001').map((r) => r.id)).toEqual(['ft1', 'ft2']);
    expect(filterRows(rows, 'seed=1002').map((r) => r.id)).toEqual(['r2', 'ft2', 'ga2']);
    expect(filterRows(rows, '', ['ga']).map((r) => r.id)).toEqual(['ga1', 'ga2']);
  });
});

describe('columns from the metric map', () => {
  const defaults = METRIC_KEYS.filter((k) => METRICS[k].column === 'default');

  it('are the map’s default metrics, in map order, between the local columns', () => {
    expect(experimentColumns(false)).toEqual(['method', 'seed', ...defaults, 'params', 'forget']);
    expect(metricKeys(false)).toEqual(defaults);
    // Spot checks against the map as written: the paper columns are defaults, the raw accuracies and JS are not.
    expect(defaults).toEqual(expect.arrayContaining(['UA', 'RA', 'TA', 'mia', 'avgGap', 'gapClosed', 'privacy']));
    expect(defaults).not.toContain('forgetAcc');
    expect(defaults).not.toContain('jsTest');
  });

  it('show every metric of the map with "all metrics", in the Models table and in the Comparison table', () => {
    expect(experimentColumns(true)).toEqual(['method', 'seed', ...METRIC_KEYS, 'params', 'forget']);
    const full = model('f', 'ft', 'method', 1, 2, null, { lr: 0.01 });
    // A model with a value for every metric of the map.
    full.metrics = Object.fromEntries(METRIC_KEYS.map((k) => [k, 1]));
    const shown = shownColumns(toRows([full], 'class:3'), experimentColumns(true)).map((c) => c.key);
    expect(shown).toEqual(['method', 'seed', ...METRIC_KEYS, 'params', 'forget']);
    for (const k of ['klForget', 'klTest', 'jsForget', 'jsTest', 'miaEntropy', 'relearnAcc'] as const) expect(shown).toContain(k);
    const everyStat: TableRow = { label: 'ft', method: 'ft', role: 'method', n: 1, stats: Object.fromEntries(METRIC_KEYS.map((k) => [k, stat(1)])) };
    expect(tableColumns([everyStat], 'all')).toEqual(METRIC_KEYS);
  });

  it('hide a metric no model has (forget-test accuracy outside class forgetting) and an empty parameter column', () => {
    const keys = shownColumns(toRows(models, 'random:0.1:seed=1'), experimentColumns(false)).map((c) => c.key);
    expect(experimentColumns(false)).toContain('forgetTestAcc');
    expect(keys).not.toContain('forgetTestAcc');
    expect(keys).not.toContain('retainTestAcc');
    expect(keys).toContain('params'); // ft has lr=0.001
    expect(shownColumns(toRows(models.slice(0, 3), ''), ['method', 'params', 'forget']).map((c) => c.key)).toEqual(['method']);
  });

  it('take labels, tooltips and direction from the map; the local columns keep theirs', () => {
    expect(COLUMNS.TA).toEqual({ key: 'TA', label: 'TA', title: 'Test accuracy, the column papers print', numeric: true, better: 'high' });
    expect(COLUMNS.klForget.label).toBe('KL forget');
    expect(COLUMNS.relearnAcc.title.toLowerCase()).toBe(METRICS.relearnAcc.meaning.toLowerCase());
    expect(COLUMNS.method).toEqual({ key: 'method', label: 'Method', title: 'Unlearning method', numeric: false });
  });

  it('format cells as the map says: scale, digits and unit', () => {
    expect(cellText('gapClosed', 0.987)).toBe('98.7%');
    expect(cellText('UA', 12.3456)).toBe('12.35%');
    expect(cellText('avgGap', 1.5)).toBe('1.50');
    expect(cellText('privacy', 0.5)).toBe('0.500');
    expect(cellText('seconds', 12.5)).toBe('12.50 s');
    expect(cellText('speedup', 40)).toBe('40.0×');
    expect(cellText('mia', null)).toBe('—');
    expect(cellText('method', 'ga')).toBe('ga');
    expect(cellText('seed', 1001)).toBe('1001');
    expect(cellText('params', null)).toBe('—');
  });
});

describe('small helpers', () => {
  it('reads the forgotten classes of a structured class spec', () => {
    const c = (forget: Comparison['forget']) => ({ forget });
    expect(forgottenClasses(c({ kind: 'class', classes: [3, 5] }))).toEqual([3, 5]);
    expect(forgottenClasses(c({ kind: 'random', fraction: 0.1, seed: 1 }))).toEqual([]);
    expect(forgottenClasses(c({ kind: 'group', groups: ['u17'] }))).toEqual([]);
  });

  it('orders comparisons newest first', () => {
    expect(newestFirst([{ created: '2025-01-01' }, { created: '2025-03-01' }, { created: '2025-02-01' }]).map((c) => c.created)).toEqual(['2025-03-01', '2025-02-01', '2025-01-01']);
  });
});
