// lethe tune end to end on small data: the search's record, its cache (resume, no trial twice), the guard that the
// test set cannot leak into a choice, and compare --tuned running with the choice.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthetic } from '../data/synthetic.ts';
import { cliEnv } from '../jobs/edges.ts';
import { parseTaskArgs, runTask } from '../jobs/tasks.ts';
import { tunedLabel } from '../shared/contract.ts';
import { rng, shuffle } from '../shared/random.ts';
import { Store } from '../store/store.ts';
import { tunedRanks } from '../eval/table.ts';
import { CancelledError } from '../train/progress.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-tune-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The synthetic set as a CSV (split column kept); `scrambleTest` permutes the test rows' labels and features. */
function writeCsv(path: string, scrambleTest: boolean) {
  const ds = synthetic({ train: 600, test: 200, side: 4 });
  const d = 16;
  const test = Array.from({ length: ds.size }, (_, i) => i).filter((i) => ds.split[i] === 1);
  const moved = shuffle([...test], rng(99));
  const from = new Map(test.map((t, k) => [t, scrambleTest ? moved[k] : t]));
  const rows = ['label,split,' + Array.from({ length: d }, (_, j) => `f${j}`).join(',')];
  for (let i = 0; i < ds.size; i++) {
    const src = ds.split[i] === 1 ? from.get(i)! : i;
    // Scrambled test rows also get a wrong label: class (y + 1) mod 4.
    const label = ds.split[i] === 1 && scrambleTest ? (ds.y[src] + 1) % 4 : ds.y[i];
    const x = Array.from(ds.x.subarray(src * d, (src + 1) * d), (v) => v.toFixed(4));
    rows.push(`${label},${ds.split[i] === 1 ? 'test' : 'train'},${x.join(',')}`);
  }
  writeFileSync(path, rows.join('\n') + '\n');
}

function session(name: string) {
  const dir = join(home, name);
  const store = new Store(join(dir, 'lethe.db'));
  return { dir, store, ctx: (out: string, extra = {}) => ({ out: join(dir, out), store, modelDir: (m: string) => m, ...extra }) };
}

const clean = join(home, 'clean.csv');
const scrambled = join(home, 'scrambled.csv');
const a = session('a');
let original = '';
const TUNE = { forget: 'random:40:seed=2', methods: ['rl', 'ssd'], budget: 4, seeds: 2, validation: 0.15, labelColumn: 'label', parallel: 1 };

beforeAll(async () => {
  writeCsv(clean, false);
  writeCsv(scrambled, true);
  const r = await runTask('train', parseTaskArgs('train', { data: clean, labelColumn: 'label', model: 'mlp', epochs: 8, seed: 3 }, cliEnv), a.ctx('orig'));
  original = r.checkpoint;
});

afterAll(() => a.store.close());

