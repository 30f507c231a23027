// Selective Synaptic Dampening: Foster, Schoepf & Brintrup, "Fast Machine Unlearning Without Retraining Through Selective Synaptic Dampening", AAAI 2024.
import { z } from 'zod';
import type { Subset } from '../../data/dataset.ts';
import type { Model } from '../../models/layers.ts';
import { batchIndices, crossEntropy, editCopy, loop, makeBatch, tfc } from '../kit.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';

/**
 * The reference's diagonal Fisher: the squared gradient of each mini-batch's mean loss, averaged over the
 * batches (inference mode, as the reference's `model.eval()`). The batches are class-pure, in label order:
 * that is what the reference's class-grouped data sets yield, and it makes imp_D weigh every class's own
 * gradient rather than the near-zero mean gradient of mixed batches of a trained model.
 */
async function importance(ctx: UnlearnContext, model: Model, vars: tfc.Variable[], data: Subset, batchSize: number, phase: string): Promise<tfc.Tensor[]> {
  const order = Int32Array.from({ length: data.y.length }, (_, i) => i).sort((a, b) => data.y[a] - data.y[b] || a - b);
  const batches = [...batchIndices(order, batchSize)];
  let sums: tfc.Tensor[] = vars.map((v) => tfc.zerosLike(v));
  try {
    await loop(ctx, phase, batches.length, (i) => {
      const { loss, next } = tfc.tidy(() => {
        const b = makeBatch(data, batches[i]);
        const { value, grads } = tfc.variableGrads(() => crossEntropy(model.apply(b.x, { training: false }) as tfc.Tensor, b.y), vars);
        return { loss: value.dataSync()[0], next: vars.map((v, j) => tfc.add(sums[j], tfc.square(grads[v.name]))) };
      });
      sums.forEach((s) => s.dispose());
      sums = next;
      return loss;
    });
    return sums.map((s) => tfc.div(s, batches.length));
  } finally {
    sums.forEach((s) => s.dispose());
  }
}

/** The ratio imp_forget / imp_retain above which the top `fraction` of all parameters lie (ties aside). */
export function quantileThreshold(impF: tfc.Tensor[], impR: tfc.Tensor[], fraction: number): number {
  const parts = impF.map((f, j) => tfc.tidy(() => tfc.div(f, tfc.maximum(impR[j], 1e-30)).dataSync() as Float32Array));
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  // Selection is strict (ratio > threshold): the threshold is the largest ratio left out.
  const keep = Math.max(1, Math.floor(fraction * all.length));
  return keep >= all.length ? 0 : all[all.length - keep - 1];
}

export const ssd = defineMethod({
  name: 'ssd',
  kind: 'approximate',
  accepts: ['single'],
  summary: 'dampen the weights far more important (diagonal Fisher) to the forget set than to the retained data; no retraining',
  paper: 'Foster, Schoepf & Brintrup, "Fast Machine Unlearning Without Retraining Through Selective Synaptic Dampening", AAAI 2024',
  params: z.object({
    select: z.number().gt(0).max(0.5).default(0.05)
      .describe('share of parameters selected: those with the highest imp_forget / imp_retain (α is set per request to that quantile)'),
    alpha: z.number().min(0).max(1e6).optional()
      .describe("fixed selection weighting α instead of `select`: dampen where imp_forget > α·imp_retain (the paper: α=10 against imp_D)"),
    lambda: z.number().gt(0).max(100).default(1)
      .describe('dampening constant λ: a selected weight is multiplied by min(λ·imp_retain / imp_forget, 1)'),
    batchSize: z.number().int().min(1).max(4096).default(64)
      .describe('mini-batch size of the importance estimate (it is a mean squared batch gradient, so it depends on it)'),
  }).strict(),
  search: {
    select: { low: 0.005, high: 0.3, log: true },
    lambda: { low: 0.1, high: 10, log: true },
  },
  run: (ctx, p) =>
    editCopy(ctx, async (model, vars) => {
      const owned: tfc.Tensor[] = [];
      try {
        const impF = await importance(ctx, model, vars, ctx.forget, p.batchSize, 'ssd:forget');
        owned.push(...impF);
        // The reference's D is retain ∪ forget. Its imp_D holds the forget set's own share, which caps
        // imp_forget/imp_D at |D|/|forget| (10 for one class of ten): the paper's α=10 could never select a
        // weight there. Comparing with the retained data alone is the same rule where the forget set is a
        // small share of D (all of the paper's experiments) and stays meaningful where it is not.
        const impR = await importance(ctx, model, vars, ctx.retain, p.batchSize, 'ssd:retain');
        owned.push(...impR);
        const alpha = p.alpha ?? quantileThreshold(impF, impR, p.select);
        tfc.tidy(() => {
          vars.forEach((v, j) => {
            const selected = tfc.greater(impF[j], tfc.mul(impR[j], alpha));
            // β = min(λ·imp_R / imp_F, 1) never grows a weight; imp_F > 0 wherever a weight is selected.
            const beta = tfc.minimum(tfc.div(tfc.mul(impR[j], p.lambda), tfc.maximum(impF[j], 1e-30)), 1);
            v.assign(tfc.where(selected, tfc.mul(v, beta), v));
          });
        });
      } finally {
        owned.forEach((t) => t.dispose());
      }
    }),
});
