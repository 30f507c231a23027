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
    return tfc.div(map, tfc.add(tfc.norm(map, 'euclidean', 1, true), 1e-12)) as tfc.Tensor2D;
  });
}

/** The loss on true targets Blindspot uses: L1 for a regressor's (float32) targets, cross-entropy for class labels. */
const targetLoss = (out: tfc.Tensor, y: tfc.Tensor1D) => (y.dtype === 'float32' ? absoluteError(out, y) : crossEntropy(out, y));

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
            const isForget = Array.from(b.index, (i) => i < nf);
            const fRows = b.index.filter((i) => i < nf);
            const fPos = tfc.tensor1d(isForget.flatMap((f, j) => (f ? [j] : [])), 'int32');
            const rPos = tfc.tensor1d(isForget.flatMap((f, j) => (f ? [] : [j])), 'int32');
            const q = fRows.length / b.index.length;
            // The proxy's outputs and hidden attention maps on the batch's forget samples (inference mode, no gradient).
            const target = q > 0 ? (proxyView.apply(tfc.gather(b.x, fPos), { training: false }) as tfc.Tensor[]) : [];
            const targetMaps = target.slice(0, -1).map(attentionMap);
            return step(opt, vars, () => {
              const outs = view.apply(b.x, { training: true }) as tfc.Tensor[];
              const out = outs.at(-1)!;
              let loss: tfc.Tensor = tfc.scalar(0);
              if (q < 1) loss = tfc.mul(1 - q, targetLoss(tfc.gather(out, rPos), tfc.gather(b.y, rPos) as tfc.Tensor1D));
              if (q > 0) {
                const match = absoluteError(tfc.gather(out, fPos), target.at(-1)!);
                const at = outs.slice(0, -1).map((h, l) => tfc.mean(tfc.square(tfc.sub(attentionMap(tfc.gather(h, fPos)), targetMaps[l]))));
                const transfer = at.length ? tfc.mul(p.beta, tfc.addN(at)) : tfc.scalar(0);
                loss = tfc.add(loss, tfc.mul(q, tfc.add(match, transfer)));
              }
              return loss as tfc.Scalar;
            });
          }));
      });
    } finally {
      proxy.dispose();
    }
  },
});
