// ACU (Tang, Zhuang et al. 2025, arXiv 2505.12239): exact deletion from an analytic head by the Woodbury downdate of (R, W),
// or, for a large request on a head that keeps A = FᵀF + γI and B = FᵀY, the direct downdate (forgetRows picks).
import { z } from 'zod';
import { cloneHead } from '../../models/analytic/ridge.ts';
import { attachHead } from '../../models/analytic/state.ts';
import { cloneModel } from '../kit.ts';
import { defineMethod } from '../method.ts';

export const analytic = defineMethod({
  name: 'analytic',
  kind: 'exact',
  accepts: ['analytic'],
  summary: 'delete the forget set from the ridge head in closed form (Woodbury downdate of R and W); reads no retained data',
  paper: 'ACU: Tang, Zhuang et al., Analytic Continual Unlearning, arXiv 2505.12239 (2025), on the recursion of ACIL',
  params: z.object({}).strict(),
  async run(ctx) {
    if (!ctx.head) throw new Error(`analytic: the original ${ctx.meta.id} has no head state (head.bin)`);
    const [{ forgetRows }, { setHeadWeights }] = await Promise.all([import('../../models/analytic/fit.ts'), import('../../models/analytic/model.ts')]);
    const head = cloneHead(ctx.head);
    const model = cloneModel(ctx);
    try {
      await forgetRows(model, head, ctx.forget, { signal: ctx.signal, onProgress: ctx.onProgress, phase: 'analytic' });
      setHeadWeights(model, head);
      return attachHead(model, head);
    } catch (e) {
      model.dispose();
      throw e;
    }
  },
});
