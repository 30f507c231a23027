// CF-k ("catastrophic forgetting" of the last k layers): Goel, Prabhu, Sanyal, Lim, Torr & Kumaraguru, "Towards
// Adversarial Evaluation of Approximate Unlearning", 2022 (arXiv 2201.06640).
import { z } from 'zod';
import type { Model } from '../../models/layers.ts';
import { batchStream, fitLoss, forwardTrain, loop, step, tfc, tuneCopy } from '../kit.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';
import { EVERY_TASK } from '../../data/tasks.ts';

type Layer = Model['layers'][number];

/**
 * The last `k` layers of `model` that hold trainable weights (a dense or conv layer's kernel and bias count as one
 * layer, a batch norm's scale and shift as one), in graph order; all of them when the model has fewer.
 */
export function lastLayers(model: Model, k: number): Layer[] {
  const withWeights = model.layers.filter((l) => l.trainableWeights.length > 0);
  return withWeights.slice(Math.max(0, withWeights.length - k));
}

/** The trainable variables of `layers`: the only ones the optimizer is handed, so every other layer stays frozen. */
export const varsOf = (layers: Layer[]): tfc.Variable[] => layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tfc.Variable));

/** The parameters CF-k and EU-k share. */
/** What lethe tune searches for cf-k and eu-k alike. */
export const lastKSearch = {
  k: { low: 1, high: 3, int: true },
  steps: { low: 20, high: 400, log: true, int: true },
  lr: { low: 1e-4, high: 1e-2, log: true },
};

export const lastKParams = (steps: number, lr: number) => z.object({
  k: z.number().int().min(1).max(1000).default(1)
    .describe('how many of the last layers with weights to train (1: the output layer); more than the model has: all'),
  steps: z.number().int().min(1).max(100_000).default(steps).describe('optimizer steps on retain batches'),
  lr: z.number().gt(0).max(1).default(lr).describe('Adam learning rate'),
  batchSize: z.number().int().min(1).max(4096).default(128),
}).strict();

/**
 * Trains only `layers` of `model` (a copy of the original) for `steps` Adam steps on retain batches. Training mode
 * runs every batch norm on batch statistics and updates its averages, the frozen layers' too; those are copied back
 * from the original afterwards, so a frozen layer leaves exactly as it came.
 */
export async function trainLast(
  ctx: UnlearnContext, model: Model, layers: Layer[], opt: tfc.Optimizer, p: { steps: number; batchSize: number }, phase: string,
) {
  const train = new Set(layers);
  const vars = varsOf(layers);
  const retain = batchStream(ctx.retain, p.batchSize, ctx.seed, 'retain');
  await loop(ctx, phase, p.steps, () =>
    tfc.tidy(() => {
      const b = retain.next();
      return step(opt, vars, () => fitLoss(forwardTrain(model, b.x), b.y));
    }));
  model.layers.forEach((l, i) => {
    if (!train.has(l) && l.nonTrainableWeights.length > 0) l.setWeights(ctx.original.layers[i].getWeights());
  });
}

export const cfK = defineMethod({
  name: 'cf-k',
  kind: 'approximate',
  accepts: ['single'],
  tasks: EVERY_TASK,
  summary: 'fine-tune only the last k layers on the retain set, every earlier layer frozen',
  paper: 'Goel, Prabhu, Sanyal, Lim, Torr & Kumaraguru, "Towards Adversarial Evaluation of Approximate Unlearning" (CF-k), arXiv 2201.06640, 2022',
  params: lastKParams(100, 3e-3),
  search: lastKSearch,
  // Goel et al. fine-tune the last k layers of a ResNet for 1000 iterations, a quarter of the original's training.
  // The budget here is in steps, as the other methods' (README, "How the defaults were tuned"): on the tuning split
  // every mix of 50–400 steps and lr 1e-3 or 3e-3 scored within 2.3–2.5 mean gap to retraining (random forgetting
  // barely moves: the last layer alone cannot unlearn what the features memorised), while class forgetting on the
  // 4,000-image base left 3% of the class at 50 steps and lr 1e-3; 100 steps at 3e-3 leave none (0.5 gap).
  // k = 1, the output layer: the paper's smallest k, and the only layer of an MLP that is class-specific.
  run: (ctx, p) =>
    tuneCopy(ctx, p.lr, (model, _vars, opt) => trainLast(ctx, model, lastLayers(model, p.k), opt, p, 'cf-k')),
});
