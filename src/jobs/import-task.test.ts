// Predictions from elsewhere against Lethe's own measurement: `lethe predict` writes the exchange CSVs of the
// models of a real comparison, and importing them must give every weight-free metric that compare gave.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveForget } from '../data/forget/index.ts';
import { loadData } from '../data/registry.ts';
import { METRIC_KEYS } from '../eval/metrics.ts';
import type { Comparison } from '../shared/contract.ts';
import { Store } from '../store/store.ts';
import { cliEnv } from './edges.ts';
import { importPredictions } from './import-task.ts';
import { predictTask } from './predict-task.ts';
import { parseTaskArgs, runTask } from './tasks.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-import-'));
const store = new Store(join(home, 'lethe.db'));
const preds = join(home, 'preds');
let compared: Comparison;
let imported: Comparison;

beforeAll(async () => {
  const ctx = (out: string) => ({ out: join(home, out), store, modelDir: (d: string) => d });
  const base = (await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 2, seed: 4 }, cliEnv), ctx('base'))).checkpoint;
  compared = await runTask('compare', parseTaskArgs('compare', { original: base, forget: 'class:2', methods: ['ga'], seeds: 2 }, cliEnv), ctx('cmp'));
  mkdirSync(preds);
  for (const m of compared.models) {
    const name = m.role === 'original' ? 'original' : `${m.method}-seed${m.seed}`;
    await predictTask({ model: m.checkpoint, split: 'all', out: join(preds, `${name}.csv`) });
  }
  writeFileSync(join(preds, 'forget.txt'), Array.from(resolveForget(loadData({ name: 'synthetic' }), { kind: 'class', classes: [2] }).forget).join('\n') + '\n');
  imported = await importPredictions({ dir: preds }, { out: join(home, 'imported'), store });
});

afterAll(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

const key = (m: Comparison['models'][number]) => `${m.role}:${m.method}:${m.seed}`;
const NEED_WEIGHTS = new Set(['seconds', 'speedup', 'relearnAcc']);

describe('lethe import --predictions', () => {
  it('recognises the request (class forgetting) and the models (methods and seeds from the file names)', () => {
    expect(imported).toMatchObject({ forget: { kind: 'class', classes: [2] }, forgetText: 'class:2', forgetCount: compared.forgetCount, methods: ['ga'], seeds: [1001, 1002] });
    expect(imported.models.map(key).sort()).toEqual(compared.models.map((m) => key(m).replace(/^original:original:\d+$/, 'original:original:1')).sort());
  });

  // Exact on wasm; on native, OpenBLAS's sums depend on the batch a sample is in (predict and compare batch
  // differently), which moves probabilities by ~1e-8.
  it('gives every metric that needs no weights as compare measured it from the weights', () => {
    for (const m of compared.models) {
      const twin = imported.models.find((x) => x.role === m.role && x.method === m.method && (m.role === 'original' || x.seed === m.seed))!;
      for (const k of METRIC_KEYS.filter((k) => !NEED_WEIGHTS.has(k) && m.metrics[k] !== undefined)) {
        expect(twin.metrics[k], `${key(m)} ${k}`).toBeCloseTo(m.metrics[k]!, 6);
      }
      expect(twin.metrics.relearnAcc).toBeNaN();
      expect(twin.details.forgetSamples.ids).toEqual(m.details.forgetSamples.ids);
      expect(twin.details.perClass).toEqual(m.details.perClass);
      // The views that need activations are empty, not made up.
      expect(twin.details.cka.layers).toEqual([]);
      expect(twin.details.embedding.ids).toEqual([]);
    }
    expect(store.getComparison(imported.id)?.models).toHaveLength(compared.models.length);
  });

  it('every bad folder or file is one error naming the file (and the line)', async () => {
    const bad = async (edit: (dir: string) => void) => {
      const dir = mkdtempSync(join(home, 'bad-'));
      for (const f of ['original.csv', 'retrain-seed1001.csv', 'ga-seed1001.csv', 'forget.txt']) copyFileSync(join(preds, f), join(dir, f));
      edit(dir);
      return importPredictions({ dir }, { out: dir }).then(() => 'accepted', (e: Error) => e.message);
    };
    const lines = (f: string) => readFileSync(f, 'utf8').split('\n');
    expect(await bad((d) => rmSync(join(d, 'original.csv')))).toMatch(/no original\.csv/);
    expect(await bad((d) => rmSync(join(d, 'retrain-seed1001.csv')))).toMatch(/no retrain\*\.csv/);
    expect(await bad((d) => rmSync(join(d, 'forget.txt')))).toMatch(/forget\.txt: cannot read \(ENOENT\)/);
    expect(await bad((d) => writeFileSync(join(d, 'ga-seed1001.csv'), lines(join(d, 'ga-seed1001.csv')).map((l, i) => (i === 1 ? l.replace(/,0\.\d+/, ',0.9') : l)).join('\n'))))
      .toMatch(/ga-seed1001\.csv:2: the probabilities sum to/);
    expect(await bad((d) => writeFileSync(join(d, 'ga-seed1001.csv'), lines(join(d, 'ga-seed1001.csv')).filter((_, i) => i !== 5).join('\n'))))
      .toMatch(/ga-seed1001\.csv: 1599 samples, but .*original\.csv has 1600/);
    expect(await bad((d) => writeFileSync(join(d, 'original.csv'), 'id,label,p0,p1\n1,0,0.5,0.5\n'))).toMatch(/original\.csv:1: the header must be id,label,split,p0/);
    expect(await bad((d) => writeFileSync(join(d, 'forget.txt'), '1500\n'))).toMatch(/forget\.txt:1: sample 1500 is a test sample/);
    expect(await bad((d) => writeFileSync(join(d, 'forget.txt'), '99999\n'))).toMatch(/forget\.txt:1: sample 99999 is not in/);
  });
});
