// lethe ulira on a memorising synthetic setting (60 train samples, 100 epochs: each shadow trains on 30): retraining,
// the exact method, is near 50%, a method that changes nothing is far above; shadows are computed once (a repeat,
// another method and a larger K reuse them), threads give the same result as one, and bad input is refused early.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit } from '../data/dataset.ts';
import { loadData } from '../data/registry.ts';
import { shadowHalf } from '../measure/ulira.ts';
import { pickSorted, subSeed } from '../shared/random.ts';
import { Store } from '../store/store.ts';
import { cliEnv } from './edges.ts';
import { parseTaskArgs, runTask } from './tasks.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-ulira-'));
const store = new Store(join(home, 'lethe.db'));
const ctx = (out: string) => ({ out: join(home, out), store, modelDir: (d: string) => d });
let original = '';
const K = 16;
const SETTING = { shadows: K, targets: 20, retain: 20, parallel: 1 };
/** ft for 0.001 epochs rounds to 0 steps: the unlearned shadow is its shadow original, unchanged. */
const NOOP = { method: 'ft', params: { epochs: 0.001 } };
const ulira = (args: Record<string, unknown>, s = store) => runTask('ulira', parseTaskArgs('ulira', { original, ...SETTING, ...args }, cliEnv), { ...ctx('u'), store: s });
const shadowFolders = () => readdirSync(join(home, 'ulira-shadows')).sort();

