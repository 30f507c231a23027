import { describe, expect, it } from 'vitest';
import { defaultPair, filterRows, forgottenClasses, newestFirst, nextSort, referenceOf, sortRows, toRows, type ModelSummary } from '../../web/src/lib/experiments.ts';
import type { TableRow } from '../../src/shared/contract.ts';

const metrics = (avgGap: number, UA = 0) => ({
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
  label: method, method, role: 'method', n: 2, UA: stat(0), RA: stat(0), TA: stat(0), MIA: stat(0), avgGap: stat(gap),
  gapClosed: stat(0), seconds: stat(0), speedup: stat(0), privacy: stat(0),
});

describe('default pair', () => {
  it('is the best method by mean gap (ga: 2.0 < ft: 4.0), its best seed, and that seed’s retrain', () => {
    expect(defaultPair({ table: [row('ft', 4), row('ga', 2)], models })).toEqual({ a: 'ga2', b: 'r2' });
  });

  it('falls back on the models when the table has no method rows', () => {
    expect(defaultPair({ table: [], models })).toEqual({ a: 'ga2', b: 'r2' });
  });

  it('finds the reference of a model', () => {
    expect(referenceOf(models, models[3])?.modelId).toBe('r1');
  });
});

describe('sorting and filtering', () => {
  const rows = toRows(models, 'class:3');
  it('sorts by gap ascending with a stable order', () => {
    expect(sortRows(rows, { key: 'avgGap', dir: 'asc' }).map((r) => r.id)).toEqual(['r1', 'r2', 'ga2', 'ga1', 'ft1', 'ft2', 'o']);
    expect(sortRows(rows, { key: 'method', dir: 'desc' }).map((r) => r.id)).toEqual(['r1', 'r2', 'o', 'ga1', 'ga2', 'ft1', 'ft2']);
  });

  it('keeps empty values last in both directions', () => {
    const withGap = toRows([model('x', 'x', 'method', 1, NaN), ...models.slice(0, 2)], '');
    expect(sortRows(withGap, { key: 'avgGap', dir: 'asc' }).map((r) => r.id).at(-1)).toBe('x');
    expect(sortRows(withGap, { key: 'avgGap', dir: 'desc' }).map((r) => r.id).at(-1)).toBe('x');
  });

  it('starts a new column at its better end and flips the same column', () => {
    expect(nextSort({ key: 'avgGap', dir: 'asc' }, 'TA')).toEqual({ key: 'TA', dir: 'desc' });
    expect(nextSort({ key: 'TA', dir: 'desc' }, 'TA')).toEqual({ key: 'TA', dir: 'asc' });
  });

  it('filters by words in method, role, parameters and seed, and by method', () => {
    expect(filterRows(rows, 'ft lr=0.001').map((r) => r.id)).toEqual(['ft1', 'ft2']);
    expect(filterRows(rows, 'seed=1002').map((r) => r.id)).toEqual(['r2', 'ft2', 'ga2']);
    expect(filterRows(rows, '', ['ga']).map((r) => r.id)).toEqual(['ga1', 'ga2']);
  });
});

describe('small helpers', () => {
  it('reads the forgotten classes of a class spec', () => {
    expect(forgottenClasses('class:3,5')).toEqual([3, 5]);
    expect(forgottenClasses('random:0.1:seed=1')).toEqual([]);
  });

  it('orders comparisons newest first', () => {
    expect(newestFirst([{ created: '2025-01-01' }, { created: '2025-03-01' }, { created: '2025-02-01' }]).map((c) => c.created)).toEqual(['2025-03-01', '2025-02-01', '2025-01-01']);
  });
});
