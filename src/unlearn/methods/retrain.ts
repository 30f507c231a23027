// Exact unlearning: train from scratch on the retain set only (the gold standard every method is measured against).
import { z } from 'zod';
import { buildModel } from '../../models/registry.ts';
import { train } from '../../train/train.ts';
import { defineMethod } from '../method.ts';

export const retrain = defineMethod({
  name: 'retrain',
  kind: 'exact',
  accepts: ['single'],
  summary: "train a fresh model on the retain set with the original's recipe",
  paper: 'the exact baseline of every unlearning paper (e.g. Bourtoule et al., S&P 2021)',
  params: z.object({
    epochs: z.number().int().min(1).max(1000).optional().describe("epochs (default: the original's)"),
  }).strict(),
  async run(ctx, p) {
    const { meta } = ctx;
    const model = buildModel(meta.arch, meta.inputShape, meta.numClasses, ctx.seed);
    const recipe = { ...meta.recipe, epochs: p.epochs ?? meta.recipe.epochs };
    try {
      await train(model, ctx.retain, recipe, { seed: ctx.seed, signal: ctx.signal, onProgress: ctx.onProgress, phase: 'retrain' });
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  },
});
