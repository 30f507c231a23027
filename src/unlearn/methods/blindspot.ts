// Blindspot unlearning: Tarun, Chundawat, Mandal & Kankanhalli, "Deep Regression Unlearning", ICML 2023 (after the
// authors' unlearn.py: forget_loss, fit_one_forget_cycle). Made for regression; it runs on classifiers too, the
// proxy's logits taking the place of its predictions (papers.md §6c).
//
// 1. A "blindspot" proxy: a fresh model of the original's architecture trained briefly (2 epochs, Adam lr 0.01, L1
//    loss) on the retain set only, so it has never seen the forget set.
// 2. A copy of the original is fine-tuned for one epoch over the forget set and the retain set mixed. On a batch with
//    a share q of forget samples the loss is q·L_forget + (1 − q)·L_retain, where L_retain is the training loss on
//    the true targets (L1 for a regressor, cross-entropy for a classifier) and L_forget = L1(outputs, proxy's outputs)
//    + β·Σ_layers mean((A(h) − A(h_proxy))²), A(h) the L2-normalised map of h² (channel-mean of h² for a
//    convolution; h² itself for a dense layer): attention transfer of the proxy's hidden representations.
import { z } from 'zod';
import { subset } from '../../data/dataset.ts';
import { EVERY_TASK } from '../../data/tasks.ts';
import type { Model } from '../../models/layers.ts';
import { shuffle } from '../../shared/random.ts';
import { absoluteError, batchStream, buildModel, crossEntropy, forwardTrain, hiddenView, loop, makeOptimizer, methodRng, step, stepsFor, tfc, trainableVars, tuneCopy } from '../kit.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';

/** The attention map of a layer's output: h² (channel-mean for a feature map), flattened per sample, L2-normalised. */
export function attentionMap(h: tfc.Tensor): tfc.Tensor2D {
  return tfc.tidy(() => {
    const sq = tfc.square(h);
    const map = tfc.reshape(h.rank === 4 ? tfc.mean(sq, -1) : sq, [h.shape[0]!, -1]);
    return tfc.div(map, tfc.add(tfc.sqrt(tfc.sum(tfc.square(map), 1, true)), 1e-12)) as tfc.Tensor2D;
  });
}

/** The loss on true targets Blindspot uses: L1 for a regressor's (float32) targets, cross-entropy for class labels. */
const targetLoss = (out: tfc.Tensor, y: tfc.Tensor1D) => (y.dtype === 'float32' ? absoluteError(out, y) : crossEntropy(out, y));

/** The same loss per sample (a vector over the batch). */
function perSampleTargetLoss(out: tfc.Tensor, y: tfc.Tensor1D): tfc.Tensor1D {
  if (y.dtype === 'float32') return tfc.abs(tfc.sub(tfc.reshape(out, [-1]), y)) as tfc.Tensor1D;
  const k = out.shape[out.shape.length - 1]!;
  return tfc.losses.softmaxCrossEntropy(tfc.oneHot(y, k), out, undefined, 0, tfc.Reduction.NONE) as tfc.Tensor1D;
}

