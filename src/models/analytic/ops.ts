// The analytic kind: a fixed seeded random feature layer and a float64 ridge head (./ridge.ts), fitted in closed form.
import { subset } from '../../data/dataset.ts';
import { defineKindOps } from '../kind-ops.ts';
import { buildModel } from '../registry.ts';
import { fitHead } from './fit.ts';
import { analyticArch, randomFeatures } from './model.ts';
import { copyOf } from '../graph.ts';
import { describeSpec } from '../../data/forget/index.ts';
import { headFiles, headMetaOf, headOf, readHead } from './state.ts';

export const analyticOps = defineKindOps({
  async fit(ds, trainIds, a, run) {
    const r = a.kindRecipe;
    if (r?.kind !== 'analytic') throw new Error('the analytic kind needs an analytic recipe');
    const b = a.backbone;
    if (r.backbone !== 'random' && !b) throw new Error(`the analytic recipe names backbone ${r.backbone}, which was not loaded`);
    const arch = analyticArch(r.dim, b?.meta.arch);
    const model = b ? randomFeatures(ds.inputShape, ds.numClasses, a.seed, r.dim, b.model) : buildModel(arch, ds.inputShape, ds.numClasses, a.seed);
    try {
      const head = await fitHead(model, subset(ds, trainIds), r.dim, r.gamma, run, { classStats: r.classStats });
      const what = b ? `the frozen backbone ${b.meta.arch} ${b.meta.id.slice(0, 8)} (core: ${describeSpec(b.meta.core!)}, not deletable) and random features` : 'random features';
      return {
        model, meta: { arch, kind: 'analytic', head: headMetaOf(head, a.seed, b?.meta.id), params: { recipe: r }, ...(b ? { core: b.meta.core } : {}) },
        files: headFiles(head), losses: [],
        note: `analytic head on ${what}, dim ${r.dim}, gamma ${r.gamma}, feature seed ${a.seed}: epochs, batch size, optimizer, lr, weight decay and momentum are not used`,
      };
    } catch (e) {
      model.dispose();
      throw e;
    }
  },
  load(dir, meta) {
    if (!meta.head) throw new Error(`checkpoint ${dir}: an analytic checkpoint's meta.json has no head`);
    return { head: readHead(dir, meta.head, meta.numClasses) };
  },
  stateOf: (model) => ({ head: headOf(model) }),
  derive(original, model) {
    const h = headOf(model);
    if (!h || !original.head) return { meta: { kind: 'single' }, files: {} };
    return { meta: { kind: 'analytic', head: headMetaOf(h, original.head.featureSeed, original.head.backbone) }, files: headFiles(h) };
  },
  /** The same features (backbone, random layer: a copy of the original's), a ridge head fitted from scratch on the retain set. */
  async refit(ctx) {
    const { meta } = ctx;
    if (!meta.head) throw new Error(`retrain: the analytic checkpoint ${meta.id} records no head`);
    const model = copyOf(ctx.original);
    try {
      await fitHead(model, ctx.retain, meta.head.dim, meta.head.gamma, { signal: ctx.signal, onProgress: ctx.onProgress, phase: 'retrain' });
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  },
});
