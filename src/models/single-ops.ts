// The single kind: one network, trained by gradient descent; its exact reference is training from scratch on the retain set.
import { subset } from '../data/dataset.ts';
import { train } from '../train/train.ts';
import { defineKindOps } from './kind-ops.ts';
import type { Model } from './layers.ts';
import { buildModel } from './registry.ts';

async function trained(arch: string, ds: { inputShape: number[]; numClasses: number }, seed: number, work: (m: Model) => Promise<unknown>, like?: Model) {
  const model = buildModel(arch, ds.inputShape, ds.numClasses, seed, like);
  try {
    await work(model);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

export const singleOps = defineKindOps({
  async fit(ds, trainIds, a, run) {
    let losses: number[] = [];
    const model = await trained(a.arch, ds, a.seed, async (m) => {
      ({ losses } = await train(m, subset(ds, trainIds), a.recipe, { seed: a.seed, ...run }));
    });
    return { model, meta: { arch: a.arch, params: {} }, files: {}, losses };
  },
  load: () => ({}),
  stateOf: () => ({}),
  derive: () => ({ meta: {}, files: {} }),
  refit(ctx, epochs) {
    const { meta } = ctx;
    const recipe = { ...meta.recipe, epochs: epochs ?? meta.recipe.epochs };
    // An imported architecture is the original's graph, re-initialised with the seed.
    return trained(meta.arch, meta, ctx.seed, (m) => train(m, ctx.retain, recipe, { seed: ctx.seed, signal: ctx.signal, onProgress: ctx.onProgress, phase: 'retrain' }), ctx.original);
  },
});