describe('lethe tune', () => {
  let first: Awaited<ReturnType<typeof runTask<'tune'>>>;

  it('records the protocol, every configuration with its scores, and a choice no worse than the defaults', async () => {
    first = await runTask('tune', parseTaskArgs('tune', { original, data: clean, ...TUNE }, cliEnv), a.ctx('t1'));
    expect(first.protocol).toMatchObject({ validation: { count: 90, seed: 0 }, seeds: [1001, 1002], budget: 4, eta: 3 });
    // 600 training samples, 90 held out: the random request draws its 40 from the other 510.
    expect(first.forgetCount).toBe(40);
    expect(first.retrains).toHaveLength(2);
    expect(first.floor).toBeGreaterThanOrEqual(0);
    for (const m of first.methods) {
      expect(m.configs).toHaveLength(4);
      expect(m.configs[0].params).toEqual(m.defaults);
      // Successive halving: everyone on one seed, the best ceil(4/3) = 2 and the defaults on both.
      expect(m.rungs).toEqual([{ configs: 4, seeds: 1 }, { configs: 2, seeds: 2 }]);
      expect(m.configs[0].scores).toHaveLength(2);
      expect(m.configs[m.chosen].scores).toHaveLength(2);
      expect(m.configs[m.chosen].mean).toBeLessThanOrEqual(m.configs[0].mean);
      for (const c of m.configs) expect(c.mean).toBeCloseTo(c.scores.reduce((x, y) => x + y, 0) / c.scores.length, 10);
    }
    expect(a.store.tunings.latest(first.originalId, 'random:40:seed=2')?.id).toBe(first.id);
  });

  it('runs no trial twice: a second tuning of the same setting takes every trial from the store, with the same result', async () => {
    const said: string[] = [];
    const again = await runTask('tune', parseTaskArgs('tune', { original, data: clean, ...TUNE }, cliEnv), a.ctx('t2', { onProgress: (p: { message?: string }) => said.push(p.message ?? '') }));
    expect(said.filter((m) => m.endsWith(': stored')).length).toBe(2 + 2 * (4 + 2));
    expect(again.methods.map((m) => m.configs.map((c) => c.mean))).toEqual(first.methods.map((m) => m.configs.map((c) => c.mean)));
    expect(again.id).not.toBe(first.id);
  });

  it('resumes a cancelled tuning from what it had measured', async () => {
    const b = session('b');
    const abort = new AbortController();
    let runs = 0;
    const onProgress = (p: { message?: string }) => {
      if (p.message && !p.message.endsWith(': stored') && p.message.startsWith('seed ')) runs++;
      if (runs === 5) abort.abort();
    };
    const args = parseTaskArgs('tune', { original, data: clean, ...TUNE }, cliEnv);
    await expect(runTask('tune', args, b.ctx('t', { signal: abort.signal, onProgress }))).rejects.toThrow(CancelledError);
    const said: string[] = [];
    const resumed = await runTask('tune', args, b.ctx('t', { onProgress: (p: { message?: string }) => said.push(p.message ?? '') }));
    expect(said.filter((m) => m.endsWith(': stored')).length).toBeGreaterThanOrEqual(4);
    expect(resumed.methods.map((m) => m.chosen)).toEqual(first.methods.map((m) => m.chosen));
    b.store.close();
  });

  it('cannot see the test set: scrambled test labels and features change no score and no choice', async () => {
    // Both from scratch (a fresh store each), one after the other: the tuning original, the retrains, every trial.
    const fresh = async (name: string, data: string) => {
      const s = session(name);
      try {
        return await runTask('tune', parseTaskArgs('tune', { original, data, ...TUNE }, cliEnv), s.ctx('t'));
      } finally {
        s.store.close();
      }
    };
    const x = await fresh('c1', clean);
    const y = await fresh('c2', scrambled);
    const measured = (t: typeof x) => t.retrains.map(({ seconds: _, ...v }) => v);
    expect(measured(y)).toEqual(measured(x));
    expect(y.methods.map((m) => m.configs.map((c) => c.scores))).toEqual(x.methods.map((m) => m.configs.map((c) => c.scores)));
    expect(y.methods.map((m) => m.configs[m.chosen].params)).toEqual(x.methods.map((m) => m.configs[m.chosen].params));
  });

  it('measures the same on two trial workers as in its own thread', async () => {
    const d = session('d');
    try {
      const r = await runTask('tune', parseTaskArgs('tune', { original, data: clean, ...TUNE, parallel: 2 }, cliEnv), d.ctx('t'));
      expect(r.methods.map((m) => m.configs.map((c) => c.scores))).toEqual(first.methods.map((m) => m.configs.map((c) => c.scores)));
      expect(r.methods.map((m) => m.chosen)).toEqual(first.methods.map((m) => m.chosen));
    } finally {
      d.store.close();
    }
  });

  it('refuses what has nothing to tune, and a compare --tuned with no tuning says how to make one', async () => {
    expect(() => parseTaskArgs('tune', { original, data: clean, forget: 'class:1', methods: ['retrain'], labelColumn: 'label' }, cliEnv)).toThrow(/retrain has nothing to tune \(an exact method\)/);
    const args = parseTaskArgs('compare', { original, data: clean, labelColumn: 'label', forget: 'class:1', methods: ['rl'], seeds: 1, tuned: true }, cliEnv);
    await expect(runTask('compare', args, a.ctx('never'))).rejects.toThrow(/no tuning of .* for class:1: run lethe tune/);
  });

  it('compare --tuned adds a tuned row for each method the tuning changed, and ranks both ways', async () => {
    const args = parseTaskArgs('compare', { original, data: clean, labelColumn: 'label', forget: TUNE.forget, methods: ['rl', 'ssd', 'ft'], seeds: 2, params: { ft: { epochs: 0.5 } }, tuned: true }, cliEnv);
    const c = await runTask('compare', args, a.ctx('cmp'));
    const changed = first.methods.filter((m) => m.chosen !== 0).map((m) => m.method);
    expect(c.tuning).toEqual({ id: first.id === c.tuning?.id ? first.id : c.tuning!.id, methods: ['rl', 'ssd'], params: expect.any(Object) });
    expect(Object.keys(c.tuning!.params).sort()).toEqual([...changed].sort());
    for (const m of changed) {
      expect(c.methods).toContain(tunedLabel(m));
      const row = c.models.find((x) => x.method === tunedLabel(m))!;
      expect(row.params).toEqual(c.tuning!.params[m]);
    }
    const ranks = tunedRanks(c);
    expect(ranks.map((r) => r.method)).toEqual(['rl', 'ssd', 'ft']);
    expect(ranks.every((r) => r.rankDefaults >= 1 && r.rankTuned >= 1)).toBe(true);
    expect(ranks.find((r) => r.method === 'ft')!.tuned).toBe(ranks.find((r) => r.method === 'ft')!.defaults);
  });
});
