// LAF: Shen, Zhang, Zhao, Bialkowski, Chen & Xu, "Label-Agnostic Forgetting: A Supervision-Free Unlearning in Deep Models", ICLR 2024.
//
// Follows the authors' code (ShaofeiShen768/LAF, VUnlearning.py, Train.py, Model.py): two VAEs learn the original's
// embeddings of the whole training set (s) and of the forget set (u); then, per step, an extractor-unlearning step
// keeps retain embeddings where s reconstructs them and pushes forget embeddings off u's manifold (L_UE), and a
// representation-alignment step pulls retain embeddings towards the frozen original's and forget ones away (L_RA).
// No step reads a label: only `x` of the forget and retain sets is touched (the optional classifier repair, off by
// default, is the paper's semi-supervised variant and reads retain labels).
import { z } from 'zod';
import type { Subset } from '../../data/dataset.ts';
import type { Model } from '../../models/layers.ts';
import { batchStream, crossEntropy, epochOrder, forwardTrain, loop, makeOptimizer, methodRng, penultimateView, step, tfc, tuneCopy } from '../kit.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';

/** The authors' weight of the KL term in the VAE loss. */
const KL_WEIGHT = 0.025;

// ---- the formulas, on tensors (tested against hand-computed values in ./laf.test.ts) ----

/** Per row, the squared reconstruction error summed over the dimensions: r(e) = Σ_d (ê_d − e_d)². */
export const reconstructionErrors = (out: tfc.Tensor, e: tfc.Tensor): tfc.Tensor1D => tfc.sum(tfc.squaredDifference(out, e), 1) as tfc.Tensor1D;

/** The VAE loss of Train.py: Σ(ê − e)²/B + 0.025·(−½ Σ(log(σ² + 1e-8) + 1 − μ² − σ²))/B. */
export function vaeLoss(out: tfc.Tensor, e: tfc.Tensor, mu: tfc.Tensor, sigma: tfc.Tensor): tfc.Scalar {
  const b = e.shape[0]!;
  const mse = tfc.div(tfc.sum(tfc.squaredDifference(out, e)), b);
  const s2 = tfc.square(sigma);
  const kld = tfc.div(tfc.mul(-0.5, tfc.sum(tfc.add(tfc.sub(tfc.add(tfc.log(tfc.add(s2, 1e-8)), 1), tfc.square(mu)), tfc.neg(s2)))), b);
  return tfc.add(mse, tfc.mul(KL_WEIGHT, kld)) as tfc.Scalar;
}

/** L_UE = Σ_remain exp(r_s/(r_s+1)) − Σ_forget exp(r_u/(r_u+1)). */
export function ueLoss(rRemain: tfc.Tensor1D, rForget: tfc.Tensor1D): tfc.Scalar {
  const term = (r: tfc.Tensor) => tfc.sum(tfc.exp(tfc.div(r, tfc.add(r, 1))));
  return tfc.sub(term(rRemain), term(rForget)) as tfc.Scalar;
}

/** Per row, 1 − cos(a, b), with PyTorch's CosineEmbeddingLoss guard (1e-12 added to each squared norm). */
export function cosineDistance(a: tfc.Tensor, b: tfc.Tensor): tfc.Tensor1D {
  const dot = tfc.sum(tfc.mul(a, b), 1);
  const den = tfc.sqrt(tfc.mul(tfc.add(tfc.sum(tfc.square(a), 1), 1e-12), tfc.add(tfc.sum(tfc.square(b), 1), 1e-12)));
  return tfc.sub(1, tfc.div(dot, den)) as tfc.Tensor1D;
}

/**
 * L_RA = Σ_{i∈remain} log(exp(c_i) / Σ_{j∈forget} exp(c_j/T)), c = 1 − cos(e, e_teacher); computed as
 * Σ_i c_i − n_remain·logsumexp(c_f/T), the same number without overflow.
 */
export function raLoss(cRemain: tfc.Tensor1D, cForget: tfc.Tensor1D, temperature: number): tfc.Scalar {
  return tfc.sub(tfc.sum(cRemain), tfc.mul(cRemain.shape[0], tfc.logSumExp(tfc.div(cForget, temperature)))) as tfc.Scalar;
}

// ---- the VAE of Model.py, widths scaled to the embedding ----

interface Dense { w: tfc.Variable; b: tfc.Variable }
export interface Vae { layers: Dense[]; latent: number }