beforeAll(async () => {
  original = (await runTask('train', parseTaskArgs('train', { data: 'synthetic', trainSize: 60, model: 'mlp', epochs: 100, seed: 2 }, cliEnv), ctx('orig'))).checkpoint;
}, 60_000);
afterAll(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('lethe ulira', () => {
  let retrained: Awaited<ReturnType<typeof ulira>>;
  let noop: Awaited<ReturnType<typeof ulira>>;
  let folders: string[] = [];

  it('measures retraining near 50%: it is exact, so unlearned and never-seen targets look alike', async () => {
    retrained = await ulira({ method: 'retrain' });
    expect(retrained).toMatchObject({ method: 'retrain', shadows: K, targets: 20, retainCount: 20, computed: 2 * K, stored: 0, dataset: 'synthetic' });
    // 20 targets × 16 shadows = 320 pairs, about half positive: were the calls independent coin flips, the balanced
    // accuracy's standard error would be 50·sqrt(1/160 + 1/160)/2·2 ≈ 2.8 points. ±10 is 3.5 of them.
    expect(Math.abs(retrained.forget.accuracy - 50)).toBeLessThan(10);
    expect(retrained.forget.accuracy).toBeCloseTo((retrained.forget.tpr + retrained.forget.tnr) / 2, 12);
    folders = shadowFolders();
    expect(folders).toHaveLength(K);
  }, 60_000);

  it('measures a method that changes nothing far above 50%, reusing every shadow original', async () => {
    noop = await ulira(NOOP);
    // Only the unlearned shadows are new; the originals' outputs and checkpoints come from the retrain run.
    expect(noop).toMatchObject({ computed: K, stored: K });
    expect(shadowFolders()).toEqual(folders);
    // A no-op leaves every target where the shadow original had it: the attack is plain membership inference on a
    // model that memorised (the retain examples' "before" says how well that works here). 65 is 5 standard errors above 50.
    expect(noop.forget.accuracy).toBeGreaterThan(65);
    expect(noop.forget.accuracy).toBeGreaterThan(retrained.forget.accuracy + 10);
    expect(noop.retain.before).toBeGreaterThan(65);
    // The unlearned shadows are the shadow originals: on the retain examples, after = before exactly.
    expect(noop.retain.after).toBe(noop.retain.before);
    expect(noop.retain.perExampleAfter).toEqual(noop.retain.perExampleBefore);
    // The shadow originals are shared: retrain's "before" is the same attack on the same models.
    expect(retrained.retain.before).toBe(noop.retain.before);
  }, 60_000);

  it('stores one record per setting whose per-example values are the summary\'s, over the seeded targets', () => {
    const r = store.ulira.get(noop.id)!;
    const { created: _, classNames, sampleImages, examples, retainExamples, ...summary } = r;
    expect(summary).toEqual(noop);
    expect([classNames, sampleImages]).toEqual([['class 0', 'class 1', 'class 2', 'class 3'], true]);
    const ds = loadData({ name: 'synthetic', trainSize: 60 });
    const train = idsOfSplit(ds, 'train');
    expect(train).toHaveLength(60);
    expect(examples.ids).toEqual(pickSorted(train, 20, subSeed(0, 'ulira:targets')));
    expect(examples.labels).toEqual(examples.ids.map((id) => ds.y[id]));
    expect(retainExamples.ids.filter((id) => examples.ids.includes(id))).toEqual([]);
    expect(retainExamples.ids).toHaveLength(20);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(examples.accuracy)).toBeCloseTo(noop.forget.perExample.mean, 12);
    expect(mean(retainExamples.before)).toBeCloseTo(noop.retain.perExampleBefore.mean, 12);
    // Each per-example accuracy is a count of right calls out of K shadows.
    for (const a of [...examples.accuracy, ...retainExamples.before, ...retainExamples.after]) expect(Math.abs((a * K) / 100 - Math.round((a * K) / 100))).toBeLessThan(1e-9);
    // The balanced accuracy weighs the positive pairs (a target inside a shadow's half) and the negative ones
    // apart: rebuild both counts from the halves and check TPR·P + TNR·N against the per-example accuracies.
    const halves = Array.from({ length: K }, (_, k) => new Set(shadowHalf(train, k + 1)));
    const P = examples.ids.reduce((n, id) => n + halves.filter((h) => h.has(id)).length, 0);
    const N = 20 * K - P;
    const right = examples.accuracy.reduce((n, a) => n + (a * K) / 100, 0);
    expect((noop.forget.tpr * P + noop.forget.tnr * N) / 100).toBeCloseTo(right, 9);
    expect(store.ulira.list().map((u) => u.id).sort()).toEqual([retrained.id, noop.id].sort());
    expect(store.ulira.list()[0]).toEqual({
      id: noop.id, created: r.created, method: 'ft', params: noop.params, originalId: noop.originalId, dataset: 'synthetic', shadows: K, targets: 20,
      accuracy: noop.forget.accuracy, retainBefore: noop.retain.before, retainAfter: noop.retain.after,
    });
  });

  it('never computes a shadow twice: a repeat takes all from the store, a larger K only the new shadows', async () => {
    const again = await ulira(NOOP);
    expect(again).toEqual({ ...noop, computed: 0, stored: 2 * K });
    expect(store.ulira.list()).toHaveLength(2);
    const meta = JSON.parse(readFileSync(join(home, 'ulira-shadows', folders[0], 'meta.json'), 'utf8'));
    const grown = await ulira({ ...NOOP, shadows: K + 2 });
    expect(grown).toMatchObject({ shadows: K + 2, computed: 4, stored: 2 * K });
    expect(grown.id).not.toBe(noop.id);
    expect(shadowFolders()).toHaveLength(K + 2);
    // The old shadow originals were read, not trained again.
    expect(JSON.parse(readFileSync(join(home, 'ulira-shadows', folders[0], 'meta.json'), 'utf8')).id).toBe(meta.id);
  }, 60_000);

  it('gives the same evaluation on two worker threads as in one', async () => {
    const small = await ulira({ ...NOOP, shadows: 4 });
    expect(small).toMatchObject({ computed: 0, stored: 8 });
    const other = new Store(join(home, 'other', 'lethe.db'));
    try {
      const p = await ulira({ ...NOOP, shadows: 4, parallel: 2 }, other);
      expect(p).toEqual({ ...small, computed: 8, stored: 0 });
      expect(existsSync(join(dirname(other.path), 'ulira-shadows'))).toBe(true);
    } finally {
      other.close();
    }
  }, 60_000);

  it('refuses bad input before any work, naming the argument', () => {
    const parse = (a: Record<string, unknown>) => () => parseTaskArgs('ulira', { original, method: 'ft', ...a }, cliEnv);
    expect(parse({ method: 'nope' })).toThrow(/method: unknown method "nope"/);
    expect(parse({ shadows: 3 })).toThrow(/shadows: .*>=4/);
    expect(parse({ shadows: 257 })).toThrow(/shadows: .*<=256/);
    expect(parse({ shadows: NaN })).toThrow(/shadows: /);
    expect(parse({ targets: 0 })).toThrow(/targets: /);
    expect(parse({ params: { lr: 5 } })).toThrow(/lr/);
    expect(parse({ method: 'analytic' })).toThrow(/analytic cannot unlearn a single model/);
    expect(parseTaskArgs('ulira', { original, method: 'retrain' }, cliEnv)).toMatchObject({ method: 'retrain', shadows: 16, targets: 200, retain: 200 });
  });

  it('refuses more targets and retain examples than the training split has', async () => {
    await expect(ulira({ method: 'retrain', targets: 50, retain: 20 })).rejects.toThrow('targets + retain: 50 + 20 examples, but synthetic has 60 train samples');
  });
});
