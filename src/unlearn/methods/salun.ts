// SalUn: Fan et al., "SalUn: Empowering Machine Unlearning via Gradient-based Weight Saliency", ICLR 2024.
import { z } from 'zod';
import type { Model } from '../../models/layers.ts';
import type { Grads } from '../../train/step.ts';
import { batchStream, loop, stepsFor, tfc, trainableVars, tuneCopy } from '../kit.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';
import { randomLabelParams, trainRandomLabels } from './rl.ts';

/**
 * Weight saliency: |∇θ of the forget set's total cross-entropy|, one flat array per trainable variable.
 * Computed in inference mode (batch norm frozen), as SalUn's generate_mask.py does with model.eval().
 */
export async function forgetSaliency(ctx: UnlearnContext, model: Model, batchSize: number): Promise<Float32Array[]> {
  const vars = trainableVars(model);
  const forget = batchStream(ctx.forget, batchSize, ctx.seed, 'saliency');
  const k = ctx.meta.numClasses;
  let sums: tfc.Tensor[] = vars.map((v) => tfc.zerosLike(v));
  try {
    await loop(ctx, 'salun:saliency', stepsFor(ctx.forget.y.length, batchSize), () => {
      const next = tfc.tidy(() => {
        const b = forget.next();
        const { value, grads } = tfc.variableGrads(() => tfc.losses.softmaxCrossEntropy(
          tfc.oneHot(b.y, k), model.apply(b.x, { training: false }) as tfc.Tensor, undefined, 0, tfc.Reduction.SUM,
        ) as tfc.Scalar, vars);
        value.dispose();
        return vars.map((v, i) => tfc.add(sums[i], grads[v.name]));
      });
      tfc.dispose(sums);
      sums = next;
      return 0;
    });
    return sums.map((s) => tfc.tidy(() => tfc.abs(s).dataSync() as Float32Array));
  } finally {
    tfc.dispose(sums);
  }
}

/**
 * 0/1 masks keeping exactly round(ratio · n) of all n weights, the most salient ones, with one threshold
 * over every layer at once (SalUn ranks the concatenation of all gradients, not each layer apart).
 * Ties at the threshold go to the earlier weight, so the count is exact and the result deterministic.
 */
export function topFractionMask(saliency: Float32Array[], ratio: number): Uint8Array[] {
  const n = saliency.reduce((a, s) => a + s.length, 0);
  const keep = Math.round(ratio * n);
  const masks = saliency.map((s) => new Uint8Array(s.length));
  if (keep === 0) return masks;
  const all = new Float32Array(n);
  let at = 0;
  for (const s of saliency) {
    all.set(s, at);
    at += s.length;
  }
  const threshold = all.sort()[n - keep];
  let above = 0;
  saliency.forEach((s, j) => s.forEach((v, i) => {
    if (v > threshold) {
      masks[j][i] = 1;
      above++;
    }
  }));
  let ties = keep - above;
  saliency.forEach((s, j) => s.forEach((v, i) => {
    if (ties > 0 && v === threshold) {
      masks[j][i] = 1;
      ties--;
    }
  }));
  return masks;
}

export const salun = defineMethod({
  name: 'salun',
  kind: 'approximate',
  accepts: ['single'],
  summary: 'random-label unlearning that only updates the weights most salient to the forget loss',
  paper: 'Fan et al., "SalUn: Empowering Machine Unlearning via Gradient-based Weight Saliency", ICLR 2024',
  params: z.object({
    ratio: z.number().gt(0).max(1).default(0.5).describe('fraction of all weights that may change: the most salient, one threshold over all layers'),
    ...randomLabelParams,
  }).strict(),
  search: {
    ratio: { low: 0.1, high: 0.9 },
    steps: { low: 16, high: 320, log: true, int: true },
    lr: { low: 1e-4, high: 1e-2, log: true },
    forgetShare: { low: 0.01, high: 0.5, log: true },
  },
  run: (ctx, p) =>
    tuneCopy(ctx, p.lr, async (model, vars, opt) => {
      const mask: Grads = {};
      try {
        const masks = topFractionMask(await forgetSaliency(ctx, model, p.batchSize), p.ratio);
        vars.forEach((v, i) => {
          mask[v.name] = tfc.tensor(masks[i], v.shape, 'float32');
        });
        await trainRandomLabels(ctx, model, vars, opt, p, 'salun', mask);
      } finally {
        tfc.dispose(Object.values(mask));
      }
    }),
});