/**
 * Encoder dim→h→32→(μ, log σ²) of `latent`, decoder latent→32→h→dim with a sigmoid output; h = dim/2 (the authors'
 * 256→128→32). Initialised as PyTorch's nn.Linear (uniform ±1/√fan_in, weights and biases), from a seeded stream.
 */
export function makeVae(dim: number, latent: number, random: () => number): Vae {
  const h = Math.max(32, Math.round(dim / 2));
  const shapes: [number, number][] = [[dim, h], [h, 32], [32, latent], [32, latent], [latent, 32], [32, h], [h, dim]];
  const uniform = (n: number, bound: number) => Float32Array.from({ length: n }, () => (2 * random() - 1) * bound);
  const layers = shapes.map(([i, o]) => {
    const bound = 1 / Math.sqrt(i);
    const [w, b] = [uniform(i * o, bound), uniform(o, bound)];
    return tfc.tidy(() => ({ w: tfc.variable(tfc.tensor2d(w, [i, o])), b: tfc.variable(tfc.tensor1d(b)) }));
  });
  return { layers, latent };
}

const vaeVars = (v: Vae) => v.layers.flatMap((l) => [l.w, l.b]);
const dense = (x: tfc.Tensor, l: Dense) => tfc.add(tfc.matMul(x as tfc.Tensor2D, l.w as tfc.Tensor2D), l.b);

/** Standard normal noise for the reparameterisation, from the method's seeded stream (Box–Muller). */
export function normals(n: number, random: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

/** The VAE's forward pass with z = μ + σ·noise: the reconstruction, μ and σ. */
export function vaeForward(v: Vae, e: tfc.Tensor, noise: tfc.Tensor) {
  const [l1, l2, lm, lv, d1, d2, d3] = v.layers;
  const h = tfc.relu(dense(tfc.relu(dense(e, l1)), l2));
  const mu = dense(h, lm);
  const sigma = tfc.exp(tfc.mul(0.5, dense(h, lv)));
  const z = tfc.add(mu, tfc.mul(sigma, noise));
  const out = tfc.sigmoid(dense(tfc.relu(dense(tfc.relu(dense(z, d1)), d2)), d3));
  return { out, mu, sigma };
}

// ---- the method ----

/** Rows `idx` of `data.x` as one input batch. Reads features only: LAF never touches `data.y`. */
function inputs(data: Subset, idx: ArrayLike<number>): tfc.Tensor {
  const d = data.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(idx.length * d);
  for (let i = 0; i < idx.length; i++) x.set(data.x.subarray(idx[i] * d, (idx[i] + 1) * d), i * d);
  return tfc.tensor(x, [idx.length, ...data.inputShape]);
}

/** The embedding (penultimate representation) of a batch, flat, in inference mode (batch norm on its averages). */
const embed = (view: Model, x: tfc.Tensor) => tfc.tidy(() => tfc.reshape(view.apply(x, { training: false }) as tfc.Tensor, [x.shape[0]!, -1]));

/** The original's embeddings of every sample of `data`, row-major. */
function embeddingsOf(view: Model, data: Subset, batch = 256): Float32Array[] {
  const out: Float32Array[] = [];
  for (let s = 0; s < data.ids.length; s += batch) {
    const idx = Int32Array.from({ length: Math.min(batch, data.ids.length - s) }, (_, i) => s + i);
    out.push(tfc.tidy(() => embed(view, inputs(data, idx)).dataSync() as Float32Array));
  }
  return out;
}

// Defaults for Lethe's scale (README, "Known behaviour"): fixed step budgets instead of the authors' epochs (20 over
// the forget set at batch 32, 10 per VAE), so the learning rates are above their 5e-5 (UE) and 1e-4 (RA): at 120
// rounds theirs leave a class in place. 3e-4 each, T = 20 (theirs for class forgetting) and 100 VAE steps were chosen
// on the demo's base against unseen training images as validation; T = 5 or lrUE 1e-3 cost retain accuracy there.
const params = z.object({
  steps: z.number().int().min(1).max(100_000).default(120)
    .describe('unlearning steps, each one L_UE step and one L_RA step on a forget and a retain batch (passes over the forget set repeat)'),
  lrUE: z.number().gt(0).max(1).default(3e-4).describe('Adam learning rate of the extractor-unlearning step (L_UE)'),
  lrRA: z.number().gt(0).max(1).default(3e-4).describe('Adam learning rate of the representation-alignment step (L_RA)'),
  temperature: z.number().gt(0).max(1000).default(20).describe('T of L_RA: how hard forget embeddings are pushed from the original\'s'),
  batchSize: z.number().int().min(1).max(4096).default(32).describe('forget and retain batch size of the unlearning steps'),
  latent: z.number().int().min(1).max(256).default(8).describe('latent size of both VAEs'),
  vaeBatch: z.number().int().min(1).max(4096).default(128).describe('batch size of the VAEs\' training'),
  vaeSteps: z.number().int().min(1).max(100_000).default(100).describe('training steps of each VAE'),
  vaeLr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate of the VAEs'),
  unitScale: z.boolean().default(true)
    .describe('map embeddings to [0, 1] by the original\'s range over the training data before the VAEs (false: raw, as the authors)'),
  repairSteps: z.number().int().min(0).max(100_000).default(0)
    .describe('semi-supervised variant: steps of fine-tuning the output layer on labelled retain batches afterwards (0: off, no label is read)'),
  repairLr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate of the repair'),
}).strict();

type Params = z.infer<typeof params>;

/** Trains `vae` for `vaeSteps` steps on rows of `e` (the original's embeddings, [n, dim]), reshuffled every pass. */
async function trainVae(ctx: UnlearnContext, phase: string, vae: Vae, e: Float32Array, dim: number, p: Params, random: () => number) {
  const n = e.length / dim;
  const batch = Math.min(p.vaeBatch, n);
  const perEpoch = Math.ceil(n / batch);
  const opt = makeOptimizer({ optimizer: 'adam', lr: p.vaeLr });
  const vars = vaeVars(vae);
  let order: Int32Array = new Int32Array(0);
  try {
    await loop(ctx, phase, p.vaeSteps, (i) => {
      if (i % perEpoch === 0) order = epochOrder(n, Math.floor(random() * 2 ** 31));
      const idx = order.subarray((i % perEpoch) * batch, (i % perEpoch + 1) * batch);
      const noise = normals(idx.length * vae.latent, random);
      return tfc.tidy(() => {
        const x = rowsOf(e, dim, idx);
        return step(opt, vars, () => {
          const f = vaeForward(vae, x, tfc.tensor2d(noise, [idx.length, vae.latent]));
          return vaeLoss(f.out, x, f.mu, f.sigma);
        });
      });
    });
  } finally {
    opt.dispose();
  }
}

/** Rows `idx` of the row-major [n, dim] array `e`, as a tensor. */
function rowsOf(e: Float32Array, dim: number, idx: ArrayLike<number>): tfc.Tensor2D {
  const rows = new Float32Array(idx.length * dim);
  for (let k = 0; k < idx.length; k++) rows.set(e.subarray(idx[k] * dim, (idx[k] + 1) * dim), k * dim);
  return tfc.tensor2d(rows, [idx.length, dim]);
}

/** [min, max − min] of `e` (a span of 1 where every value is equal). */
function unitRange(e: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of e) (lo = Math.min(lo, v), (hi = Math.max(hi, v)));
  return [lo, hi > lo ? hi - lo : 1];
}

