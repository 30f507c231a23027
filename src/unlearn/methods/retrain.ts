// Exact unlearning: train from scratch on the retain set only (the gold standard every method is measured against).
import { z } from 'zod';
import { fitHead } from '../../models/analytic/fit.ts';
import { buildModel } from '../../models/registry.ts';
import { train } from '../../train/train.ts';
import type { Model } from '../../models/layers.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';

export const retrain = defineMethod({
  name: 'retrain',
  kind: 'exact',
  accepts: ['single', 'analytic'],
  summary: "train a fresh model on the retain set with the original's recipe (analytic: refit the head, same features)",
  paper: 'the exact baseline of every unlearning paper (e.g. Bourtoule et al., S&P 2021)',
  params: z.object({
    epochs: z.number().int().min(1).max(1000).optional().describe("epochs (default: the original's)"),
  }).strict(),
  async run(ctx, p) {
    const { meta } = ctx;
    if (meta.kind === 'analytic') return refitHead(ctx);
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

/** An analytic original's reference: the same random features (dim and seed), a ridge head fitted from scratch on the retain set. */
async function refitHead(ctx: UnlearnContext): Promise<Model> {
  const { meta } = ctx;
  if (!meta.head) throw new Error(`retrain: the analytic checkpoint ${meta.id} records no head`);
  const model = buildModel(meta.arch, meta.inputShape, meta.numClasses, meta.head.featureSeed);
  try {
    await fitHead(model, ctx.retain, meta.head.dim, meta.head.gamma, { signal: ctx.signal, onProgress: ctx.onProgress, phase: 'retrain' });
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}
