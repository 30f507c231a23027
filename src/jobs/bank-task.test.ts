// lethe bank on the synthetic set: members computed once (a repeat and a larger bank reuse them), threads give the
// same members as one thread, and a damaged member is an error naming it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadData } from '../data/registry.ts';
import { forgetQuality } from '../eval/epsilon.ts';
import { Store } from '../store/store.ts';
import { cliEnv } from './edges.ts';
import { parseTaskArgs, runTask } from './tasks.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-bank-'));
const store = new Store(join(home, 'lethe.db'));
const ctx = (out: string) => ({ out: join(home, out), store, modelDir: (d: string) => d });
let original = '';
const BANK = { forget: 'random:30:seed=1', method: 'ga', samples: 40, parallel: 1 };

beforeAll(async () => {
  original = (await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 3, seed: 2 }, cliEnv), ctx('orig'))).checkpoint;
});
afterAll(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('lethe bank', () => {
  let first: Awaited<ReturnType<typeof runTask<'bank'>>>;

  it('computes N members per side and the many-model metrics, with N stated', async () => {
    first = await runTask('bank', parseTaskArgs('bank', { original, ...BANK, n: 4 }, cliEnv), ctx('b'));
    expect(first).toMatchObject({ n: 4, method: 'ga', forgetCount: 30, computed: 8, stored: 0, epsilon: { maxEpsilon: 2 } });
    expect(first.epsilon.forgetScore).toBeGreaterThanOrEqual(0);
    expect(first.epsilon.forgetScore).toBeLessThanOrEqual(1);
    expect(first.epsilon.score).toBeCloseTo(first.epsilon.forgetScore * (first.unlearned.retainAcc / first.retrained.retainAcc) * (first.unlearned.testAcc / first.retrained.testAcc), 10);
    for (const set of ['forget', 'retain', 'test'] as const) expect(first.klom[set].mean).toBeGreaterThanOrEqual(0);
  });

  it('never computes a member twice: a repeat takes all from the store, a larger bank only the new seeds', async () => {
    const again = await runTask('bank', parseTaskArgs('bank', { original, ...BANK, n: 4 }, cliEnv), ctx('b'));
    expect(again).toMatchObject({ computed: 0, stored: 8 });
    expect(again.epsilon).toEqual(first.epsilon);
    const grown = await runTask('bank', parseTaskArgs('bank', { original, ...BANK, n: 6 }, cliEnv), ctx('b'));
    expect(grown).toMatchObject({ n: 6, computed: 4, stored: 8, epsilon: { maxEpsilon: 2 } });
  });

  it('with csv, writes every member\'s confidence on every forget example and the per-example ε, from which the score is recomputed', async () => {
    const b = await runTask('bank', parseTaskArgs('bank', { original, ...BANK, n: 4, csv: true }, cliEnv), ctx('csv'));
    expect(b.computed).toBe(0);
    const rows = readFileSync(b.files!.confidences, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('model,role,seed,id,confidence');
    expect(rows.length - 1).toBe(2 * 4 * 30);
    // Rebuild the two sides' confidence matrices from the file alone and score them again.
    const sides: Record<string, Map<number, Map<number, number>>> = { retrain: new Map(), unlearned: new Map() };
    const ids = new Set<number>();
    for (const r of rows.slice(1)) {
      const [model, role, seed, id, c] = r.split(',');
      expect(model).toBe(`${role}-${seed}`);
      ids.add(Number(id));
      const side = sides[role];
      if (!side.has(Number(seed))) side.set(Number(seed), new Map());
      side.get(Number(seed))!.set(Number(id), Number(c));
    }
    const order = [...ids];
    const matrix = (role: string) => [...sides[role].values()].map((m) => Float64Array.from(order, (id) => m.get(id)!));
    const q = forgetQuality(matrix('unlearned'), matrix('retrain'), { unlearnedRA: 1, retrainedRA: 1, unlearnedTA: 1, retrainedTA: 1 });
    expect(q.forgetScore).toBe(b.epsilon.forgetScore);
    const eps = readFileSync(b.files!.epsilon, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(eps).toEqual(Array.from(q.epsilons));
  });

  it('stores each setting once: a re-run replaces its record, whose per-example values agree with the CSV files', async () => {
    // Three runs of N = 4 (one with csv) and one of N = 6: two settings, two rows.
    expect(store.banks.list().map((b) => [b.id, b.n])).toEqual(expect.arrayContaining([[first.id, 4], [expect.any(String), 6]]));
    expect(store.banks.list()).toHaveLength(2);
    const r = store.banks.get(first.id)!;
    expect(r).toMatchObject({ id: first.id, n: 4, method: 'ga', forgetCount: 30, epsilon: first.epsilon, klom: first.klom, samples: 40, sampleImages: true, classNames: ['class 0', 'class 1', 'class 2', 'class 3'] });
    // Per example: the id and ε as the CSV has them, and each side's median of its four confidences (the mean of the middle two).
    const dir = join(home, 'csv');
    const eps = readFileSync(join(dir, 'bank-ga-epsilon.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    expect(r.examples.ids).toEqual(eps.map(([id]) => id));
    expect(r.examples.epsilon).toEqual(eps.map(([, e]) => e));
    const conf = new Map<string, number[]>();
    for (const l of readFileSync(join(dir, 'bank-ga-confidences.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [, role, , id, c] = l.split(',');
      const key = `${role}:${id}`;
      conf.set(key, [...(conf.get(key) ?? []), Number(c)]);
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return (s[1] + s[2]) / 2;
    };
    r.examples.ids.forEach((id, i) => {
      expect(r.examples.retrainedMedian[i]).toBeCloseTo(median(conf.get(`retrain:${id}`)!), 12);
      expect(r.examples.unlearnedMedian[i]).toBeCloseTo(median(conf.get(`unlearned:${id}`)!), 12);
    });
    const ds = loadData({ name: 'synthetic' });
    expect(r.examples.labels).toEqual(r.examples.ids.map((id) => ds.y[id]));
    const k = r.examples.klom;
    expect(k).toHaveLength(30);
    expect(k.reduce((a, b) => a + b, 0) / k.length).toBeCloseTo(first.klom.forget.mean, 12);
    expect(store.banks.list().map((b) => b.id).filter((id) => id === first.id)).toHaveLength(1);
  });

  it('gives the same members on two worker threads as in one', async () => {
    const other = new Store(join(home, 'other.db'));
    try {
      const r = await runTask('bank', parseTaskArgs('bank', { original, ...BANK, n: 4, parallel: 2 }, cliEnv), { ...ctx('p'), store: other });
      expect(r.computed).toBe(8);
      expect(r.epsilon).toEqual(first.epsilon);
      expect(r.klom).toEqual(first.klom);
    } finally {
      other.close();
    }
  });

  it('names a damaged member instead of scoring it', async () => {
    store.db.prepare("UPDATE bank_members SET logits = x'00' WHERE rowid = (SELECT min(rowid) FROM bank_members)").run();
    await expect(runTask('bank', parseTaskArgs('bank', { original, ...BANK, n: 4 }, cliEnv), ctx('b'))).rejects.toThrow(/bank member [0-9a-f]{12}: its logits are 1 bytes, not \d+: the store is damaged/);
  });
});
