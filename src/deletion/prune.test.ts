// Pruning superseded versions on a real store: their weights go, meta.json and the manifest stay; lineage and
// verification still answer; v0 and the current version are kept, so deletions and exact retrains go on.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { idsOfSplit } from '../data/dataset.ts';
import { loadData } from '../data/registry.ts';
import { TrainArgs, trainTask } from '../jobs/train-task.ts';
import { Store } from '../store/store.ts';
import { lineage, verifyAll } from './audit.ts';
import { KEPT_WHEN_PRUNED, prune } from './prune.ts';
import { deploy, drain, submit } from './service.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-prune-'));
const ds = loadData({ name: 'synthetic' });
const train = idsOfSplit(ds, 'train');
let store: Store;

beforeAll(async () => {
  process.env.LETHE_HOME = home;
  store = new Store(join(home, 'lethe.db'));
  await trainTask(TrainArgs.parse({ data: 'synthetic', model: 'mlp', epochs: 1, seed: 1, recipe: 'sharded:shards=2,slices=2' }), { store, out: join(home, 'sisa') });
  deploy(store, { name: 'credit', model: join(home, 'sisa'), policy: 'exact' });
  for (const k of [0, 1, 2]) {
    submit(store, { deployment: 'credit', forget: { kind: 'ids', ids: [train[k * 10]] }, key: `k${k}` });
    await drain(store, 'credit');
  }
}, 120_000);

afterAll(() => {
  store?.close();
  rmSync(home, { recursive: true, force: true });
});

it('removes the weights of superseded versions only, and says what it freed', () => {
  const versions = store.deletions.versions('credit');
  expect(versions.map((v) => v.number)).toEqual([0, 1, 2, 3]);
  const r = prune(store, 'credit');
  expect(r).toMatchObject({ pruned: [1, 2], kept: [0, 3] });
  expect(r.freedBytes + r.sharedBytes).toBeGreaterThan(0);
  for (const v of versions) {
    const files = readdirSync(v.path).sort();
    if (v.number === 1 || v.number === 2) expect(files).toEqual([...KEPT_WHEN_PRUNED].sort());
    else expect(files).toContain('weights.bin');
  }
  expect(store.deletions.versions('credit').map((v) => v.pruned != null)).toEqual([false, true, true, false]);
  // Nothing left to prune: a second run changes nothing.
  expect(prune(store, 'credit')).toMatchObject({ pruned: [], freedBytes: 0 });
});

it('lineage and verification still answer for pruned versions', () => {
  // train[20] was deleted by the third request: v0..v2 (two of them pruned) were trained on it, v3 not.
  expect(lineage(store, { sample: train[20], deployment: 'credit' }).rows.map((x) => [x.version, x.status])).toEqual([[0, 'superseded'], [1, 'superseded'], [2, 'superseded']]);
  expect(verifyAll(store)).toMatchObject({ ok: true, checked: { versions: 4, pruned: 2 } });
  // The manifest of a pruned version is still checked against what was signed.
  const v1 = store.deletions.versions('credit')[1];
  writeFileSync(join(v1.path, 'manifest.bin'), Buffer.from('edited'));
  expect(verifyAll(store)).toMatchObject({ ok: false, seq: 0, problem: /version 1: .*manifest\.bin is corrupt/ });
});

it('deletions go on from the kept current version; a crash between mark and removal is finished by the next prune', async () => {
  submit(store, { deployment: 'credit', forget: { kind: 'ids', ids: [train[30]] }, key: 'k3' });
  const [done] = (await drain(store, 'credit')).ended;
  expect(done).toMatchObject({ state: 'done', childVersion: 4 });
  // As if a prune had marked v3 and died before removing its files.
  store.deletions.markPruned('credit', 3);
  const v3 = store.deletions.versions('credit')[3];
  expect(existsSync(join(v3.path, 'weights.bin'))).toBe(true);
  expect(prune(store, 'credit').pruned).toEqual([3]);
  expect(existsSync(join(v3.path, 'weights.bin'))).toBe(false);
  expect(() => prune(store, 'nope')).toThrow(/unknown deployment "nope"/);
});
