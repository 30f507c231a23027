// The task functions of src/jobs on the seeded synthetic set: what each computes, returns, writes and records.
import type { Accuracies } from '../unlearn/run.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMeta } from '../models/checkpoint.ts';
import { Store } from '../store/store.ts';
import { cliEnv } from './edges.ts';
import { comparedMethods } from './compare-task.ts';
import { parseTaskArgs, runTask, TASKS } from './tasks.ts';
import { METHOD_NAMES } from '../unlearn/registry.ts';
import { rng } from '../shared/random.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-tasks-'));
const store = new Store(join(home, 'lethe.db'));
const ctx = (out: string) => ({ out: join(home, out), store, modelDir: (d: string) => d });
let base = '';

beforeAll(async () => {
  const r = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 2, seed: 3 }, cliEnv), ctx('base'));
  base = r.checkpoint;
});

afterAll(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('task functions', () => {
  it('train writes a checkpoint, records the model and the run', () => {
    const meta = readMeta(base);
    expect(meta).toMatchObject({ kind: 'single', arch: 'mlp', seed: 3, method: 'train', parent: null, recipe: { epochs: 2 } });
    expect(store.getModel(meta.id)?.path).toBe(base);
    expect(store.listRuns()[0]).toMatchObject({ kind: 'train', status: 'done', modelId: meta.id, args: { data: 'synthetic', epochs: 2 } });
  });

  it('unlearn checkpoints the result with its parent and request, and records it', async () => {
    const args = parseTaskArgs('unlearn', { model: base, forget: 'class:1', method: 'ga' }, cliEnv);
    const r = await runTask('unlearn', args, ctx('ga'));
    expect(r).toMatchObject({ method: 'ga', forget: 'class:1', forgetCount: 300 });
    // ga pushes the forgotten class away: it ends below the original's accuracy on it.
    expect((r as Accuracies).forgetAcc).toBeLessThan(readMeta(base).metrics.trainAcc);
    expect(readMeta(r.checkpoint)).toMatchObject({ parent: readMeta(base).id, forget: { kind: 'class', classes: [1] }, method: 'ga' });
    expect(store.getModel(r.modelId)).toMatchObject({ parent: readMeta(base).id, method: 'ga' });
  });

  it('--data: another data set of the same shape serves (and is recorded); one of another shape is one clear error', async () => {
    const r = await runTask('unlearn', parseTaskArgs('unlearn', { model: base, data: 'synthetic', trainSize: 1000, forget: 'class:2', method: 'ga' }, cliEnv), ctx('ga-data'));
    expect(readMeta(r.checkpoint).dataset).toEqual({ name: 'synthetic', trainSize: 1000 });
    expect(r.forgetCount).toBe(250);
    const other = parseTaskArgs('unlearn', { model: base, data: 'fashion-mnist-mini', forget: 'class:2', method: 'ga' }, cliEnv);
    await expect(runTask('unlearn', other, ctx('never'))).rejects.toThrow(/takes 8x8x1 inputs and 4 classes, but fashion-mnist-mini has 28x28x1 inputs and 10 classes/);
  });

  it('compare returns the comparison and persists it once: files, store, models with their metrics', async () => {
    const args = parseTaskArgs('compare', { original: base, forget: 'random:60:seed=2', methods: ['ft'], seeds: 2, params: { ft: { epochs: 1 } } }, cliEnv);
    const c = await runTask('compare', args, ctx('cmp'));
    expect(c.models.map((m) => m.role)).toEqual(['original', 'retrain', 'retrain', 'method', 'method']);
    expect(c).toMatchObject({ forgetText: 'random:60:seed=2', forget: { kind: 'random', count: 60, seed: 2 }, forgetCount: 60, seeds: [1001, 1002] });
    for (const f of ['table.md', 'table.csv', 'comparison.json']) expect(existsSync(join(home, 'cmp', f)), f).toBe(true);
    expect(readFileSync(join(home, 'cmp', 'table.md'), 'utf8')).toContain('| ft |');
    expect(store.getComparison(c.id)?.models).toHaveLength(5);
    const ft = c.models.find((m) => m.method === 'ft')!;
    expect(store.getModel(ft.modelId)?.metrics.avgGap).toBeCloseTo(ft.metrics.avgGap!, 12);
    expect(readMeta(ft.checkpoint).params).toMatchObject({ epochs: 1 });
    // What a job keeps of it: the id and the table, not the models.
    expect(store.listRuns().at(-1)).toMatchObject({ kind: 'compare', status: 'done', result: { comparisonId: c.id, forgetCount: 60 } });
    expect((store.listRuns().at(-1)!.result as Record<string, unknown>).models).toBeUndefined();
    // Every model carries its relearning curve, stored with it; the point at 10 steps is its relearnAcc.
    for (const m of store.getComparison(c.id)!.models) {
      expect(m.relearnCurve!.map((p) => p.steps)).toEqual([0, 1, 2, 5, 10, 20, 50]);
      const at10 = m.relearnCurve!.find((p) => p.steps === 10)!.forgetAcc;
      if (m.role === 'original') expect(at10).toBe(c.models[0].relearnCurve![4].forgetAcc);
      else expect(at10).toBe(m.metrics.relearnAcc);
      expect(m.relearnCurve![0].forgetAcc).toBeCloseTo(m.metrics.forgetAcc!, 9);
    }
  });

  it('compare --exact: an exactly deletable model of the same data is served by its exact method, in rows beside the others', async () => {
    const sharded = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 2, seed: 3, recipe: 'sharded:shards=2,slices=2' }, cliEnv), ctx('sh'));
    const analytic = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', seed: 3, recipe: 'analytic:dim=32' }, cliEnv), ctx('an'));
    const args = parseTaskArgs('compare', { original: base, forget: 'random:20:seed=2', methods: ['ft'], seeds: 1, exact: [sharded.checkpoint, analytic.checkpoint] }, cliEnv);
    const c = await runTask('compare', args, ctx('cmp-exact'));
    expect(c.methods).toEqual(['ft', 'sisa@ensemble-2-mlp', 'analytic@random-features-32']);
    expect(c.table.map((r) => r.method)).toEqual(['original', 'ft', 'sisa@ensemble-2-mlp', 'analytic@random-features-32']);
    const sisa = c.models.find((m) => m.method === 'sisa@ensemble-2-mlp')!;
    // The row is the sharded model after exact deletion, measured against the original's retrain.
    expect(readMeta(sisa.checkpoint)).toMatchObject({ kind: 'sharded', parent: readMeta(sharded.checkpoint).id, method: 'sisa' });
    expect(store.getModel(readMeta(sharded.checkpoint).id)?.kind).toBe('sharded');
    expect(Number.isFinite(sisa.metrics.testAcc)).toBe(true);
    // A single network is not exactly deletable; a model of other data is one clear error.
    expect(() => parseTaskArgs('compare', { original: base, forget: 'class:1', exact: [base] }, cliEnv)).toThrow(/is a single model, which no exact method besides retrain serves/);
  });

  it('eval measures a model against a reference; gapClosed from its parent in the store', async () => {
    const retrain = await runTask('unlearn', parseTaskArgs('unlearn', { model: base, forget: 'class:1', method: 'retrain' }, cliEnv), ctx('retrain'));
    const ga = join(home, 'ga');
    const m = await runTask('eval', parseTaskArgs('eval', { model: ga, reference: retrain.checkpoint, forget: 'class:1' }, cliEnv), ctx('.'));
    expect(m.original).toBe(base);
    expect(m.UA).toBeCloseTo(100 - m.forgetAcc!, 12);
    expect(Number.isFinite(m.gapClosed)).toBe(true);
    expect(store.getModel(readMeta(ga).id)?.metrics.privacy).toBe(m.privacy);
  });

  it('trains every model kind on a tabular CSV file (flat rows, no image shape) and unlearns from it', async () => {
    // Two noisy clusters per class in 6 numeric columns: learnable, written as a real file.
    const random = rng(5);
    const rows = ['a,b,c,d,e,f,label'];
    for (let i = 0; i < 300; i++) {
      const k = i % 3;
      rows.push([...Array.from({ length: 6 }, (_, j) => (j % 3 === k ? 2 : 0) + random()), `c${k}`].join(','));
    }
    const csv = join(home, 'tab.csv');
    writeFileSync(csv, rows.join('\n') + '\n');
    for (const recipe of [undefined, 'analytic:dim=32', 'sharded:shards=2,slices=2']) {
      const r = await runTask('train', parseTaskArgs('train', { data: csv, labelColumn: 'label', model: 'mlp', epochs: 20, ...(recipe ? { recipe } : {}) }, cliEnv), ctx(`tab-${recipe?.split(':')[0] ?? 'mlp'}`));
      expect(r.testAcc, recipe ?? 'mlp').toBeGreaterThan(80);
    }
    const u = await runTask('unlearn', parseTaskArgs('unlearn', { model: join(home, 'tab-sharded'), forget: 'class:0', method: 'sisa' }, cliEnv), ctx('tab-sisa'));
    expect(u.forgetCount).toBeGreaterThan(50);
  });

  it('a failing and a cancelled run are recorded as such, with the first line of the error', async () => {
    await expect(runTask('train', parseTaskArgs('train', { data: 'nowhere.csv', model: 'mlp' }, cliEnv), ctx('x'))).rejects.toThrow(/nowhere\.csv/);
    expect(store.listRuns().at(-1)).toMatchObject({ kind: 'train', status: 'failed', error: expect.stringMatching(/nowhere\.csv/) });
    const abort = new AbortController();
    abort.abort();
    await expect(runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp' }, cliEnv), { ...ctx('y'), signal: abort.signal })).rejects.toThrow(/cancelled/);
    expect(store.listRuns().at(-1)).toMatchObject({ status: 'cancelled' });
  });

  it('bad arguments are one error naming the argument, with the code the API answers', () => {
    const bad = (kind: keyof typeof TASKS, raw: unknown) => {
      try {
        parseTaskArgs(kind, raw, cliEnv);
      } catch (e) {
        return [(e as Error).message, (e as { code: string }).code];
      }
      return undefined;
    };
    expect(bad('train', { data: 'synthetic', model: 'mlp', epochs: 0 })).toEqual(['epochs: Too small: expected number to be >=1 (got 0)', 'bad_request']);
    expect(bad('unlearn', { model: base, forget: 'class:1', method: 'nope' })?.[1]).toBe('unknown_method');
    expect(bad('unlearn', { model: base, forget: 'class:1', method: 'ft', params: { lr: -1 } })).toEqual([expect.stringMatching(/^bad parameter for ft "lr"/), 'bad_parameter']);
    expect(bad('unlearn', { model: base, forget: 'class:4', method: 'ft' })?.[0]).toMatch(/unknown class 4: the model has classes 0\.\.3/);
    expect(bad('compare', { original: base, forget: 'class:1', bogus: 1 })?.[0]).toBe('unknown argument "bogus"');
    // A method named for a model kind it cannot unlearn is refused before any work; 'all' leaves it out.
    expect(bad('compare', { original: base, forget: 'class:1', methods: ['ft', 'analytic'] })).toEqual(['analytic cannot unlearn a single model: it takes analytic models', 'unknown_method']);
    const all = parseTaskArgs('compare', { original: base, forget: 'class:1' }, cliEnv);
    expect(comparedMethods(all, { kind: 'single', task: 'classification' })).toEqual(METHOD_NAMES.filter((m) => m !== 'retrain' && m !== 'analytic' && m !== 'sisa'));
    expect(comparedMethods(all, { kind: 'analytic', task: 'classification' })).toEqual(['analytic']);
    expect(comparedMethods(all, { kind: 'sharded', task: 'classification' })).toEqual(['sisa']);
  });
});
