// The task functions on a regression model (the committed diabetes set): train, unlearn and compare report L1 errors
// and the regression metrics, every classification-only task refuses it with one clear error, and the store records it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricTasks, type MetricKey } from '../eval/metrics.ts';
import { l1, wasserstein1 } from '../eval/regression.ts';
import { tableMarkdown, tunedRanks, tunedRanksMarkdown } from '../eval/table.ts';
import { readMeta } from '../models/checkpoint.ts';
import { tunedLabel } from '../shared/contract.ts';
import { Store } from '../store/store.ts';
import type { RegressionErrors } from '../unlearn/run.ts';
import { cliEnv } from './edges.ts';
import { REGRESSION_SETTING } from './demo-task.ts';
import { importPredictions } from './import-task.ts';
import { predictTask } from './predict-task.ts';
import { parseTaskArgs, runTask } from './tasks.ts';
import { loadData } from '../data/registry.ts';
import { idsOfSplit } from '../data/dataset.ts';
import { readPredictions } from '../measure/predictions.ts';
import { TaskArgsError } from './task.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-regression-tasks-'));
const store = new Store(join(home, 'lethe.db'));
const ctx = (out: string) => ({ out: join(home, out), store, modelDir: (d: string) => d });
let base = '';
let trainedTestL1 = NaN;

beforeAll(async () => {
  const r = await runTask('train', parseTaskArgs('train', { ...REGRESSION_SETTING.train, epochs: 30 }, cliEnv), ctx('base'));
  expect(r.task).toBe('regression');
  expect(r.trainAcc).toBeUndefined();
  // An MLP on ten features reaches the range linear models reach on this data (test L1 ≈ 43–48).
  expect(r.testL1!).toBeGreaterThan(35);
  expect(r.testL1!).toBeLessThan(60);
  base = r.checkpoint;
  trainedTestL1 = r.testL1!;
});

