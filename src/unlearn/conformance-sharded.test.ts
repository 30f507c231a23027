// The contract of src/unlearn/method.ts for every method that takes sharded models, and SISA/S3T's exactness,
// checked against an ensemble trained from scratch on a plan whose ids were removed by hand (not by deleteIds).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAbortsPromptly } from '../../test/support/unlearn.ts';
import { idsOfSplit, subset } from '../data/dataset.ts';
import { resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { synthetic } from '../data/synthetic.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import type { ShardedRecipe } from '../models/kinds.ts';
import type { Model } from '../models/layers.ts';
import { shardedOps, trainFromScratch } from '../models/sharded/ops.ts';
import { assign, liveOf, locator, manifestOf, type Plan } from '../models/sharded/plan.ts';
import { constituent, shardsOf, stageFile, stageWeights } from '../models/sharded/state.ts';
import type { UnlearnContext } from './method.ts';
import { getMethod, METHOD_NAMES } from './registry.ts';
import { saveUnlearned } from './run.ts';
import { readManifest } from '../models/manifest.ts';

const ds = synthetic({ train: 240, test: 80, classes: 4, seed: 3 });
const trainIds = idsOfSplit(ds, 'train');
const recipe = { epochs: 2, batchSize: 32, optimizer: 'adam' as const, lr: 3e-3, weightDecay: 0, momentum: 0.9 };
const sisaRecipe: ShardedRecipe = { kind: 'sharded', shards: 3, slices: 3, orders: 1, schedule: 'stage', byGroup: false };
const s3tRecipe: ShardedRecipe = { ...sisaRecipe, orders: 3 };
const root = mkdtempSync(join(tmpdir(), 'lethe-sharded-'));
let sisaModel: Checkpoint;
let s3tModel: Checkpoint;

async function trained(name: string, r: ShardedRecipe): Promise<Checkpoint> {
  const f = await shardedOps.fit(ds, trainIds, { arch: 'mlp', recipe, seed: 1, kindRecipe: r }, {});
  const dir = join(root, name);
  await saveCheckpoint(dir, f.model, {
    parent: null, dataset: { name: 'synthetic' }, inputShape: ds.inputShape, numClasses: ds.numClasses, seed: 1, trainHash: '',
    recipe, method: 'train', forget: null, metrics: {}, ...f.meta,
  }, f.files);
  f.model.dispose();
  return loadCheckpoint(dir);
}

function context(ck: Checkpoint, spec: ForgetSpec, extra: Partial<UnlearnContext> = {}): UnlearnContext {
  const sets = resolveForget(ds, spec);
  return {
    original: ck.model, meta: ck.meta, shards: ck.shards, data: ck.meta.dataset, dataset: ds, sets,
    forget: subset(ds, sets.forget), retain: subset(ds, sets.retain), seed: 7, ...extra,
  };
}

const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.dataSync()));
const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).filter((f) => f !== 'meta.json').map((f) => [f, readFileSync(join(dir, f))]));

/** The plan trained on the same seed with `ids` removed from their slices by hand; every order still to train. */
function planWithout(r: ShardedRecipe, ids: number[]): Plan {
  const plan = assign('mlp', trainIds, { shards: r.shards, slices: r.slices, orders: r.orders, seed: 1, epochs: [2, 2, 2] });
  const drop = new Set(ids);
  for (const sh of plan.shards) sh.slices = sh.slices.map((slice) => slice.filter((id) => !drop.has(id)));
  return plan;
}

/** `count` training ids, all in shard `s` and slice `j` of the model's plan. */
function idsIn(ck: Checkpoint, s: number, j: number, count: number): number[] {
  return ck.shards!.plan.shards[s].slices[j].slice(0, count);
}

beforeAll(async () => {
  await initBackend();
  sisaModel = await trained('sisa', sisaRecipe);
  s3tModel = await trained('s3t', s3tRecipe);
});

afterAll(() => {
  sisaModel?.model.dispose();
  s3tModel?.model.dispose();
  rmSync(root, { recursive: true, force: true });
});

