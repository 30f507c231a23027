// `lethe eval`: every metric for one model against a retrained reference (and the original, when known).
import { avgGap } from '../eval/gap.ts';
import type { ForgetSpec } from '../data/forget-spec.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import { buildModel } from '../models/registry.ts';
import type { ModelMetrics } from '../shared/contract.ts';
import type { TaskContext } from './context.ts';
import { fullMetrics, makeProbe, outputsOf, ownMetrics, relearn } from './evaluate.ts';
import { prepareContext } from './unlearn-task.ts';

export interface EvalArgs {
  model: string;
  reference: string;
  forget: ForgetSpec;
  /** The do-nothing model; default: the model's parent as recorded in the store. */
  original?: string;
}

export async function evalTask(args: EvalArgs, task: TaskContext = {}): Promise<ModelMetrics & { model: string; reference: string; original: string | null }> {
  await initBackend();
  const model = await loadCheckpoint(args.model);
  const loaded: Checkpoint[] = [model];
  try {
    const reference = await loadCheckpoint(args.reference);
    loaded.push(reference);
    const originalDir = args.original ?? (model.meta.parent ? task.store?.getModel(model.meta.parent)?.path : undefined);
    const original = originalDir ? await loadCheckpoint(originalDir) : undefined;
    if (original) loaded.push(original);
    for (const c of loaded.slice(1)) {
      if (JSON.stringify(c.meta.dataset) !== JSON.stringify(model.meta.dataset)) throw new Error(`${c.dir} was trained on other data than ${args.model}`);
    }
    const ctx = prepareContext(model, args.forget, model.meta.seed, task);
    const probe = makeProbe(ctx);
    task.onProgress?.({ phase: 'eval', done: 0, total: 1 });
    const out = outputsOf(model.model, ctx, probe);
    const refOut = outputsOf(reference.model, ctx, probe);
    const own = ownMetrics(out, ctx, model.meta.seed);
    const refOwn = ownMetrics(refOut, ctx, model.meta.seed);
    const gap = (m: ModelMetrics) => avgGap({ UA: m.UA, RA: m.RA, TA: m.TA, MIA: m.mia }, { UA: refOwn.UA, RA: refOwn.RA, TA: refOwn.TA, MIA: refOwn.mia });
    const originalGap = original ? gap(ownMetrics(outputsOf(original.model, ctx, probe), ctx, model.meta.seed)) : NaN;
    const scratch = buildModel(model.meta.arch, model.meta.inputShape, model.meta.numClasses, 0);
    const relearnAcc = relearn(model.model, scratch, ctx, model.meta.seed);
    scratch.dispose();
    const timing = { seconds: model.meta.metrics.seconds ?? NaN, retrainSeconds: reference.meta.metrics.seconds ?? NaN };
    const m = fullMetrics(own, out, { own: refOwn, out: refOut }, originalGap, timing, relearnAcc, ctx);
    task.onProgress?.({ phase: 'eval', done: 1, total: 1 });
    if (task.store?.getModel(model.meta.id)) task.store.addMetrics(model.meta.id, m as unknown as Record<string, number>);
    return { ...m, model: args.model, reference: args.reference, original: originalDir ?? null };
  } finally {
    for (const c of loaded) c.model.dispose();
  }
}
