// The step that searches for a worst-case set before a task resolves it: once per (model, training set, size, seed,
// options, backend), cached beside the checkpoint; everything after reads the ids from the spec.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, limitTrain, subset } from '../data/dataset.ts';
import { parseForgetSpec, resolveForget, resolveIds, type ForgetSpec } from '../data/forget/index.ts';
import { synthetic } from '../data/synthetic.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, readMeta, saveCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import { buildModel } from '../models/registry.ts';
import { DEFAULT_RECIPE, train } from '../train/train.ts';
import { Store } from '../store/store.ts';
import { cliEnv } from './edges.ts';
import { prepareForget, WORST_CACHE_DIR } from './prepare-forget.ts';
import { parseTaskArgs, runTask } from './tasks.ts';

const ds = synthetic();
const home = mkdtempSync(join(tmpdir(), 'lethe-worst-'));
let original: Checkpoint;

beforeAll(async () => {
  await initBackend();
  const model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
  const recipe = { ...DEFAULT_RECIPE, epochs: 3 };
  await train(model, subset(ds, idsOfSplit(ds, 'train')), recipe, { seed: 1 });
  await saveCheckpoint(join(home, 'base'), model, {
    parent: null, arch: 'mlp', dataset: { name: 'synthetic' }, inputShape: ds.inputShape, numClasses: ds.numClasses, seed: 1,
    recipe, method: 'train', params: {}, forget: null, metrics: {}, trainIds: idsOfSplit(ds, 'train'),
  });
  model.dispose();
  original = await loadCheckpoint(join(home, 'base'));
});
afterAll(() => {
  original?.model.dispose();
  rmSync(home, { recursive: true, force: true });
});

const cacheFiles = () => (existsSync(join(original.dir, WORST_CACHE_DIR)) ? readdirSync(join(original.dir, WORST_CACHE_DIR)) : []);

async function prepared(text: string, data = ds) {
  const events: string[] = [];
  const spec = await prepareForget(parseForgetSpec(text), original, data, { onProgress: (p) => events.push(p.message ?? '') });
  return { spec: spec as Extract<ForgetSpec, { kind: 'worst' }>, events };
}

describe('prepareForget', () => {
  it('searches once, caches the selection beside the checkpoint, and the second call does no work', async () => {
    const first = await prepared('worst:60:seed=1:lrw=1000');
    expect(first.events.length).toBeGreaterThan(3);
    expect(first.spec.selected).toHaveLength(60);
    expect(cacheFiles()).toHaveLength(1);
    const cached = JSON.parse(readFileSync(join(original.dir, WORST_CACHE_DIR, cacheFiles()[0]), 'utf8'));
    expect(cached).toMatchObject({ spec: 'worst:60:seed=1:lrw=1000', model: original.meta.id, m: 60, ids: first.spec.selected });
    expect(first.events.at(-1)).toBe(`kept ${cached.kept} of the 60 starting samples`);
    const second = await prepared('worst:60:seed=1:lrw=1000');
    expect(second.events).toEqual([]);
    expect(second.spec).toEqual(first.spec);
    // What every later step does with it: resolve, with no model, to exactly the selection.
    expect(Array.from(resolveForget(ds, second.spec).forget)).toEqual(first.spec.selected);
  });

  it('the search starts from random:m:seed=S and moves off it', async () => {
    const { spec } = await prepared('worst:60:seed=1:lrw=1000');
    const start = [...resolveIds(ds, { kind: 'random', count: 60, seed: 1 })];
    const kept = spec.selected!.filter((id) => start.includes(id)).length;
    expect(kept).toBeLessThan(60);
    expect(JSON.parse(readFileSync(join(original.dir, WORST_CACHE_DIR, cacheFiles()[0]), 'utf8')).kept).toBe(kept);
  });

  it('another seed, option or training set is another search; a fraction and its count share one', async () => {
    const a = (await prepared('worst:60:seed=1:lrw=1000')).spec.selected;
    const b = await prepared('worst:60:seed=2:lrw=1000');
    expect(b.events.length).toBeGreaterThan(0);
    expect(b.spec.selected).not.toEqual(a);
    expect(cacheFiles()).toHaveLength(2);
    expect((await prepared('worst:0.05:seed=1:lrw=1000')).events).toEqual([]); // 5% of 1,200 is 60
    await prepared('worst:30:seed=1:lrw=1000', limitTrain(ds, 600));
    expect(cacheFiles()).toHaveLength(3);
  });

  it('ignores a selection the caller typed, and rebuilds a damaged cache file', async () => {
    const real = (await prepared('worst:60:seed=1:lrw=1000')).spec.selected;
    const typed = { ...parseForgetSpec('worst:60:seed=1:lrw=1000'), selected: Array.from({ length: 60 }, (_, i) => i) } as ForgetSpec;
    expect(((await prepareForget(typed, original, ds)) as { selected?: number[] }).selected).toEqual(real);
    const files = cacheFiles();
    for (const f of files) writeFileSync(join(original.dir, WORST_CACHE_DIR, f), '{ not json');
    const again = await prepared('worst:60:seed=1:lrw=1000');
    expect(again.events.length).toBeGreaterThan(0);
    expect(again.spec.selected).toEqual(real);
  });

  it('other kinds pass through untouched', async () => {
    const spec = parseForgetSpec('random:0.1:seed=1');
    expect(await prepareForget(spec, original, ds)).toBe(spec);
  });

  it('a model that is not one network, or data it does not take, is one clear error', async () => {
    const sharded = { ...original, dir: '/runs/sisa', meta: { ...original.meta, kind: 'sharded' as const } };
    await expect(prepareForget(parseForgetSpec('worst:0.1:seed=1'), sharded, ds)).rejects.toThrow(
      /^worst:0\.1:seed=1 is searched for with a single network's gradients, and \/runs\/sisa is a sharded model/);
    await expect(prepareForget(parseForgetSpec('worst:0.1:seed=1'), original, synthetic({ classes: 3 }))).rejects.toThrow(/takes 8x8x1 inputs and 4 classes, but synthetic has 8x8x1 inputs and 3 classes/);
    await expect(prepareForget(parseForgetSpec('worst:1200:seed=1'), original, ds)).rejects.toThrow(/would be the whole train set/);
  });
});

describe('through the tasks that hold the original', () => {
  const spec = 'worst:60:seed=3:lrw=1000';
  let store: Store;
  beforeAll(() => {
    store = new Store(join(home, 'lethe.db'));
  });
  afterAll(() => store.close());
  const ctx = (out: string, events: string[] = []) => ({ out: join(home, out), store, modelDir: (d: string) => d, onProgress: (p: { phase: string }) => events.push(p.phase) });

  it('unlearn searches and records the selection in the result\'s meta.json; bank reuses it without searching', async () => {
    const searched: string[] = [];
    const u = await runTask('unlearn', parseTaskArgs('unlearn', { model: original.dir, forget: spec, method: 'ft' }, cliEnv), ctx('u', searched));
    expect(searched).toContain('worst-case set');
    expect(u).toMatchObject({ forget: spec, forgetCount: 60 });
    const selected = (readMeta(u.checkpoint).forget as { selected: number[] }).selected;
    expect(selected).toHaveLength(60);

    const events: string[] = [];
    const b = await runTask('bank', parseTaskArgs('bank', { original: original.dir, forget: spec, method: 'ft', n: 3, parallel: 1, samples: 10 }, cliEnv), ctx('b', events));
    expect(events).not.toContain('worst-case set');
    expect(b).toMatchObject({ forgetText: spec, forgetCount: 60 });
  });
});
