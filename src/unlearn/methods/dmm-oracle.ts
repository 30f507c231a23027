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
import type { Model } from '../../models/layers.ts';
import { defineMethod, type UnlearnContext } from '../method.ts';
import { EVERY_TASK } from '../../data/tasks.ts';

/** The matching step's parameters, shared by dmm-oracle and dmm. */
export const MATCH_PARAMS = {
  epochs: z.number().gt(0).max(100).default(3).describe('passes over the matching set (the forget set + a retain sample)'),
  retainFraction: z.number().gt(0).max(1).default(0.3).describe('share of the retain set, sampled once, matched together with the forget set'),
  lr: z.number().gt(0).max(1).default(1e-3).describe('Adam learning rate'),
  batchSize: z.number().int().min(1).max(4096).default(128).describe('mini-batch size (forget and retain samples mixed)'),
};
export const MATCH_SEARCH = {
  epochs: { low: 1, high: 10, log: true },
  lr: { low: 1e-4, high: 1e-2, log: true },
  retainFraction: { low: 0.1, high: 1 },
} as const;

export const dmmOracle = defineMethod({
  name: 'dmm-oracle',
  kind: 'approximate',
  accepts: ['single'],
  // Matching outputs needs no labels: a regressor's one output is matched as a classifier's logits are.
  tasks: EVERY_TASK,
  summary: "oracle matching: retrain an oracle on the retain set, then fine-tune the original so its logits on forget and retain samples regress (squared error) onto the oracle's; DMM's upper bound, costing a retrain",
  paper: 'Georgiev, Rinberg, Park, Garg, Ilyas, Madry & Neel, "Attribute-to-Delete: Machine Unlearning via Datamodel Matching" (OM, the oracle DMM approximates), ICLR 2025',
  params: z.object(MATCH_PARAMS).strict(),
  search: MATCH_SEARCH,
  async run(ctx, p) {
    // The oracle: exactly what `retrain` gives for this request and seed.
    const oracle = await (await kindOps(ctx.meta.kind)).refit(ctx, undefined);
    try {
      return await matchOutputs(ctx, p, oracle, 'dmm-oracle');
    } finally {
      oracle.dispose();
    }
  },
});

/** The matching step of the DMM family's parameters. */
export interface MatchParams {
  epochs: number;
  retainFraction: number;
  lr: number;
  batchSize: number;
}

/**
 * DMM's second step: fine-tunes a copy of the original so that its logits on the forget set and a seeded retain
 * sample regress (mean squared error) onto `predictor`'s, the model whose outputs stand for the retrained model's.
 */
export async function matchOutputs(ctx: UnlearnContext, p: MatchParams, predictor: Model, phase: string): Promise<Model> {
  const nr = Math.max(1, Math.round(p.retainFraction * ctx.retain.ids.length));
  const retainIds = shuffle(Int32Array.from(ctx.retain.ids), methodRng(ctx, `${phase}:retain`)).subarray(0, nr);
  const data = subset(ctx.dataset, Int32Array.from([...ctx.forget.ids, ...retainIds]));
  // The predictor's logits on every matching sample, once (inference mode).
  const targets = tfc.tensor2d(predictLogits(predictor, data, 1024), [data.y.length, data.numClasses]);
  try {
    return await tuneCopy(ctx, p.lr, async (model, vars, opt) => {
      const stream = batchStream(data, p.batchSize, ctx.seed, phase);
      await loop(ctx, phase, Math.max(1, Math.round(p.epochs * stepsFor(data.y.length, p.batchSize))), () =>
        tfc.tidy(() => {
          const b = stream.next();
          const target = tfc.gather(targets, tfc.tensor1d(b.index, 'int32'));
          return step(opt, vars, () => tfc.mean(tfc.square(tfc.sub(forwardTrain(model, b.x), target))) as tfc.Scalar);
        }));
      await checkpointAbort(ctx.signal, phase);
    });
  } finally {
    targets.dispose();
  }
}
