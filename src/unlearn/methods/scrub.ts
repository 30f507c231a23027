// SCRUB: Kurmanji, Triantafillou, Hayes & Triantafillou, "Towards Unbounded Machine Unlearning", NeurIPS 2023.
import { z } from 'zod';
import { batchStream, crossEntropy, distillKL, forwardTrain, loop, samStep, softTargets, step, stepsFor, tfc, tuneCopy } from '../kit.ts';
import { defineMethod } from '../method.ts';
import { sharpnessParam } from '../sharpness.ts';

export const scrub = defineMethod({
  name: 'scrub',
  kind: 'approximate',
  accepts: ['single'],
  summary: 'student-teacher: move away from the original on the forget set (max-steps) while staying close to it on the retain set (min-steps)',
  paper: 'Kurmanji, Triantafillou, Hayes & Triantafillou, "Towards Unbounded Machine Unlearning", NeurIPS 2023',
  params: z.object({
    epochs: z.number().int().min(1).max(50).default(3)
      .describe('rounds; each is a max-pass over the forget set (first `msteps` rounds only), then min-steps on the retain set'),
    msteps: z.number().int().min(0).max(50).default(2).describe('rounds that begin with a max-pass over the forget set'),
    retainSteps: z.number().int().min(1).max(100_000).default(30)
      .describe('min-steps per round: one pass over the retain set, capped at this many steps'),
    alpha: z.number().min(0).max(100).default(0.5).describe('weight of KL(teacher ‖ student) on retain in the min-step'),
    gamma: z.number().min(0).max(100).default(1).describe('weight of cross-entropy on retain in the min-step'),
    temperature: z.number().gt(0).max(100).default(1)
      .describe('distillation temperature (above 1, a max-step can raise the KL by sharpening instead of forgetting)'),
    lr: z.number().gt(0).max(1).default(3.5e-4).describe('Adam learning rate'),
    forgetSteps: z.number().int().min(1).max(10_000).default(7)
      .describe('max-steps per max-pass: the forget set is split into this many batches, whatever its size'),
    retainBatch: z.number().int().min(1).max(4096).default(256).describe('mini-batch size of the min-steps'),
    sharpness: sharpnessParam,
  }).strict(),
  search: {
    epochs: { low: 1, high: 6, int: true },
    retainSteps: { low: 10, high: 120, log: true, int: true },
    alpha: { low: 0.05, high: 5, log: true },
    lr: { low: 5e-5, high: 2e-3, log: true },
  },
  run: (ctx, p) =>
    tuneCopy(ctx, p.lr, async (student, vars, opt) => {
      const nf = ctx.forget.y.length;
      const forgetBatch = Math.ceil(nf / Math.min(p.forgetSteps, nf));
      const forget = batchStream(ctx.forget, forgetBatch, ctx.seed, 'scrub:forget');
      const retain = batchStream(ctx.retain, p.retainBatch, ctx.seed, 'scrub:retain');
      const maxPass = stepsFor(nf, forgetBatch);
      const minSteps = Math.min(stepsFor(ctx.retain.y.length, p.retainBatch), p.retainSteps);
      // The schedule up front: true = max-step on a forget batch, false = min-step on a retain batch.
      const plan: boolean[] = [];
      for (let e = 0; e < p.epochs; e++) {
        if (e < p.msteps) for (let i = 0; i < maxPass; i++) plan.push(true);
        for (let i = 0; i < minSteps; i++) plan.push(false);
      }
      const T = p.temperature;
      await loop(ctx, 'scrub', plan.length, (i) =>
        tfc.tidy(() => {
          const b = (plan[i] ? forget : retain).next();
          // The teacher (the original, in inference mode) is evaluated outside the gradient: it is never trained.
          const target = softTargets(ctx.original, b.x, T);
          const ascent = () => tfc.neg(distillKL(forwardTrain(student, b.x), target, T));
          if (plan[i]) return -(p.sharpness > 0 ? samStep(opt, vars, ascent, undefined, p.sharpness) : step(opt, vars, ascent));
          return step(opt, vars, () => {
            const logits = forwardTrain(student, b.x);
            return tfc.add(tfc.mul(p.gamma, crossEntropy(logits, b.y)), tfc.mul(p.alpha, distillKL(logits, target, T))) as tfc.Scalar;
          });
        }));
    }),
});
