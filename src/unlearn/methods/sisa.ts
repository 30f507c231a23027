// SISA (Bourtoule et al., S&P 2021) and S3T serving (Chowdhury et al., ICLR 2025): exact deletion from a sharded model.
// The request leaves its slices; in each shard it touches, every slice order is cut back to the prefix that never
// saw it. mode=retrain then trains those orders back to full depth from that prefix, with the original's stage seeds,
// so the result is weight for weight the ensemble trained without the ids. mode=prefix serves the deepest surviving
// prefix at once with no training (S3T), retraining only a shard that has none left.
import { z } from 'zod';
import { deleteIds, liveOf, stagesToFull } from '../../models/sharded/plan.ts';
import type { ShardState } from '../../models/sharded/state.ts';
import { defineMethod } from '../method.ts';

export const sisa = defineMethod({
  name: 'sisa',
  kind: 'exact',
  accepts: ['sharded'],
  summary: 'retrain only the shards the request touches, from the last slice checkpoint that never saw it (S3T: or serve the longest surviving prefix with no training)',
  paper: 'SISA: Bourtoule et al., Machine Unlearning, S&P 2021; S3T: Chowdhury et al., Towards Scalable Exact Machine Unlearning Using Parameter-Efficient Fine-Tuning, ICLR 2025',
  params: z.object({
    mode: z.enum(['retrain', 'prefix']).default('retrain')
      .describe('retrain: touched orders back to full depth (exact, as trained without the ids); prefix: serve the deepest surviving prefix now, no training'),
  }).strict(),
  async run(ctx, p) {
    if (!ctx.shards) throw new Error(`sisa: the original ${ctx.meta.id} has no shard plan (shards.json)`);
    const [{ assemble, attachShards }, { trainStages }] = await Promise.all([import('../../models/sharded/state.ts'), import('../../models/sharded/train.ts')]);
    const { plan, touched } = deleteIds(ctx.shards.plan, ctx.forget.ids);
    // Stages trained by earlier requests of an in-memory sequence are in `fresh`; the rest are in the checkpoint folder.
    const st: ShardState = { plan, fresh: new Map(ctx.shards.fresh), dir: ctx.shards.dir };
    const shards = p.mode === 'retrain' ? [...touched.keys()] : [...touched.keys()].filter((s) => !liveOf(plan, s));
    // prefix mode: a shard with no surviving prefix retrains its first order only, the cheapest way to serve again.
    const stages = stagesToFull(plan, shards.sort((a, b) => a - b), p.mode === 'retrain' ? undefined : () => [0]);
    await trainStages(ctx.dataset, st, stages, ctx.meta.recipe, { signal: ctx.signal, onProgress: ctx.onProgress, phase: 'sisa' });
    const { model } = assemble(st, ctx.meta.inputShape, ctx.meta.numClasses);
    return attachShards(model, st);
  },
});
