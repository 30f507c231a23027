// NegGrad+: Kurmanji et al., "Towards Unbounded Machine Unlearning", NeurIPS 2023 (their strengthened NegGrad baseline).
import { z } from 'zod';
import { batchStream, fitLoss, forwardTrain, loop, samStep, step, tfc, tuneCopy } from '../kit.ts';
import { defineMethod } from '../method.ts';
import { sharpnessParam } from '../sharpness.ts';
import { cappedFitLoss, lossCapParam } from './ga.ts';
import { EVERY_TASK } from '../../data/tasks.ts';

export const neggradPlus = defineMethod({
  name: 'neggrad-plus',
  kind: 'approximate',
  accepts: ['single'],
  tasks: EVERY_TASK,
  summary: 'descend on the retain set and ascend on the forget set at once: α·CE(retain) − (1−α)·CE(forget)',
  paper: 'Kurmanji et al., "Towards Unbounded Machine Unlearning", NeurIPS 2023',
  params: z.object({
    steps: z.number().int().min(1).max(100_000).default(48).describe('optimizer steps, each on one retain and one forget batch'),
    alpha: z.number().gt(0).lt(1).default(0.75).describe('weight of the retain loss; 1 − alpha weighs the forget ascent'),
    lr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate'),
    batchSize: z.number().int().min(1).max(4096).default(128).describe('retain and forget samples per step, each'),
    lossCap: lossCapParam,
    sharpness: sharpnessParam,
  }).strict(),
  search: {
    steps: { low: 16, high: 256, log: true, int: true },
    alpha: { low: 0.5, high: 0.98 },
    lr: { low: 1e-4, high: 1e-2, log: true },
  },
  // Kurmanji et al. zip each retain batch with a cycled forget batch and use α = 0.95–0.9999 over 5–10
  // SGD epochs. At 48–96 Adam steps α = 0.95 barely moved a memorised forget set (91.8 → 90.5), hence 0.75.
  // The forget term is capped (see ga.ts) so the ascent half cannot run away.
  run: (ctx, p) =>
    tuneCopy(ctx, p.lr, async (model, vars, opt) => {
      const retain = batchStream(ctx.retain, p.batchSize, ctx.seed, 'retain');
      const forget = batchStream(ctx.forget, p.batchSize, ctx.seed, 'forget');
      await loop(ctx, 'neggrad-plus', p.steps, () =>
        tfc.tidy(() => {
          const r = retain.next();
          const f = forget.next();
          const retainLoss = () => tfc.mul(p.alpha, fitLoss(forwardTrain(model, r.x), r.y)) as tfc.Scalar;
          const forgetLoss = () => tfc.mul(-(1 - p.alpha), cappedFitLoss(forwardTrain(model, f.x), f.y, p.lossCap)) as tfc.Scalar;
          if (p.sharpness > 0) return samStep(opt, vars, forgetLoss, retainLoss, p.sharpness);
          return step(opt, vars, () => tfc.add(retainLoss(), forgetLoss()) as tfc.Scalar);
        }));
    }),
});