const SHARDED = METHOD_NAMES.filter((name) => getMethod(name).accepts.includes('sharded'));

it('sharded models are served by sisa and by retrain (the reference)', () => {
  expect(SHARDED.sort()).toEqual(['retrain', 'sisa']);
});

describe('sisa', () => {
  const sisa = getMethod('sisa');

  it('after deleting ids is weight for weight the ensemble trained from scratch without them, with the same seeds', async () => {
    // Ids in two shards, two slices of shard 0: one retrain per touched shard, from its earliest touched slice.
    const ids = [...idsIn(sisaModel, 0, 1, 3), ...idsIn(sisaModel, 0, 2, 2), ...idsIn(sisaModel, 2, 0, 1)];
    const out = await sisa.run(context(sisaModel, { kind: 'ids', ids }), { mode: 'retrain' });
    const ref = await trainFromScratch(ds, planWithout(sisaRecipe, ids), recipe, {});
    try {
      expect(weightsOf(out)).toEqual(weightsOf(ref.model));
      const st = shardsOf(out)!;
      const refSt = shardsOf(ref.model)!;
      for (let s = 0; s < 3; s++) for (let k = 0; k < 3; k++) expect(stageWeights(st, s, 0, k)).toEqual(stageWeights(refSt, s, 0, k));
      // Only the touched stages were trained: shard 0 from slice 1 on, shard 2 from slice 0 on; shard 1 not at all.
      expect([...st.fresh.keys()].sort()).toEqual([stageFile(0, 0, 1), stageFile(0, 0, 2), stageFile(2, 0, 0), stageFile(2, 0, 1), stageFile(2, 0, 2)].sort());
      for (let s = 0; s < 3; s++) for (const id of ids) expect(manifestOf(st.plan, s)).not.toContain(id);
      expect(manifestOf(st.plan, 1)).toEqual(manifestOf(sisaModel.shards!.plan, 1));
    } finally {
      out.dispose();
      ref.model.dispose();
    }
  });

  it('never changes the original checkpoint, and a saved result serves the next request (continual deletion)', async () => {
    const before = filesOf(sisaModel.dir);
    const w = weightsOf(sisaModel.model);
    const first = [idsIn(sisaModel, 1, 2, 1)[0]];
    const ctx = context(sisaModel, { kind: 'ids', ids: first });
    const out = await sisa.run(ctx, { mode: 'retrain' });
    expect(filesOf(sisaModel.dir)).toEqual(before);
    expect(weightsOf(sisaModel.model)).toEqual(w);
    const dir = join(root, 'after-first');
    await saveUnlearned(dir, out, ctx, 'sisa', {}, {});
    out.dispose();
    const next = await loadCheckpoint(dir);
    try {
      expect(next.meta.kind).toBe('sharded');
      expect(next.meta.parent).toBe(sisaModel.meta.id);
      const second = [idsIn(sisaModel, 1, 0, 1)[0]];
      const again = await sisa.run(context(next, { kind: 'ids', ids: second }), { mode: 'retrain' });
      const ref = await trainFromScratch(ds, planWithout(sisaRecipe, [...first, ...second]), recipe, {});
      expect(weightsOf(again)).toEqual(weightsOf(ref.model));
      again.dispose();
      ref.model.dispose();
      // The first request's id is gone from the manifest: asking again is one clear error before any work.
      let events = 0;
      await expect(sisa.run(context(next, { kind: 'ids', ids: first }, { onProgress: () => events++ }), { mode: 'retrain' }))
        .rejects.toThrow(`id ${first[0]} is not in the model's training manifest`);
      expect(events).toBe(0);
    } finally {
      next.model.dispose();
    }
  });

  it('with S3T orders serves the deepest surviving prefix with no training (mode=prefix)', async () => {
    const plan = s3tModel.shards!.plan;
    expect(plan.orders).toEqual([[0, 1, 2], [1, 2, 0], [2, 0, 1]]);
    const id = idsIn(s3tModel, 0, 1, 1)[0];
    let events = 0;
    const out = await sisa.run(context(s3tModel, { kind: 'ids', ids: [id] }, { onProgress: () => events++ }), { mode: 'prefix' });
    try {
      const st = shardsOf(out)!;
      expect(events).toBe(0);
      expect(st.fresh.size).toBe(0);
      // Slice 1 sits at positions 1, 0, 2 of the three orders: depths 1, 0, 2; the third order (2 slices) is live.
      expect(st.plan.shards[0].depth).toEqual([1, 0, 2]);
      expect(liveOf(st.plan, 0)).toEqual({ order: 2, depth: 2 });
      expect(manifestOf(st.plan, 0)).not.toContain(id);
      // The served ensemble is the original's stage files: shard 0 from order 2 after 2 stages, the others at full depth.
      const ws = out.getLayer('m0_logits').getWeights().map((t) => Array.from(t.dataSync()));
      const member = constituent(s3tModel.shards!, 0, 2, 1, ds.inputShape, ds.numClasses);
      expect(ws).toEqual(member.getLayer('logits').getWeights().map((t) => Array.from(t.dataSync())));
      member.dispose();
      // The saved result's training manifest is what its live prefixes saw: shard 0's two slices, the other shards whole.
      const dir = join(root, 'prefix-served');
      const meta = await saveUnlearned(dir, out, context(s3tModel, { kind: 'ids', ids: [id] }), 'sisa', { mode: 'prefix' }, {});
      const expected = [0, 1, 2].flatMap((s) => manifestOf(st.plan, s)).sort((a, b) => a - b);
      expect(Array.from(readManifest(dir, meta.manifest!))).toEqual(expected);
      expect(expected.length).toBe(trainIds.length - plan.shards[0].slices[1].length);
    } finally {
      out.dispose();
    }
  });

  it('prefix mode retrains a shard with no surviving prefix (its first order), and only that shard', async () => {
    // One id in each slice of shard 1: every order's first slice is touched, no prefix survives.
    const ids = [0, 1, 2].map((j) => idsIn(s3tModel, 1, j, 1)[0]);
    const out = await sisa.run(context(s3tModel, { kind: 'ids', ids }), { mode: 'prefix' });
    try {
      const st = shardsOf(out)!;
      expect(st.plan.shards[1].depth).toEqual([3, 0, 0]);
      expect([...st.fresh.keys()].sort()).toEqual([0, 1, 2].map((k) => stageFile(1, 0, k)).sort());
      const ref = await trainFromScratch(ds, planWithout(s3tRecipe, ids), recipe, {});
      expect(stageWeights(st, 1, 0, 2)).toEqual(stageWeights(shardsOf(ref.model)!, 1, 0, 2));
      ref.model.dispose();
    } finally {
      out.dispose();
    }
  });

  it('gives the same weights for the same request', async () => {
    const spec: ForgetSpec = { kind: 'random', count: 5, seed: 2 };
    const a = await sisa.run(context(sisaModel, spec), { mode: 'retrain' });
    const b = await sisa.run(context(sisaModel, spec), { mode: 'retrain' });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    a.dispose();
    b.dispose();
  });

  it('stops promptly when aborted and leaves no tensors behind', async () => {
    await expectAbortsPromptly((extra) => sisa.run(context(sisaModel, { kind: 'class', classes: [2] }, extra), { mode: 'retrain' }));
  });
});

describe('retrain on a sharded model', () => {
  it('retrains every constituent without the ids, with the original seeds: the same weights as sisa', async () => {
    const spec: ForgetSpec = { kind: 'random', count: 6, seed: 4 };
    const ctx = context(sisaModel, spec);
    const a = await getMethod('retrain').run(ctx, {});
    const b = await getMethod('sisa').run(ctx, { mode: 'retrain' });
    try {
      expect(weightsOf(a)).toEqual(weightsOf(b));
      const at = locator(shardsOf(a)!.plan);
      for (const id of ctx.sets.forget) expect(at.has(id)).toBe(false);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
