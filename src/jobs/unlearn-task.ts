// `lethe unlearn` / the unlearn job: load, resolve the request, run the method, checkpoint, record.
import { z } from 'zod';
import { describeSpec } from '../data/forget/index.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import { kindOps } from '../models/kinds.ts';
import { isMethod, METHOD_NAMES, parseParams } from '../unlearn/registry.ts';
import { methodRefusal, prepareContext, runMethod, saveUnlearned, scores, type Scores } from '../unlearn/run.ts';
import { prepareForget } from './prepare-forget.ts';
import { recordModel, recordOriginal } from './record.ts';
import { checkRequest, TaskArgsError, DataArgs, dataRefOf, defineTask, ForgetInput, ModelRef, type TaskContext } from './task.ts';

/** A method name from the registry. */
export const MethodName = z.string().min(1).max(100).superRefine((name, ctx) => {
  if (!isMethod(name)) ctx.addIssue({ code: 'custom', message: `unknown method "${name}": use one of ${METHOD_NAMES.join(', ')}` });
});

/** Parameters checked against the method's own schema (defaults filled in); a bad one is an issue at `path`. */
export function methodParams(method: string, raw: Record<string, unknown>, ctx: z.RefinementCtx, path: (string | number)[]) {
  try {
    return parseParams(method, raw);
  } catch (e) {
    ctx.addIssue({ code: 'custom', path, message: (e as Error).message });
    return z.NEVER;
  }
}

export const UnlearnArgs = z.object({
  model: ModelRef,
  /** Default: the data set the model was trained on. */
  ...DataArgs,
  forget: ForgetInput,
  method: MethodName,
  params: z.record(z.string(), z.unknown()).default({}),
  /** Default: the original's seed. */
  seed: z.number().int().optional(),
}).strict().transform((a, ctx) => ({ ...a, params: methodParams(a.method, a.params, ctx, ['params']) }));
export type UnlearnArgs = z.output<typeof UnlearnArgs>;

export type UnlearnResult = Scores & {
  checkpoint: string;
  modelId: string;
  method: string;
  params: Record<string, unknown>;
  forget: string;
  forgetCount: number;
  seconds: number;
  /** What the result's kind says of it, e.g. a sharded model's live prefix per shard. */
  state?: string[];
};

export const unlearnTaskDef = defineTask({
  summary: 'remove the influence of a deletion request from a trained model',
  args: UnlearnArgs,
  check(a, env) {
    checkRequest(a, env, a.model);
    // A method that cannot serve the model's kind or task is refused before the model is loaded.
    const refused = methodRefusal(a.method, env.meta(a.model));
    if (refused) throw new TaskArgsError(refused, 'unknown_method');
  },
  run: unlearnTask,
  modelOf: (r) => r.modelId,
});

export async function unlearnTask(a: UnlearnArgs, task: TaskContext): Promise<UnlearnResult> {
  await initBackend();
  const original = await loadCheckpoint(task.modelDir(a.model));
  try {
    const data = dataRefOf(a, original.meta.dataset);
    const forget = await prepareForget(a.forget, original, loadData(data), task);
    const ctx = prepareContext(original, forget, a.seed ?? original.meta.seed, task, data);
    const { model, params, seconds } = await runMethod(ctx, a.method, a.params);
    try {
      const acc = scores(model, ctx);
      const state = (await kindOps(original.meta.kind)).describe?.(model);
      const meta = await saveUnlearned(task.out, model, ctx, a.method, params, { ...acc, seconds } as Record<string, number>);
      if (task.store) {
        recordOriginal(task.store, original.dir, original.meta, ctx.data, ctx.dataset);
        recordModel(task.store, task.out, meta);
      }
      return {
        checkpoint: task.out, modelId: meta.id, method: a.method, params, forget: describeSpec(forget),
        forgetCount: ctx.sets.forget.length, seconds, ...acc, ...(state?.length ? { state } : {}),
      };
    } finally {
      model.dispose();
    }
  } finally {
    original.model.dispose();
  }
}
