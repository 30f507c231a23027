// Influence unlearning ("IU"): one Newton step with a WoodFisher inverse Hessian — Koh & Liang ICML 2017; Izzo et al. AISTATS 2021; Jia et al. "Model Sparsity Can Simplify Machine Unlearning", NeurIPS 2023.
import { z } from 'zod';
import { subset, type Subset } from '../../data/dataset.ts';
import { shuffle } from '../../shared/random.ts';
import type { Model } from '../../models/layers.ts';
import { batchIndices, crossEntropy, editCopy, epochOrder, loop, makeBatch, methodRng, tfc } from '../kit.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';

/** ∇θ of the mean loss over the rows `index` of `data`, flattened into one vector (inference mode, as the reference's `model.eval()`). */
function flatGrad(model: Model, vars: tfc.Variable[], data: Subset, index: Int32Array): tfc.Tensor1D {
  return tfc.tidy(() => {
    const b = makeBatch(data, index);
    const { grads } = tfc.variableGrads(() => crossEntropy(model.apply(b.x, { training: false }) as tfc.Tensor, b.y), vars);
    return tfc.concat(vars.map((v) => tfc.reshape(grads[v.name], [-1]))) as tfc.Tensor1D;
  });
}

/** Mean gradient over all of `data`. */
async function meanGrad(ctx: UnlearnContext, model: Model, vars: tfc.Variable[], data: Subset, batchSize: number, phase: string): Promise<tfc.Tensor1D> {
  const batches = [...batchIndices(epochOrder(data.y.length, null), batchSize)];
  let sum: tfc.Tensor1D | undefined;
  try {
    await loop(ctx, phase, batches.length, (i) => {
      const g = flatGrad(model, vars, data, batches[i]);
      const next = tfc.tidy(() => (sum ? tfc.add(sum, tfc.mul(g, batches[i].length)) : tfc.mul(g, batches[i].length))) as tfc.Tensor1D;
      g.dispose();
      sum?.dispose();
      sum = next;
      return 0;
    });
  } catch (e) {
    sum?.dispose();
    throw e;
  }
  const s = sum!;
  const mean = tfc.div(s, data.y.length) as tfc.Tensor1D;
  s.dispose();
  return mean;
}

/** One gradient per sample of `data`, as the rows of an m×P matrix. */
async function perSampleGrads(ctx: UnlearnContext, model: Model, vars: tfc.Variable[], data: Subset): Promise<tfc.Tensor2D> {
  const rows: tfc.Tensor1D[] = [];
  try {
    await loop(ctx, 'influence:fisher', data.y.length, (i) => {
      rows.push(flatGrad(model, vars, data, Int32Array.of(i)));
      return 0;
    });
    return tfc.stack(rows) as tfc.Tensor2D;
  } finally {
    rows.forEach((r) => r.dispose());
  }
}

/** Solves the symmetric positive-definite system A·x = b (n×n, row-major) by Cholesky, in double precision. */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('influence: the damped Fisher matrix is not positive definite (raise damping)');
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/**
 * H⁻¹v for the damped empirical Fisher H = λI + (1/m)·GᵀG of m per-sample gradients (the rows of G), by the
 * Woodbury identity: H⁻¹v = (v − Gᵀ(mλI + GGᵀ)⁻¹Gv) / λ. It is what WoodFisher's Sherman–Morrison recursion over
 * the m gradients computes, with an m×m solve instead of m rank-one updates of a P-vector.
 */
export function dampedFisherSolve(g: tfc.Tensor2D, v: tfc.Tensor1D, damping: number): tfc.Tensor1D {
  const [m] = g.shape;
  // An explicit transpose: the wasm backend's matMul with transposeB is several times slower at this shape.
  const gram = tfc.tidy(() => tfc.matMul(g, tfc.transpose(g)));
  const gv = tfc.tidy(() => tfc.reshape(tfc.matMul(g, tfc.reshape(v, [-1, 1])), [-1]));
  const a = Float64Array.from(gram.dataSync());
  const b = Float64Array.from(gv.dataSync());
  gram.dispose();
  gv.dispose();
  for (let i = 0; i < m; i++) a[i * m + i] += m * damping;
  const c = solveSpd(a, b, m);
  return tfc.tidy(() => {
    const gtc = tfc.reshape(tfc.matMul(g, tfc.tensor2d(Float32Array.from(c), [m, 1]), true, false), [-1]);
    return tfc.div(tfc.sub(v, gtc), damping) as tfc.Tensor1D;
  });
}

