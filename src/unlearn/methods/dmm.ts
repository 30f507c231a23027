// Datamodel Matching (DMM): Georgiev, Rinberg, Park, Garg, Ilyas, Madry & Neel, "Attribute-to-Delete: Machine
// Unlearning via Datamodel Matching", ICLR 2025.
//
// DMM's two steps: (1) predict what a model retrained without the forget set would output, by data attribution;
// (2) fine-tune the original so that its outputs on the forget set and a retain sample regress onto that prediction
// (the matching step dmm-oracle runs against a real retrain). The paper's attribution is a linear datamodel per
// output, fitted on 1,000–20,000 models trained on random halves of the data, or estimated with TRAK; neither fits a
// 2-core CPU. The predictor here is the one papers.md names as the feasible proxy: the influence-function estimate
// Lethe already has (`influence`: one Newton step with a damped WoodFisher inverse Hessian), whose outputs are the
// first-order prediction of the retrained model's. DMM then matches the original's outputs to those predictions, so
// that the prediction's errors on single samples are averaged out by fitting one model to all of them; the paper
// shows matching beats using the prediction directly (its DM-Direct).
import { z } from 'zod';
import { defineMethod } from '../method.ts';
import { MATCH_PARAMS, MATCH_SEARCH, matchOutputs } from './dmm-oracle.ts';
import { influence } from './influence.ts';

const INFLUENCE = influence.params.shape;

export const dmm = defineMethod({
  name: 'dmm',
  kind: 'approximate',
  accepts: ['single'],
  summary: "datamodel matching: predict the retrained model's logits by an influence-function estimate (one WoodFisher Newton step), then fine-tune the original so its logits on forget and retain samples regress onto the prediction",
  paper: 'Georgiev, Rinberg, Park, Garg, Ilyas, Madry & Neel, "Attribute-to-Delete: Machine Unlearning via Datamodel Matching", ICLR 2025 (datamodel: the influence estimate of Koh & Liang, ICML 2017)',
  params: z.object({
    ...MATCH_PARAMS,
    alpha: INFLUENCE.alpha.describe("the predictor's Newton step scale (influence's alpha)"),
    trust: INFLUENCE.trust.describe("the predictor's trust radius, a share of ‖θ‖ (influence's trust)"),
    damping: INFLUENCE.damping.describe("λ on the predictor's empirical Fisher diagonal (influence's damping)"),
  }).strict(),
  search: { ...MATCH_SEARCH, alpha: influence.search!.alpha, trust: influence.search!.trust },
  async run(ctx, p) {
    const predictor = await influence.run(ctx, influence.params.parse({ alpha: p.alpha, trust: p.trust, damping: p.damping }));
    try {
      return await matchOutputs(ctx, p, predictor, 'dmm');
    } finally {
      predictor.dispose();
    }
  },
});
