// End to end through the tasks: train an analytic model, delete class 1 with `analytic`, and check it against
// `retrain` (a head refitted from scratch on the retain set) and against what was deleted.
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset } from '../src/data/dataset.ts';
import { loadData } from '../src/data/registry.ts';
import { accuracy } from '../src/eval/accuracy.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import { UnlearnArgs, unlearnTask } from '../src/jobs/unlearn-task.ts';
import { loadCheckpoint, type Checkpoint } from '../src/models/checkpoint.ts';
import { representationLayers } from '../src/models/registry.ts';
import { headOf } from '../src/models/analytic/state.ts';
import { predictProbs } from '../src/train/predict.ts';
import { retrain } from '../src/unlearn/methods/retrain.ts';
import { prepareContext } from '../src/unlearn/run.ts';

const work = mkdtempSync(join(tmpdir(), 'lethe-analytic-'));
const dir = (name: string) => join(work, name);
const task = { out: '', modelDir: (d: string) => d };
const files = (d: string) => ['weights.bin', 'head.bin', 'meta.json'].map((f) => readFileSync(join(d, f)).toString('base64'));
const ds = loadData({ name: 'synthetic' });
const testOf = (classes: (c: number) => boolean) => subset(ds, idsOfSplit(ds, 'test').filter((i) => classes(ds.y[i])));
const acc = (cp: Checkpoint, s: ReturnType<typeof testOf>) => accuracy(predictProbs(cp.model, s), s.y, s.numClasses);

let trained: Awaited<ReturnType<typeof trainTask>>;
let original: Checkpoint, viaAnalytic: Checkpoint, viaRetrain: Checkpoint;
let before: string[];

beforeAll(async () => {
  trained = await trainTask(TrainArgs.parse({ data: 'synthetic', model: 'mlp', recipe: 'analytic:dim=96,gamma=0.1', seed: 4 }), { out: dir('orig') });
  before = files(dir('orig'));
  const request = (method: string) => UnlearnArgs.parse({ model: dir('orig'), forget: 'class:1', method });
  await unlearnTask(request('analytic'), { ...task, out: dir('analytic') });
  await unlearnTask(request('retrain'), { ...task, out: dir('retrain') });
  [original, viaAnalytic, viaRetrain] = await Promise.all(['orig', 'analytic', 'retrain'].map((n) => loadCheckpoint(dir(n))));
}, 120_000);

