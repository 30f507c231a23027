// Gradient ascent on the forget set ("NegGrad"): Thudi et al., "Unrolling SGD: Understanding Factors Influencing Machine Unlearning", EuroS&P 2022.
import { z } from 'zod';
import { batchStream, forwardTrain, loop, samStep, step, tfc, tuneCopy } from '../kit.ts';
import { defineMethod } from '../method.ts';
import { sharpnessParam } from '../sharpness.ts';
import { EVERY_TASK } from '../../data/tasks.ts';

/**
 * The loss that gradient ascent maximises: mean per-sample cross-entropy, each sample's term capped
 * at `cap`. Plain −CE is unbounded below, so ascent would drive logits (and the weights) to infinity;
 * with the cap a sample stops pushing (its gradient is zero) once it is predicted worse than `cap`.
 */
export function cappedCrossEntropy(logits: tfc.Tensor, labels: tfc.Tensor1D, cap: number): tfc.Scalar {
  const k = logits.shape[logits.shape.length - 1]!;
  const perSample = tfc.losses.softmaxCrossEntropy(tfc.oneHot(labels, k), logits, undefined, 0, tfc.Reduction.NONE);
  return tfc.mean(tfc.minimum(perSample, cap));
}

/**
 * cappedCrossEntropy for class labels; for a regressor's (float32) targets the per-sample squared error, in units of
 * the target's train variance, capped the same way (cap 1: stop once a sample is predicted a standard deviation off).
 */
export function cappedFitLoss(outputs: tfc.Tensor, y: tfc.Tensor1D, cap: number): tfc.Scalar {
  if (y.dtype !== 'float32') return cappedCrossEntropy(outputs, y, cap);
  return tfc.mean(tfc.minimum(tfc.square(tfc.sub(tfc.reshape(outputs, [-1]), y)), cap));
}

// Unlearn-Sparse/SalUn run plain −CE (SGD, lr 1e-4, 5 epochs) and rely on the short run to stay finite.
// A cap of 1 nat bounds the objective outright, so more steps cost little once the forget set is gone.
export const lossCapParam = z.number().gt(0).max(50).default(1)
  .describe('stop ascending on a sample once its cross-entropy exceeds this (nats; 1 = true class below 37%)');

export const ga = defineMethod({
  name: 'ga',
  kind: 'approximate',
  accepts: ['single'],
  tasks: EVERY_TASK,
  summary: 'gradient ascent on the forget set: raise its loss until it is no longer fitted',
  paper: 'Thudi et al., "Unrolling SGD: Understanding Factors Influencing Machine Unlearning", EuroS&P 2022',
  params: z.object({
    steps: z.number().int().min(1).max(100_000).default(48).describe('optimizer steps on forget batches'),
    lr: z.number().gt(0).max(1).default(5e-5).describe('Adam learning rate'),
    batchSize: z.number().int().min(1).max(4096).default(128),
    lossCap: lossCapParam,
    sharpness: sharpnessParam,
  }).strict(),
  search: {
    steps: { low: 8, high: 256, log: true, int: true },
    lr: { low: 1e-5, high: 1e-3, log: true },
    lossCap: { low: 0.25, high: 5, log: true },
  },
  // Budgets are steps, not epochs, so one default serves a 400-sample and a 6000-sample forget set.
  // 48 steps at 5e-5 is the least that forgot every Fashion-MNIST class tried, on both MLPs; it costs
  // the other classes 0–8 points, and on random forgetting it takes retain accuracy down with forget
  // accuracy (no retain data holds the rest in place). The README has the numbers.
  run: (ctx, p) =>
    tuneCopy(ctx, p.lr, async (model, vars, opt) => {
      const forget = batchStream(ctx.forget, p.batchSize, ctx.seed, 'forget');
      await loop(ctx, 'ga', p.steps, () =>
        tfc.tidy(() => {
          const b = forget.next();
          const loss = () => tfc.neg(cappedFitLoss(forwardTrain(model, b.x), b.y, p.lossCap));
          return -(p.sharpness > 0 ? samStep(opt, vars, loss, undefined, p.sharpness) : step(opt, vars, loss));
        }));
    }),
});
