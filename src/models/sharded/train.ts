// Training a sharded model's stages: stage k of order b trains the constituent of stage k−1 (stage 0: the shard's
// seeded initial weights) on the slices order[0..k] for the plan's epochs of stage k, with a fresh optimizer and a seed of its
// own, and keeps its weights. The same plan, stages and seeds give the same weights, which is what makes SISA exact:
// a deletion retrains from the first stage that saw the data and lands where training without it would have.
import type { Dataset } from '../../data/dataset.ts';
import { subset } from '../../data/dataset.ts';
import { subSeed } from '../../shared/random.ts';
import type { TrainRecipe } from '../checkpoint.ts';
import { buildModel } from '../registry.ts';
import { stepsFor } from '../../train/batches.ts';
import type { OnProgress } from '../../train/progress.ts';
import { train } from '../../train/train.ts';
import { stageIds, type Stage } from './plan.ts';
import { flatWeights, setFlatWeights, stageFile, stageWeights, type ShardState } from './state.ts';

export interface StageRun {
  signal?: AbortSignal;
  onProgress?: OnProgress;
  phase?: string;
}

/** The training seed of one stage (the shard's seed is its init seed). */
export const stageSeed = (shardSeed: number, b: number, k: number) => subSeed(shardSeed, `order${b}:stage${k}`);

/**
 * Trains `stages` (runs of consecutive stages per shard and order, as stagesToFull lists them) in `st`, in place:
 * their weights go to `st.fresh` and each order's depth grows as it goes. Progress counts optimiser steps over all
 * stages. Returns the mean loss of each stage's last epoch.
 */
export async function trainStages(ds: Dataset, st: ShardState, stages: Stage[], recipe: TrainRecipe, run: StageRun = {}): Promise<number[]> {
  const { plan } = st;
  const sizes = stages.map((g) => stageIds(plan, g.shard, g.order, g.stage).length);
  const epochsOf = (k: number) => plan.epochs[k];
  const total = Math.max(1, sizes.reduce((n, size, i) => n + stepsFor(size, recipe.batchSize, epochsOf(stages[i].stage)), 0));
  const phase = run.phase ?? 'train';
  const losses: number[] = [];
  let before = 0;
  let i = 0;
  while (i < stages.length) {
    const { shard: s, order: b } = stages[i];
    const sh = plan.shards[s];
    const model = buildModel(plan.arch, ds.inputShape, ds.numClasses, sh.seed);
    try {
      const k0 = stages[i].stage;
      if (k0 > sh.depth[b]) throw new Error(`stage ${k0} of order ${b} of shard ${s} needs stage ${k0 - 1}, which is not trained`);
      if (k0 > 0) setFlatWeights(model, stageWeights(st, s, b, k0 - 1), stageFile(s, b, k0 - 1));
      for (; i < stages.length && stages[i].shard === s && stages[i].order === b; i++) {
        const k = stages[i].stage;
        const data = subset(ds, stageIds(plan, s, b, k));
        const label = `${phase} · shard ${s + 1}/${plan.shards.length}${plan.orders.length > 1 ? ` · order ${b + 1}/${plan.orders.length}` : ''} · slice ${k + 1}/${plan.slices}`;
        const r = await train(model, data, { ...recipe, epochs: epochsOf(k) }, {
          seed: stageSeed(sh.seed, b, k), signal: run.signal, phase: label,
          onProgress: (p) => run.onProgress?.({ ...p, phase: label, done: before + p.done, total }),
        });
        before += stepsFor(data.y.length, recipe.batchSize, epochsOf(k));
        losses.push(r.losses.at(-1) ?? NaN);
        st.fresh.set(stageFile(s, b, k), flatWeights(model));
        sh.depth[b] = k + 1;
      }
    } finally {
      model.dispose();
    }
  }
  return losses;
}
