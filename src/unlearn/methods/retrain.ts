// Exact unlearning: train from scratch on the retain set only (the gold standard every method is measured against).
// Each model kind says what "from scratch" means for it (src/models/kind-ops.ts refit).
import { z } from 'zod';
import { kindOps, MODEL_KIND_NAMES } from '../../models/kinds.ts';
import { defineMethod } from '../method.ts';
import { EVERY_TASK } from '../../data/tasks.ts';

export const retrain = defineMethod({
  name: 'retrain',
  kind: 'exact',
  accepts: MODEL_KIND_NAMES,
  tasks: EVERY_TASK,
  summary: "train a fresh model on the retain set with the original's recipe (analytic: refit the head, same features; sharded: every constituent, same seeds)",
  paper: 'the exact baseline of every unlearning paper (e.g. Bourtoule et al., S&P 2021)',
  params: z.object({
    epochs: z.number().int().min(1).max(1000).optional().describe("epochs (default: the original's)"),
  }).strict(),
  async run(ctx, p) {
    return (await kindOps(ctx.meta.kind)).refit(ctx, p.epochs);
  },
});
