// Corrective unlearning end to end on the seeded synthetic images: a backdoor patch on 5% of the training set,
// a model trained on it, and the sweep. The poisoned model follows the trigger; retraining without every poisoned
// sample does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetHash, writeManipulated } from '../data/formats/manipulated.ts';
import { manipulationOf } from '../data/manipulation.ts';
import { loadData } from '../data/registry.ts';
import { Store } from '../store/store.ts';
import { cliEnv } from './edges.ts';
import { parseTaskArgs, runTask } from './tasks.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-sweep-'));
const store = new Store(join(home, 'lethe.db'));
const ctx = (out: string) => ({ out: join(home, out), store, modelDir: (d: string) => d });
afterAll(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('lethe compare --sweep on a poisoned data set', () => {
  it('the poisoned original fails on triggered images, retraining on fully cleaned data recovers; each fraction is a stored comparison', async () => {
    const src = loadData({ name: 'synthetic' });
    const data = join(home, 'poisoned');
    writeManipulated(data, manipulationOf(src, { kind: 'poison', count: 60, target: 1, seed: 2 }, { name: 'synthetic', hash: datasetHash(src) }));
    const base = await runTask('train', parseTaskArgs('train', { data, model: 'mlp', epochs: 5, seed: 1 }, cliEnv), ctx('base'));
    const args = parseTaskArgs('sweep', { original: base.checkpoint, sweep: 'manipulated:0.5:seed=1', methods: ['ft'], seeds: 1 }, cliEnv);
    expect(args.sweep).toEqual({ kind: 'manipulated', fractions: [0.5, 1], seed: 1 });
    const r = await runTask('sweep', args, ctx('sweep'));

    const s = r.sweep;
    expect(s).toMatchObject({ manipulation: 'patch:count=60:target=1:seed=2', dataset: data, fractions: [0.5, 1], forgetCounts: [30, 60], seeds: [1001] });
    const row = (label: string) => s.rows.find((x) => x.label === label)!.cells;
    const original = row('original (do nothing)')[1];
    const target = row('retrain on fully cleaned data (target)')[1];
    // The backdoor works: on triggered images the original is far below its clean accuracy.
    expect(original.cleanAcc.mean).toBeGreaterThan(90);
    expect(original.accCorr.mean).toBeLessThan(original.cleanAcc.mean - 40);
    // Retraining without all 60 poisoned samples recovers: the trigger no longer decides.
    expect(target.accCorr.mean).toBeGreaterThan(original.accCorr.mean + 40);
    expect(target.accCorr.mean).toBeGreaterThan(target.cleanAcc.mean - 10);
    expect(row('retrain without the identified')[1]).toEqual(target);

    // The numbers are those of the stored comparisons, one per fraction.
    expect(r.comparisons.map((c) => c.fraction)).toEqual([0.5, 1]);
    const full = store.getComparison(r.comparisons[1].id)!;
    expect(full.forgetText).toBe('manipulated:1:seed=1');
    expect(full.models.find((m) => m.role === 'retrain')!.metrics.accCorr).toBe(target.accCorr.mean);
    expect(full.table.find((t) => t.role === 'original')!.stats.accCorr!.mean).toBe(original.accCorr.mean);
    expect(store.getComparison(r.comparisons[0].id)!.forgetCount).toBe(30);
  }, 60_000);
});
