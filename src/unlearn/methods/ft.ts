// Fine-tuning on the retain set ("catastrophic forgetting"): Warnecke et al. NDSS 2023; Golatkar et al. CVPR 2020.
import { z } from 'zod';
import { batchStream, fitLoss, forwardTrain, loop, step, stepsFor, tfc, tuneCopy } from '../kit.ts';
import { defineMethod } from '../method.ts';
import { EVERY_TASK } from '../../data/tasks.ts';

export const ft = defineMethod({
  name: 'ft',
  kind: 'approximate',
  accepts: ['single'],
  tasks: EVERY_TASK,
  summary: 'fine-tune the original on the retain set only',
  paper: 'Warnecke et al., "Machine Unlearning of Features and Labels", NDSS 2023',
  params: z.object({
    epochs: z.number().gt(0).max(100).default(1).describe('passes over the retain set'),
    lr: z.number().gt(0).max(1).default(1e-3),
    batchSize: z.number().int().min(1).max(4096).default(128),
  }).strict(),
  search: {
    epochs: { low: 0.25, high: 3, log: true },
    lr: { low: 1e-4, high: 1e-2, log: true },
  },
  run: (ctx, p) =>
    tuneCopy(ctx, p.lr, async (model, vars, opt) => {
      const retain = batchStream(ctx.retain, p.batchSize, ctx.seed, 'retain');
      await loop(ctx, 'ft', Math.round(p.epochs * stepsFor(ctx.retain.y.length, p.batchSize)), () =>
        tfc.tidy(() => {
          const b = retain.next();
          return step(opt, vars, () => fitLoss(forwardTrain(model, b.x), b.y));
        }));
    }),
});
