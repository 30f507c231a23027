// ℓ1-sparse unlearning: Jia et al., "Model Sparsity Can Simplify Machine Unlearning", NeurIPS 2023.
import { z } from 'zod';
import { batchStream, fitLoss, forwardTrain, loop, step, tfc, tuneCopy } from '../kit.ts';
import { defineMethod } from '../method.ts';
import { EVERY_TASK } from '../../data/tasks.ts';

/**
 * The penalty weight at step `i` of `total`: γ·(1 − i/total), a linear decay. Unlearn-Sparse's FT_l1
 * decays per epoch, γ·(1 − e/E); decaying per step is the same line at a finer grain, and still
 * decays when the whole run is shorter than an epoch.
 */
export const l1Weight = (gamma: number, i: number, total: number) => gamma * (1 - i / total);

export const l1Sparse = defineMethod({
  name: 'l1-sparse',
  kind: 'approximate',
  accepts: ['single'],
  tasks: EVERY_TASK,
  summary: 'fine-tune on the retain set with an ℓ1 penalty on all weights that decays linearly to zero',
  paper: 'Jia et al., "Model Sparsity Can Simplify Machine Unlearning", NeurIPS 2023',
  params: z.object({
    steps: z.number().int().min(1).max(100_000).default(80).describe('optimizer steps on retain batches'),
    gamma: z.number().min(0).max(1).default(5e-3).describe('initial ℓ1 weight γ on Σ|w| (decays linearly to 0 over the run)'),
    lr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate'),
    batchSize: z.number().int().min(1).max(4096).default(128),
  }).strict(),
  search: {
    steps: { low: 20, high: 320, log: true, int: true },
    gamma: { low: 1e-4, high: 5e-2, log: true },
    lr: { low: 1e-4, high: 1e-2, log: true },
  },
  // Unlearn-Sparse pairs γ of about 5e-4 with 10 SGD epochs; Adam normalises each step and the budget
  // here is 80 steps, so γ must be about 10× larger to shift a memorised forget set at all.
  run: (ctx, p) =>
    tuneCopy(ctx, p.lr, async (model, vars, opt) => {
      const retain = batchStream(ctx.retain, p.batchSize, ctx.seed, 'retain');
      await loop(ctx, 'l1-sparse', p.steps, (i) =>
        tfc.tidy(() => {
          const b = retain.next();
          const gamma = l1Weight(p.gamma, i, p.steps);
          return step(opt, vars, () => tfc.add(
            fitLoss(forwardTrain(model, b.x), b.y),
            tfc.mul(gamma, tfc.addN(vars.map((v) => tfc.sum(tfc.abs(v))))),
          ) as tfc.Scalar);
        }));
    }),
});
