// Random labels: Golatkar et al., "Eternal Sunshine of the Spotless Net", CVPR 2020 (the "RL" baseline of Unlearn-Sparse and SalUn).
import { z } from 'zod';
import type { Model } from '../../models/layers.ts';
import type { Grads } from '../../train/step.ts';
import { batchStream, crossEntropy, forwardTrain, loop, makeBatch, methodRng, randomOtherLabels, step, tfc, tuneCopy } from '../kit.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';

export const randomLabelParams = {
  steps: z.number().int().min(1).max(100_000).default(80).describe('optimizer steps, each on one mixed forget/retain batch'),
  lr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate'),
  batchSize: z.number().int().min(2).max(4096).default(128),
  forgetShare: z.number().gt(0).lt(1).default(0.35).describe('fraction of each batch drawn from the forget set'),
};

export interface RandomLabelOptions {
  steps: number;
  batchSize: number;
  forgetShare: number;
}

/**
 * Trains `model` in place on forget ∪ retain with every forget sample relabelled to a random wrong class
 * (drawn afresh for every batch). Each batch takes a fixed share from the forget set. SalUn's code instead
 * concatenates and shuffles the two sets, i.e. the forget set's natural share (10% for a 10% request); at
 * a budget of tens of steps that left random-forget samples almost untouched. For class forgetting nothing
 * in the retain set contests the random labels, so the class goes; for random forgetting the retain set
 * pulls look-alike samples back, so forget accuracy settles near test accuracy instead of 0.
 * `mask` (0/1 per variable name) freezes the weights where it is 0.
 */
export async function trainRandomLabels(
  ctx: UnlearnContext, model: Model, vars: tfc.Variable[], opt: tfc.Optimizer, p: RandomLabelOptions, phase: string, mask?: Grads,
) {
  const nf = ctx.forget.y.length;
  const fromForget = Math.min(nf, p.batchSize - 1, Math.max(1, Math.round(p.batchSize * p.forgetShare)));
  const forget = batchStream(ctx.forget, fromForget, ctx.seed, 'forget');
  const retain = batchStream(ctx.retain, p.batchSize - fromForget, ctx.seed, 'retain');
  const random = methodRng(ctx, 'labels');
  const k = ctx.meta.numClasses;
  // Zero gradients keep Adam's moments at zero, so masked weights never move (no weight decay here).
  const masked = mask && ((grads: Grads) => {
    const out: Grads = {};
    for (const [name, g] of Object.entries(grads)) out[name] = mask[name] ? tfc.mul(g, mask[name]) : g;
    return out;
  });
  await loop(ctx, phase, p.steps, () =>
    tfc.tidy(() => {
      const fi = forget.nextIndex();
      const f = makeBatch(ctx.forget, fi);
      const wrong = randomOtherLabels(Int32Array.from(fi, (i) => ctx.forget.y[i]), k, random);
      const r = retain.next();
      const x = tfc.concat([f.x, r.x]);
      const y = tfc.concat([tfc.tensor1d(wrong, 'int32'), r.y]) as tfc.Tensor1D;
      return step(opt, vars, () => crossEntropy(forwardTrain(model, x), y), masked);
    }));
}

export const rl = defineMethod({
  name: 'rl',
  kind: 'approximate',
  accepts: ['single'],
  summary: 'fine-tune on the retain set together with the forget set relabelled to random wrong classes',
  paper: 'Golatkar et al., "Eternal Sunshine of the Spotless Net: Selective Forgetting in Deep Networks", CVPR 2020',
  params: z.object(randomLabelParams).strict(),
  search: {
    steps: { low: 16, high: 320, log: true, int: true },
    lr: { low: 1e-4, high: 1e-2, log: true },
    forgetShare: { low: 0.01, high: 0.5, log: true },
  },
  run: (ctx, p) => tuneCopy(ctx, p.lr, (model, vars, opt) => trainRandomLabels(ctx, model, vars, opt, p, 'rl')),
});
