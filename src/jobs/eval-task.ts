// `lethe eval` / the eval job: every metric for one model against a retrained reference (and the original, when known).
import { z } from 'zod';
import { computeMetrics, type ModelMetrics } from '../eval/metrics.ts';
import { initBackend } from '../engine/backend.ts';
import { measureEvidence } from '../measure/measure.ts';
import { relearnAttack } from '../measure/relearn.ts';
import { loadCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import { copyOf } from '../models/graph.ts';
import { loadData } from '../data/registry.ts';
import { prepareContext } from '../unlearn/run.ts';
import { prepareForget } from './prepare-forget.ts';
import { checkClasses, checkData, DataArgs, dataRefOf, defineTask, ForgetInput, ModelRef, TaskArgsError, type TaskContext } from './task.ts';

export const EvalArgs = z.object({
  model: ModelRef,
  /** Default: the data set the model was trained on. */
  ...DataArgs,
  /** The retrained model (the gold standard). */
  reference: ModelRef,
  forget: ForgetInput,
  /** The do-nothing model, for gapClosed; default: the model's parent as recorded in the store. */
  original: ModelRef.optional(),
}).strict();
export type EvalArgs = z.output<typeof EvalArgs>;

export type EvalResult = ModelMetrics & { model: string; reference: string; original: string | null };

export const evalTaskDef = defineTask({
  summary: 'measure one model against a retrained reference',
  args: EvalArgs,
  check(a, env) {
    checkData(a, env);
    const model = env.meta(a.model);
    checkClasses(a.forget, model);
    for (const ref of [a.reference, ...(a.original ? [a.original] : [])]) {
      if (JSON.stringify(env.meta(ref).dataset) !== JSON.stringify(model.dataset)) throw new TaskArgsError(`${ref} was trained on other data than ${a.model}`);
    }
  },
  run: evalTask,
});

/** Loads the checkpoints one by one and frees them all, whatever happens. */
async function withCheckpoints<T>(dirs: (string | undefined)[], fn: (cs: (Checkpoint | undefined)[]) => Promise<T>): Promise<T> {
  const loaded: (Checkpoint | undefined)[] = [];
  try {
    for (const d of dirs) loaded.push(d ? await loadCheckpoint(d) : undefined);
    return await fn(loaded);
  } finally {
    for (const c of loaded) c?.model.dispose();
  }
}

export async function evalTask(a: EvalArgs, task: TaskContext): Promise<EvalResult> {
  await initBackend();
  const modelDir = task.modelDir(a.model);
  return withCheckpoints([modelDir, task.modelDir(a.reference)], async ([model, reference]) => {
    const originalDir = a.original ? task.modelDir(a.original) : (model!.meta.parent ? task.store?.getModel(model!.meta.parent)?.path : undefined);
    return withCheckpoints([originalDir], async ([original]) => {
      // A worst-case set is the one searched for with the original (cached beside it by the run that made the model).
      const forget = original ? await prepareForget(a.forget, original, loadData(dataRefOf(a, model!.meta.dataset)), task) : a.forget;
      const m = measureAll(model!, reference!, original, { ...a, forget }, task);
      if (task.store?.getModel(model!.meta.id)) task.store.addMetrics(model!.meta.id, m as Record<string, number>);
      return { ...m, model: modelDir, reference: task.modelDir(a.reference), original: originalDir ?? null };
    });
  });
}

function measureAll(model: Checkpoint, reference: Checkpoint, original: Checkpoint | undefined, a: EvalArgs, task: TaskContext): ModelMetrics {
  const seed = model.meta.seed;
  const ctx = prepareContext(model, a.forget, seed, task, dataRefOf(a, model.meta.dataset));
  task.onProgress?.({ phase: 'eval', done: 0, total: 1 });
  // Only the metrics: no probe activations or views, which only a comparison draws.
  const x = measureEvidence(model.model, ctx);
  const refX = measureEvidence(reference.model, ctx);
  const ref = { x: refX, seconds: reference.meta.metrics.seconds ?? NaN, v: computeMetrics({ x: refX, seed, seconds: NaN, relearnAcc: NaN }) };
  const originalGap = original ? computeMetrics({ x: measureEvidence(original.model, ctx), seed, seconds: 0, relearnAcc: NaN, ref }).avgGap : NaN;
  // A model of the same graph for the relearning attack to overwrite (any kind: a backbone head has no arch to rebuild from).
  // A regressor has no forget accuracy to relearn: relearnAcc is a classification metric.
  let relearnAcc = NaN;
  if (!ctx.dataset.target) {
    const scratch = copyOf(model.model);
    relearnAcc = relearnAttack(model.model, scratch, ctx.forget, ctx.dataset, { seed });
    scratch.dispose();
  }
  const m = computeMetrics({ x, seed, seconds: model.meta.metrics.seconds ?? NaN, relearnAcc, ref, originalGap });
  task.onProgress?.({ phase: 'eval', done: 1, total: 1 });
  return m;
}
