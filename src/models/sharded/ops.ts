// The sharded kind (SISA / S3T): constituents on disjoint shards, trained slice by slice (./train.ts), served as
// the mean softmax of each shard's deepest valid prefix (./ensemble.ts), deleted from exactly (unlearn/methods/sisa.ts).
import { defineKindOps } from '../kind-ops.ts';
import type { Model } from '../layers.ts';
import { assign, deleteIds, describeLive, locator, manifestOf, stagesToFull, stageEpochs, type Plan } from './plan.ts';
import { assemble, attachShards, readShards, servedArch, shardFiles, shardsOf, type ShardState } from './state.ts';
import { trainStages, type StageRun } from './train.ts';
import type { Dataset } from '../../data/dataset.ts';
import type { TrainRecipe } from '../checkpoint.ts';

/** Trains every order of every shard of `plan` from scratch (depths reset) and serves the ensemble. */
export async function trainFromScratch(ds: Dataset, plan: Plan, recipe: TrainRecipe, run: StageRun): Promise<{ model: Model; arch: string; losses: number[] }> {
  const fresh: Plan = { ...plan, shards: plan.shards.map((sh) => ({ ...sh, depth: sh.depth.map(() => 0) })) };
  const st: ShardState = { plan: fresh, fresh: new Map() };
  const losses = await trainStages(ds, st, stagesToFull(fresh, fresh.shards.keys()), recipe, run);
  const { model, arch } = assemble(st, ds.inputShape, ds.numClasses);
  return { model: attachShards(model, st), arch, losses };
}

export const shardedOps = defineKindOps({
  async fit(ds, trainIds, a, run) {
    const r = a.kindRecipe;
    if (r?.kind !== 'sharded') throw new Error('the sharded kind needs a sharded recipe');
    const epochs = stageEpochs(a.recipe.epochs, r.slices, r.schedule);
    const plan = assign(a.arch, trainIds, { shards: r.shards, slices: r.slices, orders: r.orders, seed: a.seed, epochs, groups: r.byGroup ? ds.group : undefined });
    const { model, arch, losses } = await trainFromScratch(ds, plan, a.recipe, run);
    return {
      model, meta: { arch, kind: 'sharded', params: { recipe: r } }, files: shardFiles(shardsOf(model)!), losses,
      note: `sharded: ${r.shards} shards × ${r.slices} slices${r.orders > 1 ? ` × ${r.orders} orders (S3T)` : ' (SISA)'}, `
        + `slice stages of ${epochs.map((e) => Number(e.toFixed(3))).join('/')} epochs on their cumulative slices (${r.schedule === 'stage' ? 'every stage the full epochs' : `SISA's budget for ${a.recipe.epochs} epochs${r.schedule === 'steps' ? ', in steps' : ''}`}); `
        + `served as the mean softmax of ${r.shards} constituents`,
    };
  },
  load: (dir) => ({ shards: readShards(dir) }),
  stateOf: (model) => ({ shards: shardsOf(model) }),
  derive(_original, model) {
    const st = shardsOf(model);
    if (!st) return { meta: { kind: 'single' }, files: {} };
    return { meta: { kind: 'sharded', arch: servedArch(st.plan) }, files: shardFiles(st) };
  },
  /** Every constituent retrained from scratch on its shard without the forget set, with the original's seeds. */
  async refit(ctx) {
    if (!ctx.shards) throw new Error(`retrain: the sharded checkpoint ${ctx.meta.id} has no plan (shards.json)`);
    const { plan } = deleteIds(ctx.shards.plan, ctx.forget.ids);
    return (await trainFromScratch(ctx.dataset, plan, ctx.meta.recipe, { signal: ctx.signal, onProgress: ctx.onProgress, phase: 'retrain' })).model;
  },
  trainIds(model) {
    const st = shardsOf(model);
    return st && st.plan.shards.flatMap((_, s) => manifestOf(st.plan, s));
  },
  touched(state, ids) {
    if (!state.shards) return [];
    const at = locator(state.shards.plan);
    const bySlice = new Map<number, Set<number>>();
    for (const id of Array.from(ids)) {
      const hit = at.get(id);
      if (!hit) continue;
      if (!bySlice.has(hit[0])) bySlice.set(hit[0], new Set());
      bySlice.get(hit[0])!.add(hit[1]);
    }
    return [...bySlice.keys()].sort((a, b) => a - b).map((s) => `shard ${s}: slice${bySlice.get(s)!.size > 1 ? 's' : ''} ${[...bySlice.get(s)!].sort((a, b) => a - b).join(',')} held deleted samples; only prefixes that never saw them are kept`);
  },
  describe(model) {
    const st = shardsOf(model);
    return st ? describeLive(st.plan) : [];
  },
});