export const influence = defineMethod({
  name: 'influence',
  kind: 'approximate',
  accepts: ['single'],
  summary: 'one Newton step that removes the forget set\'s first-order influence, with a damped empirical-Fisher (WoodFisher) inverse Hessian',
  paper: 'Koh & Liang, ICML 2017; Izzo et al., AISTATS 2021; the IU baseline of Jia et al., "Model Sparsity Can Simplify Machine Unlearning", NeurIPS 2023',
  params: z.object({
    alpha: z.number().min(0).max(1e6).default(20).describe('scale of the Newton step θ ← θ + α·H⁻¹·(n_f/n)·(∇L_forget − ∇L_retain)'),
    trust: z.number().gt(0).max(10).default(0.02)
      .describe('trust radius: the step is shortened to at most this share of the parameter norm ‖θ‖'),
    damping: z.number().min(1e-8).max(1e4).default(1).describe('λ added to the empirical Fisher diagonal'),
    fisherSamples: z.number().int().min(1).max(512).default(128)
      .describe('per-sample retain gradients in the Fisher (memory: this × parameter count × 4 bytes)'),
    retainSamples: z.number().int().min(1).max(1_000_000).default(8192)
      .describe('retain samples (seeded subsample) for the mean retain gradient'),
    batchSize: z.number().int().min(1).max(4096).default(256).describe('mini-batch size for the mean gradients'),
  }).strict(),
  search: {
    alpha: { low: 1, high: 200, log: true },
    trust: { low: 0.005, high: 0.1, log: true },
    damping: { low: 0.01, high: 100, log: true },
  },
  run: (ctx, p) =>
    editCopy(ctx, async (model, vars) => {
      const order = shuffle(Int32Array.from(ctx.retain.ids), methodRng(ctx, 'influence:retain'));
      const retain = subset(ctx.dataset, order.subarray(0, Math.min(p.retainSamples, order.length)));
      const fisher = subset(ctx.dataset, shuffle(Int32Array.from(ctx.retain.ids), methodRng(ctx, 'influence:fisher')).subarray(0, Math.min(p.fisherSamples, order.length)));
      const owned: tfc.Tensor[] = [];
      try {
        const gf = await meanGrad(ctx, model, vars, ctx.forget, p.batchSize, 'influence:forget');
        owned.push(gf);
        const gr = await meanGrad(ctx, model, vars, retain, p.batchSize, 'influence:retain');
        owned.push(gr);
        // The reference's right-hand side: (n_f/n)·(mean forget gradient − mean retain gradient). At a minimum of the
        // full loss this equals −∇L_retain, so the step is Newton's step on the retain loss.
        const nf = ctx.forget.y.length;
        const n = nf + ctx.retain.y.length;
        const v = tfc.tidy(() => tfc.mul(tfc.sub(gf, gr), nf / n)) as tfc.Tensor1D;
        owned.push(v);
        const g = await perSampleGrads(ctx, model, vars, fisher);
        owned.push(g);
        const h = dampedFisherSolve(g, v, p.damping);
        owned.push(h);
        // Removing the forget samples' influence moves along +H⁻¹∇L_forget (the loss on them goes up). The
        // quadratic model behind the Newton step is only trusted near θ: the step is shortened to at most
        // `trust`·‖θ‖ (a whole class's gradient otherwise throws the model far outside it).
        const thetaNorm = Math.sqrt(vars.reduce((s, w) => s + tfc.tidy(() => tfc.sum(tfc.square(w)).dataSync()[0]), 0));
        const stepNorm = p.alpha * tfc.tidy(() => tfc.norm(h).dataSync()[0]);
        const scale = stepNorm > p.trust * thetaNorm ? (p.alpha * p.trust * thetaNorm) / stepNorm : p.alpha;
        tfc.tidy(() => {
          let at = 0;
          for (const w of vars) {
            w.assign(tfc.add(w, tfc.mul(tfc.reshape(tfc.slice(h, [at], [w.size]), w.shape), scale)));
            at += w.size;
          }
        });
      } finally {
        owned.forEach((t) => t.dispose());
      }
    }),
});