/** Step 1: the blindspot proxy, a fresh model trained on the retain set only. The caller disposes it. */
async function trainProxy(ctx: UnlearnContext, p: { proxyEpochs: number; proxyLr: number; batchSize: number }): Promise<Model> {
  const proxy = buildModel(ctx.meta.arch, ctx.meta.inputShape, ctx.meta.numClasses, ctx.seed, ctx.original);
  const opt = makeOptimizer({ optimizer: 'adam', lr: p.proxyLr });
  try {
    const vars = trainableVars(proxy);
    const retain = batchStream(ctx.retain, p.batchSize, ctx.seed, 'blindspot:proxy');
    await loop(ctx, 'blindspot proxy', Math.max(1, Math.round(p.proxyEpochs * stepsFor(ctx.retain.y.length, p.batchSize))), () =>
      tfc.tidy(() => {
        const b = retain.next();
        return step(opt, vars, () => targetLoss(forwardTrain(proxy, b.x), b.y));
      }));
    return proxy;
  } catch (e) {
    proxy.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
}

export const blindspot = defineMethod({
  name: 'blindspot',
  kind: 'approximate',
  accepts: ['single'],
  tasks: EVERY_TASK,
  summary: "train a blindspot proxy on the retain set briefly, then fine-tune the original on forget and retain samples mixed: forget outputs and hidden attention maps pulled to the proxy's, retain outputs to the true targets",
  paper: 'Tarun, Chundawat, Mandal & Kankanhalli, "Deep Regression Unlearning", ICML 2023',
  params: z.object({
    proxyEpochs: z.number().gt(0).max(100).default(2).describe("the proxy's passes over the retain set (the authors' 2)"),
    proxyLr: z.number().gt(0).max(1).default(0.01).describe("the proxy's Adam learning rate (the authors' 0.01)"),
    epochs: z.number().gt(0).max(100).default(1).describe('passes of the unlearning fine-tune over the mixed set (the authors\' 1)'),
    lr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate of the unlearning fine-tune (the authors\' 1e-3)'),
    beta: z.number().min(0).max(1e4).default(50).describe('weight of the attention-transfer term (the authors\' β_AT = 50)'),
    retainFraction: z.number().gt(0).max(1).default(1).describe('share of the retain set, sampled once, mixed with the forget set (the authors\' 1: all of it)'),
    batchSize: z.number().int().min(1).max(4096).default(128).describe('mini-batch size (forget and retain samples mixed)'),
  }).strict(),
  search: {
    epochs: { low: 0.5, high: 10, log: true },
    lr: { low: 1e-4, high: 1e-2, log: true },
    beta: { low: 1, high: 500, log: true },
    proxyEpochs: { low: 0.5, high: 8, log: true },
  },
  async run(ctx, p) {
    const proxy = await trainProxy(ctx, p);
    const nr = Math.max(1, Math.round(p.retainFraction * ctx.retain.ids.length));
    const retainIds = p.retainFraction === 1 ? ctx.retain.ids : shuffle(Int32Array.from(ctx.retain.ids), methodRng(ctx, 'blindspot:retain')).subarray(0, nr);
    const nf = ctx.forget.ids.length;
    const data = subset(ctx.dataset, Int32Array.from([...ctx.forget.ids, ...retainIds]));
    const proxyView = hiddenView(proxy);
    try {
      return await tuneCopy(ctx, p.lr, async (model, vars, opt) => {
        const view = hiddenView(model);
        const stream = batchStream(data, p.batchSize, ctx.seed, 'blindspot');
        await loop(ctx, 'blindspot', Math.max(1, Math.round(p.epochs * stepsFor(data.y.length, p.batchSize))), () =>
          tfc.tidy(() => {
            const b = stream.next();
            // Per-row masks rather than gathers: a gather's gradient is a segment sum, slow on every backend here.
            const isForget = Float32Array.from(b.index, (i) => (i < nf ? 1 : 0));
            const nForget = isForget.reduce((a, v) => a + v, 0);
            const n = b.index.length;
            const q = nForget / n;
            const fMask = tfc.tensor1d(isForget);
            const rMask = tfc.sub(1, fMask);
            // The proxy's outputs and hidden attention maps on the batch (inference mode, no gradient); read on forget rows only.
            const target = proxyView.apply(b.x, { training: false }) as tfc.Tensor[];
            const targetMaps = target.slice(0, -1).map(attentionMap);
            const rowMean = (t: tfc.Tensor, mask: tfc.Tensor, count: number) => tfc.div(tfc.sum(tfc.mul(t, mask)), Math.max(count, 1));
            return step(opt, vars, () => {
              const outs = view.apply(b.x, { training: true }) as tfc.Tensor[];
              const out = outs.at(-1)!;
              const retain = rowMean(perSampleTargetLoss(out, b.y), rMask, n - nForget);
              const match = rowMean(tfc.mean(tfc.abs(tfc.sub(out, target.at(-1)!)), -1), fMask, nForget);
              const at = outs.slice(0, -1).map((h, l) => rowMean(tfc.mean(tfc.square(tfc.sub(attentionMap(h), targetMaps[l])), -1), fMask, nForget));
              const transfer = at.length ? tfc.mul(p.beta, tfc.addN(at)) : tfc.scalar(0);
              return tfc.add(tfc.mul(1 - q, retain), tfc.mul(q, tfc.add(match, transfer))) as tfc.Scalar;
            });
          }));
      });
    } finally {
      proxy.dispose();
    }
  },
});