afterAll(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('regression tasks', () => {
  it('train records a regression checkpoint with one output and its L1 errors', () => {
    const meta = readMeta(base);
    expect(meta).toMatchObject({ task: 'regression', numClasses: 1, dataset: { name: 'diabetes' } });
    expect(Object.keys(meta.metrics).sort()).toEqual(['seconds', 'testL1', 'trainL1']);
  });

  it('unlearn reports forget, retain, test, forget-test and retain-test L1', async () => {
    const r = await runTask('unlearn', parseTaskArgs('unlearn', { model: base, forget: 'target:250..', method: 'blindspot' }, cliEnv), ctx('blindspot')) as RegressionErrors & { forgetCount: number };
    expect(r.forgetCount).toBe(49);
    for (const k of ['forgetL1', 'retainL1', 'testL1', 'forgetTestL1', 'retainTestL1'] as const) expect(Number.isFinite(r[k])).toBe(true);
    expect('forgetAcc' in r).toBe(false);
  });

  it('predict writes a regressor\'s predictions beside the targets, whose L1 is the test L1 train reported, and the exchange reader reads them back', async () => {
    const out = join(home, 'pred.csv');
    const r = await predictTask({ model: base, split: 'test', out });
    expect(r).toMatchObject({ rows: 88, classes: 0 });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,target,split,prediction');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(88);
    const ds = loadData({ name: 'diabetes' });
    for (const [id, target, split] of rows) {
      expect(split).toBe('test');
      expect(Number(target)).toBe(ds.target![Number(id)]);
    }
    expect(l1(rows.map((x) => Number(x[3])), rows.map((x) => Number(x[1])))).toBeCloseTo(trainedTestL1, 3);
    const read = readPredictions(out);
    expect(read.numClasses).toBe(1);
    expect(Array.from(read.target!)).toEqual(rows.map((x) => Math.fround(Number(x[1]))));
  });

  it('import --predictions makes a regression comparison of models known only by their predictions, measured as unlearn measured them', async () => {
    // The exchange files of the original, a retrain and a blindspot run, on the target range's forget set.
    const dir = join(home, 'exchange');
    mkdirSync(dir, { recursive: true });
    const runs = {
      retrain: await runTask('unlearn', parseTaskArgs('unlearn', { model: base, forget: 'target:250..', method: 'retrain' }, cliEnv), ctx('x-retrain')) as RegressionErrors & { checkpoint: string },
      blindspot: await runTask('unlearn', parseTaskArgs('unlearn', { model: base, forget: 'target:250..', method: 'blindspot' }, cliEnv), ctx('x-blindspot')) as RegressionErrors & { checkpoint: string },
    };
    await predictTask({ model: base, split: 'all', out: join(dir, 'original.csv') });
    for (const [name, r] of Object.entries(runs)) await predictTask({ model: r.checkpoint, split: 'all', out: join(dir, `${name}.csv`) });
    const ds = loadData({ name: 'diabetes' });
    const forget = Array.from(idsOfSplit(ds, 'train')).filter((id) => ds.target![id] >= 250);
    writeFileSync(join(dir, 'forget.txt'), forget.join('\n'));
    const c = await importPredictions({ dir }, { out: join(home, 'imported'), store });
    expect(c).toMatchObject({ task: 'regression', arch: 'external', forget: { kind: 'ids' }, forgetCount: 49, methods: ['blindspot'] });
    const blind = c.models.find((m) => m.method === 'blindspot')!;
    // The same errors unlearn computed from the weights, and W1 to the retrain by hand from the files.
    for (const k of ['forgetL1', 'retainL1', 'testL1'] as const) expect(blind.metrics[k]!).toBeCloseTo(runs.blindspot[k], 3);
    const forgetPreds = (file: string) => {
      const rows = new Map(readFileSync(join(dir, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).map((x) => [Number(x[0]), Number(x[3])]));
      return forget.map((id) => rows.get(id)!);
    };
    expect(blind.metrics.w1Forget!).toBeCloseTo(wasserstein1(forgetPreds('blindspot.csv'), forgetPreds('retrain.csv')), 3);
    expect(Number.isFinite(blind.metrics.lossMia)).toBe(true);
    // The Predictions view's data, without weights: the probe's predictions beside its targets.
    const stored = store.getEvaluation(c.id, blind.modelId)!;
    const reg = stored.details.regression!;
    expect(reg.ids.length).toBe(49 + 200 + 88);
    expect(reg.forget.filter(Boolean)).toHaveLength(49);
    reg.ids.forEach((id, i) => expect(reg.target[i]).toBeCloseTo(ds.target![id], 3));
    // A classifier's file beside a regressor's is one error naming both.
    writeFileSync(join(dir, 'ft.csv'), 'id,label,split,p0,p1\n0,0,train,0.5,0.5\n');
    await expect(importPredictions({ dir }, { out: join(home, 'imported-bad'), store })).rejects.toThrow(/ft\.csv: a classifier's \(id,label,split,p0\.\.pK-1\) predictions, but .*original\.csv holds a regressor's/);
  }, 120_000);

  it('tune searches by the L1 gap on a validation split, and compare --tuned runs its choice', async () => {
    expect(() => parseTaskArgs('tune', { original: base, forget: 'target:250..', methods: ['scrub'] }, cliEnv)).toThrow(/scrub cannot unlearn a regression model/);
    const t = await runTask('tune', parseTaskArgs('tune', { original: base, forget: 'target:250..', methods: ['ft', 'blindspot'], budget: 4, seeds: 2, parallel: 1 }, cliEnv), ctx('tune'));
    expect(t.protocol.metric).toBe('l1Gap');
    expect(t.protocol.score).toMatch(/^L1 gap/);
    const gap = (v: Record<string, number>, r: Record<string, number>) =>
      (Math.abs(v.forgetL1 - r.forgetL1) + Math.abs(v.retainL1 - r.retainL1) + Math.abs(v.testL1 - r.testL1)) / 3;
    for (const r of t.retrains) expect(Object.keys(r).sort()).toEqual(['forgetL1', 'retainL1', 'seconds', 'testL1']);
    // The noise floor and every score, by hand from the stored values.
    expect(t.floor!).toBeCloseTo((gap(t.retrains[0], t.retrains[1]) + gap(t.retrains[1], t.retrains[0])) / 2, 10);
    for (const m of t.methods) {
      for (const c of m.configs) {
        expect(c.scores).toHaveLength(c.values.length);
        c.values.forEach((v, i) => expect(c.scores[i]).toBeCloseTo(gap(v, t.retrains[i]), 10));
      }
      // The choice is the best of the configurations that reached every seed.
      const full = m.configs.filter((c) => c.scores.length === 2);
      expect(m.configs[m.chosen].mean).toBe(Math.min(...full.map((c) => c.mean)));
    }
    const c = await runTask('compare', parseTaskArgs('compare', { original: base, forget: 'target:250..', methods: ['ft', 'blindspot'], seeds: 1, tuned: t.id }, cliEnv), ctx('compare-tuned'));
    expect(c.tuning?.id).toBe(t.id);
    expect(Object.keys(c.tuning!.params).sort()).toEqual(t.methods.filter((m) => m.chosen !== 0).map((m) => m.method).sort());
    for (const [method, params] of Object.entries(c.tuning!.params)) {
      const row = c.models.find((m) => m.method === tunedLabel(method))!;
      expect(row.params).toEqual(params);
      expect(Number.isFinite(row.metrics.l1Gap)).toBe(true);
    }
    expect(tunedRanksMarkdown(c)).toContain('| method | l1Gap, defaults | l1Gap, tuned |');
    expect(tunedRanks(c).every((r) => Number.isFinite(r.defaults))).toBe(true);
  }, 300_000);

  it('a method that needs class labels, and a classification-only task, are refused before any work', () => {
    expect(() => parseTaskArgs('unlearn', { model: base, forget: 'target:250..', method: 'scrub' }, cliEnv))
      .toThrow(/scrub cannot unlearn a regression model: it serves classification only \(regression methods: retrain, ft, /);
    expect(() => parseTaskArgs('bank', { original: base, forget: 'target:250..', method: 'ft', n: 4 }, cliEnv)).toThrow(TaskArgsError);
    expect(() => parseTaskArgs('bank', { original: base, forget: 'target:250..', method: 'ft', n: 4 }, cliEnv)).toThrow(/is a regression model; a bank \(KLOM, forgetting quality\) measures classifiers only/);
    // A forget kind that needs class labels, at the request check, before the model loads.
    expect(() => parseTaskArgs('compare', { original: base, forget: 'class:0', methods: ['ft'] }, cliEnv))
      .toThrow('class forgetting does not apply to regression (the model predicts a number): it serves classification only');
  });

  it('compare: the regression table, every method that serves regression, W1 against the same seed\'s retrain, no relearning attack', async () => {
    const c = await runTask('compare', parseTaskArgs('compare', { original: base, forget: 'target:250..', seeds: 2 }, cliEnv), ctx('compare'));
    expect(c.task).toBe('regression');
    expect(c.methods).toEqual(['ft', 'cf-k', 'eu-k', 'ga', 'neggrad-plus', 'l1-sparse', 'dmm-oracle', 'blindspot']);
    // Only regression metrics (and the task-free seconds, speedup) have values.
    const keys = new Set(c.table.flatMap((r) => Object.keys(r.stats))) as Set<MetricKey>;
    for (const k of keys) expect(metricTasks(k), k).toContain('regression');
    expect([...keys]).toEqual(expect.arrayContaining(['forgetL1', 'retainL1', 'testL1', 'forgetTestL1', 'w1Forget', 'lossMia', 'l1Gap']));
    const md = tableMarkdown(c);
    expect(md).toContain('| method | seconds | speedup | forget L1 |');
    expect(md).not.toContain('UA');
    // W1 and forget L1 of one model, recomputed from its stored predictions by an independent route.
    const blind = c.models.find((m) => m.method === 'blindspot' && m.seed === c.seeds[0])!;
    const ref = c.models.find((m) => m.modelId === blind.referenceId)!;
    expect(blind.relearnCurve).toBeUndefined();
    const rb = blind.details.regression!;
    const rr = ref.details.regression!;
    expect(rb.ids).toEqual(rr.ids);
    const forgetRows = rb.forget.flatMap((f, i) => (f ? [i] : []));
    expect(forgetRows.length).toBe(49);
    // The probe holds every forget sample here (49 < 200), so its forget rows are the forget set.
    expect(blind.metrics.forgetL1!).toBeCloseTo(l1(forgetRows.map((i) => rb.pred[i]), forgetRows.map((i) => rb.target[i])), 3);
    expect(blind.metrics.w1Forget!).toBeCloseTo(wasserstein1(forgetRows.map((i) => rb.pred[i]), forgetRows.map((i) => rr.pred[i])), 3);
    expect(blind.details.perClass.test).toEqual([]);
    expect(metricTasks('relearnAcc')).toEqual(['classification']);
  });
});