afterAll(() => {
  for (const cp of [original, viaAnalytic, viaRetrain]) cp?.model.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('an analytic model, class 1 deleted', () => {
  it('trains as an analytic checkpoint with its head and says what it ignored', () => {
    expect(original.meta.kind).toBe('analytic');
    expect(original.meta.arch).toBe('random-features-96');
    expect(original.meta.head).toEqual({ dim: 96, gamma: 0.1, featureSeed: 4, rows: 1200 });
    expect(original.head!.R.length).toBe(97 * 97);
    expect(trained.note).toMatch(/epochs/);
    expect(trained.testAcc).toBeGreaterThan(90);
    // The random-feature layer is the penultimate representation for CKA and the embedding view.
    expect(representationLayers(original.model).slice(-2)).toEqual(['dense_features', 'logits']);
  });

  it('the downdated head equals the head refitted on the retain set, to 1e-9 relative, and predicts the same', () => {
    const a = viaAnalytic.head!.W;
    const r = viaRetrain.head!.W;
    let num = 0;
    let den = 0;
    for (let i = 0; i < a.length; i++) {
      num = Math.max(num, Math.abs(a[i] - r[i]));
      den = Math.max(den, Math.abs(r[i]));
    }
    expect(num / den).toBeLessThan(1e-9);
    expect(viaAnalytic.head!.rows).toBe(viaRetrain.head!.rows);
    const all = subset(ds, idsOfSplit(ds, 'test'));
    const pa = predictProbs(viaAnalytic.model, all);
    const pr = predictProbs(viaRetrain.model, all);
    for (let i = 0; i < pa.length; i++) expect(Math.abs(pa[i] - pr[i])).toBeLessThan(1e-5);
  });

  it('both results are analytic checkpoints that carry the new state, so requests compose', () => {
    for (const cp of [viaAnalytic, viaRetrain]) {
      expect(cp.meta.kind).toBe('analytic');
      expect(cp.meta.head).toEqual({ dim: 96, gamma: 0.1, featureSeed: 4, rows: 900 });
      expect(cp.meta.parent).toBe(original.meta.id);
    }
  });

  it('leaves the original checkpoint byte for byte as it was', () => {
    expect(files(dir('orig'))).toEqual(before);
  });

  it('forgets the class: its test accuracy collapses, the others keep theirs', () => {
    const one = testOf((c) => c === 1);
    const others = testOf((c) => c !== 1);
    expect(acc(original, one)).toBeGreaterThan(90);
    expect(acc(viaAnalytic, one)).toBeLessThan(10);
    expect(acc(viaAnalytic, others)).toBeGreaterThan(acc(original, others) - 3);
  });

  it('a second request on the result composes: the same as refitting without both', async () => {
    await unlearnTask(UnlearnArgs.parse({ model: dir('analytic'), forget: { kind: 'ids', ids: [0, 2, 3] }, method: 'analytic' }), { ...task, out: dir('analytic2') });
    const cp = await loadCheckpoint(dir('analytic2'));
    try {
      expect(cp.meta.head!.rows).toBe(897);
      // The reference: a head refitted from the original's features on everything but class 1 and ids 0, 2, 3.
      const both = [0, 2, 3, ...idsOfSplit(ds, 'train').filter((i) => ds.y[i] === 1)];
      const ref = { model: await retrain.run(prepareContext(original, { kind: 'ids', ids: both }, 1), {}) };
      const refW = headOf(ref.model)!.W;
      const diff = cp.head!.W.reduce((m, v, i) => Math.max(m, Math.abs(v - refW[i])), 0);
      const scale = refW.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(diff / scale).toBeLessThan(1e-9);
      ref.model.dispose();
    } finally {
      cp.model.dispose();
    }
  });

  it('keeps A = FᵀF + γI and B = FᵀY in head.bin beside R and W; the class (300 rows > p/4) took the direct path', () => {
    expect(readFileSync(join(dir('orig'), 'head.bin')).length).toBe(2 * (97 * 97 + 97 * 4) * 8);
    for (const cp of [original, viaAnalytic, viaRetrain]) {
      expect(cp.head!.A!.length).toBe(97 * 97);
      expect(cp.head!.B!.length).toBe(97 * 4);
    }
    // The deleted head's A and B are the refit's, so later requests of either kind start from the same state.
    const rel = (a: Float64Array, r: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - r[i])), 0) / r.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(rel(viaAnalytic.head!.A!, viaRetrain.head!.A!)).toBeLessThan(1e-12);
    expect(rel(viaAnalytic.head!.B!, viaRetrain.head!.B!)).toBeLessThan(1e-12);
  });

  it('an older head.bin without A and B still loads and deletes the class (by Woodbury), equal to the refit', async () => {
    cpSync(dir('orig'), dir('old'), { recursive: true });
    truncateSync(join(dir('old'), 'head.bin'), (97 * 97 + 97 * 4) * 8);
    const old = await loadCheckpoint(dir('old'));
    expect(old.head!.A).toBeUndefined();
    old.model.dispose();
    await unlearnTask(UnlearnArgs.parse({ model: dir('old'), forget: 'class:1', method: 'analytic' }), { ...task, out: dir('old-analytic') });
    const cp = await loadCheckpoint(dir('old-analytic'));
    try {
      const r = viaRetrain.head!.W;
      const diff = cp.head!.W.reduce((m, v, i) => Math.max(m, Math.abs(v - r[i])), 0);
      expect(diff / r.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThan(1e-9);
      expect(cp.head!.A).toBeUndefined();
      expect(cp.meta.head!.rows).toBe(900);
    } finally {
      cp.model.dispose();
    }
  });

  it('refuses a method that does not take analytic models, in one line', async () => {
    await expect(unlearnTask(UnlearnArgs.parse({ model: dir('orig'), forget: 'class:1', method: 'ft' }), { ...task, out: dir('never') }))
      .rejects.toThrow(/^ft cannot unlearn an analytic model: it takes single models$/);
  });
});
