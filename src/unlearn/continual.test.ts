// Continual deletion, checked against models trained from scratch without everything deleted so far.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset } from '../data/dataset.ts';
import type { ForgetSpec } from '../data/forget/index.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import { kindOps } from '../models/kinds.ts';
import type { ShardedRecipe } from '../models/kinds.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import { trainFromScratch } from '../models/sharded/ops.ts';
import { assign, planIds } from '../models/sharded/plan.ts';
import { shardsOf } from '../models/sharded/state.ts';
import { train } from '../train/train.ts';
import { deleteInSequence } from './continual.ts';

// The built-in synthetic set cut to 240 train samples: deleteInSequence loads the data a checkpoint names.
const data = { name: 'synthetic', trainSize: 240 };
const ds = loadData(data);
const trainIds = idsOfSplit(ds, 'train');
const recipe = { epochs: 2, batchSize: 32, optimizer: 'adam' as const, lr: 3e-3, weightDecay: 0, momentum: 0.9 };
const sharded: ShardedRecipe = { kind: 'sharded', shards: 3, slices: 3, orders: 1, schedule: 'budget', byGroup: false };
const root = mkdtempSync(join(tmpdir(), 'lethe-continual-'));
let shardedModel: Checkpoint;
let singleModel: Checkpoint;

async function trained(name: string, kindRecipe?: ShardedRecipe): Promise<Checkpoint> {
  const f = await (await kindOps(kindRecipe ? 'sharded' : 'single')).fit(ds, trainIds, { arch: 'mlp', recipe, seed: 1, kindRecipe }, {});
  const dir = join(root, name);
  await saveCheckpoint(dir, f.model, {
    parent: null, dataset: data, inputShape: ds.inputShape, numClasses: ds.numClasses, seed: 1, trainHash: '',
    recipe, method: 'train', forget: null, metrics: {}, ...f.meta,
  }, f.files);
  f.model.dispose();
  return loadCheckpoint(dir);
}

const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.dataSync()));
const ids = (...xs: number[]): ForgetSpec => ({ kind: 'ids', ids: xs });

beforeAll(async () => {
  await initBackend();
  shardedModel = await trained('sharded', sharded);
  singleModel = await trained('single');
});

afterAll(() => {
  shardedModel?.model.dispose();
  singleModel?.model.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('deleteInSequence', () => {
  it('sisa over a sequence ends weight for weight where training without every deleted id ends', async () => {
    const held = planIds(shardedModel.shards!.plan);
    const asked = [held[3], held[100], held[7], held[200], held[150]];
    const r = await deleteInSequence(shardedModel, [[ids(asked[0])], [ids(asked[1]), ids(asked[2])], [ids(asked[3], asked[4])]], { method: 'sisa', params: { mode: 'retrain' } });
    // SISA's budget for 2 epochs over 3 slices, by hand: a = 4/4 = 1, one epoch per stage.
    const plan = assign('mlp', trainIds, { shards: 3, slices: 3, orders: 1, seed: 1, epochs: [1, 1, 1] });
    for (const sh of plan.shards) sh.slices = sh.slices.map((s) => s.filter((id) => !asked.includes(id)));
    const ref = await trainFromScratch(ds, plan, recipe, {});
    try {
      expect(weightsOf(r.model)).toEqual(weightsOf(ref.model));
      expect(r.steps.map((s) => [s.step, s.requests.length, s.ids])).toEqual([[1, 1, 1], [2, 2, 2], [3, 1, 2]]);
      expect(Array.from(r.deleted)).toEqual([...asked].sort((a, b) => a - b));
      for (const s of r.steps) {
        expect(s.testAcc).toBeGreaterThan(50);
        expect(s.state).toHaveLength(3);
      }
      // Saved, the result is one checkpoint derived from the original, whose request is every id deleted.
      const meta = await r.save(join(root, 'after'));
      expect(meta.parent).toBe(shardedModel.meta.id);
      expect(meta.forget).toEqual({ kind: 'ids', ids: Array.from(r.deleted) });
      const back = await loadCheckpoint(join(root, 'after'));
      expect(weightsOf(back.model)).toEqual(weightsOf(ref.model));
      for (const id of asked) expect(planIds(back.shards!.plan)).not.toContain(id);
      back.model.dispose();
    } finally {
      r.model.dispose();
      ref.model.dispose();
    }
  });

  it('coalesces requests that arrive together: one retrain per touched shard, from its earliest touched slice', async () => {
    const plan = shardedModel.shards!.plan;
    // Two requests for shard 1 (slices 2 and 1) and one for shard 0 (slice 2), arriving together.
    const together = [ids(plan.shards[1].slices[2][0]), ids(plan.shards[1].slices[1][0]), ids(plan.shards[0].slices[2][0])];
    let events = 0;
    const r = await deleteInSequence(shardedModel, [together], { method: 'sisa', params: {}, onProgress: () => events++ });
    try {
      const st = shardsOf(r.model)!;
      expect([...st.fresh.keys()].sort()).toEqual(['stage-s0-o0-k2.bin', 'stage-s1-o0-k1.bin', 'stage-s1-o0-k2.bin']);
      expect(events).toBeGreaterThan(0);
    } finally {
      r.model.dispose();
    }
  });

  it("excludes what earlier steps deleted from each step's retain set (retrain ends as training without all of it)", async () => {
    const r = await deleteInSequence(singleModel, [[ids(0, 1, 2)], [ids(5, 6)]], { method: 'retrain', params: {}, seed: 9 });
    const ref = buildModel('mlp', ds.inputShape, ds.numClasses, 9);
    await train(ref, subset(ds, trainIds.filter((id) => ![0, 1, 2, 5, 6].includes(id))), recipe, { seed: 9 });
    try {
      expect(weightsOf(r.model)).toEqual(weightsOf(ref));
    } finally {
      r.model.dispose();
      ref.dispose();
    }
  });

  it('refuses, before any work, an id two steps ask for, a method the kind does not take, and empty steps', async () => {
    let events = 0;
    const onProgress = () => events++;
    await expect(deleteInSequence(singleModel, [[ids(4)], [ids(9)], [{ kind: 'ids', ids: [4, 11] }]], { method: 'ft', params: {}, onProgress }))
      .rejects.toThrow('step 3 asks to delete id 4, which step 1 already deletes');
    await expect(deleteInSequence(singleModel, [[ids(4)]], { method: 'sisa', params: {}, onProgress })).rejects.toThrow('sisa cannot unlearn a single model');
    await expect(deleteInSequence(singleModel, [[]], { method: 'ft', params: {}, onProgress })).rejects.toThrow('at least one request');
    expect(events).toBe(0);
  });
});