const concat = (parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};

export const laf = defineMethod({
  name: 'laf',
  kind: 'approximate',
  accepts: ['single'],
  summary: 'label-agnostic: two VAEs of the original\'s embeddings steer the feature extractor to push forget embeddings off their manifold, and a contrastive term keeps retain embeddings aligned with the original\'s; reads no labels',
  paper: 'Shen, Zhang, Zhao, Bialkowski, Chen & Xu, "Label-Agnostic Forgetting: A Supervision-Free Unlearning in Deep Models", ICLR 2024',
  params,
  search: {
    steps: { low: 20, high: 600, log: true, int: true },
    lrUE: { low: 1e-5, high: 1e-3, log: true },
    lrRA: { low: 1e-5, high: 1e-3, log: true },
    temperature: { low: 1, high: 50, log: true },
  },
  run: (ctx, p) =>
    tuneCopy(ctx, p.lrUE, async (model, vars, optUE) => {
      const random = methodRng(ctx, 'laf');
      const teacher = penultimateView(ctx.original);
      const student = penultimateView(model);
      // The whole training set is the retain set and the forget set together; the VAEs see only embeddings.
      // The teacher (the original, never trained) is read once: its embeddings train the VAEs and are the targets of
      // the alignment step.
      const eForget = concat(embeddingsOf(teacher, ctx.forget));
      const eRetain = concat(embeddingsOf(teacher, ctx.retain));
      const eAll = concat([eRetain, eForget]);
      const dim = eForget.length / ctx.forget.ids.length;
      // The decoder ends in a sigmoid, so it can only reconstruct values in [0, 1]; our penultimate layers are ReLU
      // outputs up to ~10, where r is in the hundreds and exp(r/(r+1)) is flat (its gradient ~1/r²). One affine map,
      // fixed from the original's embeddings, puts them where the VAEs can model them; cosines are unaffected.
      const [lo, span] = p.unitScale ? unitRange(eAll) : [0, 1];
      const toUnit = (e: Float32Array) => (p.unitScale ? Float32Array.from(e, (v) => (v - lo) / span) : e);
      const unit = (e: tfc.Tensor) => (p.unitScale ? tfc.div(tfc.sub(e, lo), span) : e);
      const sVae = makeVae(dim, p.latent, random);
      const uVae = makeVae(dim, p.latent, random);
      const optRA = makeOptimizer({ optimizer: 'adam', lr: p.lrRA });
      try {
        await trainVae(ctx, 'laf:s-vae', sVae, toUnit(eAll), dim, p, random);
        await trainVae(ctx, 'laf:u-vae', uVae, toUnit(eForget), dim, p, random);
        // Passes over the forget set, reshuffled each time, its last batch short as the authors' loader's; the retain
        // batches run on beside them (the authors zip the two loaders: an epoch is a pass over the forget set).
        const nf = ctx.forget.ids.length;
        const batch = Math.min(p.batchSize, nf, ctx.retain.ids.length);
        const perEpoch = Math.ceil(nf / batch);
        const retain = batchStream(ctx.retain, batch, ctx.seed, 'laf:retain');
        let order: Int32Array = new Int32Array(0);
        await loop(ctx, 'laf', p.steps, (i) => {
          if (i % perEpoch === 0) order = epochOrder(nf, Math.floor(random() * 2 ** 31));
          const fIdx = order.subarray((i % perEpoch) * batch, (i % perEpoch + 1) * batch);
          const rIdx = retain.nextIndex();
          const noiseR = normals(rIdx.length * p.latent, random);
          const noiseF = normals(fIdx.length * p.latent, random);
          return tfc.tidy(() => {
            const xf = inputs(ctx.forget, fIdx);
            const xr = inputs(ctx.retain, rIdx);
            const nR = tfc.tensor2d(noiseR, [rIdx.length, p.latent]);
            const nF = tfc.tensor2d(noiseF, [fIdx.length, p.latent]);
            // a. Extractor unlearning, with both VAEs frozen: only the model's variables are handed to the step (the
            //    output layer gets no gradient from an embedding loss and stays as it was).
            const ue = step(optUE, vars, () => {
              const er = unit(embed(student, xr));
              const ef = unit(embed(student, xf));
              const rs = reconstructionErrors(vaeForward(sVae, er, nR).out, er);
              const ru = reconstructionErrors(vaeForward(uVae, ef, nF).out, ef);
              return ueLoss(rs, ru);
            });
            // b. Representation alignment against the frozen original, after the UE step has moved the model.
            const teacherR = rowsOf(eRetain, dim, rIdx);
            const teacherF = rowsOf(eForget, dim, fIdx);
            const ra = step(optRA, vars, () =>
              raLoss(cosineDistance(embed(student, xr), teacherR), cosineDistance(embed(student, xf), teacherF), p.temperature));
            return ue + ra;
          });
        });
        if (p.repairSteps > 0) await repair(ctx, model, p);
      } finally {
        optRA.dispose();
        vaeVars(sVae).concat(vaeVars(uVae)).forEach((v) => v.dispose());
      }
    }),
});

/**
 * classifier_unlearning of VUnlearning.py, the semi-supervised variant (not part of LAF proper, off by default):
 * fine-tunes only the output layer on retain batches with their labels.
 */
async function repair(ctx: UnlearnContext, model: Model, p: Params) {
  const head = model.outputLayers[0].trainableWeights.map((w) => w.read() as tfc.Variable);
  const opt = makeOptimizer({ optimizer: 'adam', lr: p.repairLr });
  const retain = batchStream(ctx.retain, p.batchSize, ctx.seed, 'laf:repair');
  try {
    await loop(ctx, 'laf:repair', p.repairSteps, () =>
      tfc.tidy(() => {
        const b = retain.next();
        return step(opt, head, () => crossEntropy(forwardTrain(model, b.x), b.y));
      }));
  } finally {
    opt.dispose();
  }
}
