// Oracle Matching, the upper bound of Datamodel Matching: Georgiev, Rinberg, Park, Garg, Ilyas, Madry & Neel,
// "Attribute-to-Delete: Machine Unlearning via Datamodel Matching", ICLR 2025.
//
// DMM fine-tunes the original so that its outputs on a mix of forget and retain samples regress onto a prediction of
// what a model retrained without the forget set would output. The paper predicts those outputs with datamodels fitted
// on thousands of models trained on random halves; Oracle Matching (OM) uses the oracle itself, a model retrained on
// the retain set. OM is the reference the paper measures DMM against: it costs a retrain, so it is no cheaper than
// retraining, but it shows what matching outputs alone achieves from the original's weights.
import { z } from 'zod';
import { subset } from '../../data/dataset.ts';
import { kindOps } from '../../models/kinds.ts';
import { shuffle } from '../../shared/random.ts';
import { checkpointAbort } from '../../train/progress.ts';
import { batchStream, forwardTrain, loop, methodRng, predictLogits, step, stepsFor, tfc, tuneCopy } from '../kit.ts';
import { defineMethod } from '../method.ts';

export const dmmOracle = defineMethod({
  name: 'dmm-oracle',
  kind: 'approximate',
  accepts: ['single'],
  summary: "oracle matching: retrain an oracle on the retain set, then fine-tune the original so its logits on forget and retain samples regress (squared error) onto the oracle's; DMM's upper bound, costing a retrain",
  paper: 'Georgiev, Rinberg, Park, Garg, Ilyas, Madry & Neel, "Attribute-to-Delete: Machine Unlearning via Datamodel Matching" (OM, the oracle DMM approximates), ICLR 2025',
  params: z.object({
    epochs: z.number().gt(0).max(100).default(3).describe('passes over the matching set (the forget set + a retain sample)'),
    retainFraction: z.number().gt(0).max(1).default(0.3).describe('share of the retain set, sampled once, matched together with the forget set'),
    lr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate'),
    batchSize: z.number().int().min(1).max(4096).default(128).describe('mini-batch size (forget and retain samples mixed)'),
  }).strict(),
  search: {
    epochs: { low: 1, high: 10, log: true },
    lr: { low: 1e-4, high: 1e-2, log: true },
    retainFraction: { low: 0.1, high: 1 },
  },
  async run(ctx, p) {
    // The oracle: exactly what `retrain` gives for this request and seed.
    const oracle = await (await kindOps(ctx.meta.kind)).refit(ctx, undefined);
    try {
      const nr = Math.max(1, Math.round(p.retainFraction * ctx.retain.ids.length));
      const retainIds = shuffle(Int32Array.from(ctx.retain.ids), methodRng(ctx, 'dmm-oracle:retain')).subarray(0, nr);
      const data = subset(ctx.dataset, Int32Array.from([...ctx.forget.ids, ...retainIds]));
      // The oracle's logits on every matching sample, once (inference mode).
      const targets = tfc.tensor2d(predictLogits(oracle, data, 1024), [data.y.length, data.numClasses]);
      try {
        return await tuneCopy(ctx, p.lr, async (model, vars, opt) => {
          const stream = batchStream(data, p.batchSize, ctx.seed, 'dmm-oracle');
          await loop(ctx, 'dmm-oracle', Math.max(1, Math.round(p.epochs * stepsFor(data.y.length, p.batchSize))), () =>
            tfc.tidy(() => {
              const b = stream.next();
              const target = tfc.gather(targets, tfc.tensor1d(b.index, 'int32'));
              return step(opt, vars, () => tfc.mean(tfc.square(tfc.sub(forwardTrain(model, b.x), target))) as tfc.Scalar);
            }));
          await checkpointAbort(ctx.signal, 'dmm-oracle');
        });
      } finally {
        targets.dispose();
      }
    } finally {
      oracle.dispose();
    }
  },
});
