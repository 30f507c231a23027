// The contract of a task kind: a zod schema for its untrusted arguments (the CLI and the HTTP API parse with
// the same one, so they share every limit), cheap checks against the models it names, and its run function.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { forgetKindTasks, ForgetSpecSchema, parseForgetSpec, type ForgetSpec } from '../data/forget/index.ts';
import { BUILTIN_DATA, type DataRef } from '../data/registry.ts';
import type { Meta } from '../models/checkpoint.ts';
import type { OnProgress } from '../shared/http.ts';
import type { Store } from '../store/store.ts';
import { taskRefusal, type TaskName } from '../data/tasks.ts';

/** Arguments that are well-formed but ask for something invalid; the server answers 400 with `code`. */
export class TaskArgsError extends Error {
  constructor(message: string, readonly code = 'bad_request') {
    super(message);
    this.name = 'TaskArgsError';
  }
}

/** Where the arguments came from. Only the CLI may name files (data paths, checkpoint folders, id files). */
export type Edge = 'cli' | 'http';

/** What a task's checks may ask of the edge before any work: the metadata of a model it names. */
export interface TaskEnv {
  edge: Edge;
  /** The checkpoint metadata of a model reference (a folder on the CLI, a store id over HTTP); throws TaskArgsError. */
  meta(ref: string): Meta;
}

/** What every task receives when it runs: where to write, how to find models, record, report and be cancelled. */
export interface TaskContext {
  /** The folder for what the task writes (checkpoints, tables). */
  out: string;
  /** The checkpoint folder of a model reference. */
  modelDir(ref: string): string;
  store?: Store;
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

export interface Task<S extends z.ZodType, R> {
  summary: string;
  args: S;
  /** Checks that need the named models' metadata (a class the model does not have); throws TaskArgsError. */
  check?(args: z.output<S>, env: TaskEnv): void;
  run(args: z.output<S>, ctx: TaskContext): Promise<R>;
  /** What a finished job keeps of the result (default: all of it). */
  keep?(result: R): unknown;
  /** The model a run produced, for the record of runs. */
  modelOf?(result: R): string | undefined;
}

export function defineTask<S extends z.ZodType, R>(t: Task<S, R>): Task<S, R> {
  return t;
}

/** Worker threads for a task's independent measurements (tune's trials, a bank's members); default one per core. */
export const ParallelArg = z.number().int().min(1).max(64).default(() => availableParallelism());

/** A model: a checkpoint folder on the CLI, a store id over HTTP. */
export const ModelRef = z.string().min(1).max(1000);

/** A forget spec as the CLI's text ("class:3") or as the JSON object. Text naming a file is refused here: the CLI reads ids files itself. */
export const ForgetInput = z.union([z.string().min(1).max(10_000), ForgetSpecSchema]).transform((input, ctx): ForgetSpec => {
  if (typeof input !== 'string') return input;
  try {
    return parseForgetSpec(input);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

/** A forget spec against the model it is applied to: a kind that serves the model's task, and classes it has. */
export function checkClasses(spec: ForgetSpec, meta: Meta) {
  const refused = taskRefusal(`${spec.kind} forgetting`, forgetKindTasks(spec.kind), meta.task, `the model predicts ${meta.task === 'regression' ? 'a number' : 'classes'}`);
  if (refused) throw new TaskArgsError(refused);
  if (spec.kind !== 'class') return;
  const bad = spec.classes.find((c) => c >= meta.numClasses);
  if (bad !== undefined) throw new TaskArgsError(`unknown class ${bad}: the model has classes 0..${meta.numClasses - 1}`);
}

/**
 * The evaluations built for classifiers only (banks' KLOM, U-LiRA, tuning's avgGap objective, the continual curve
 * of accuracies): a regression model is one clear error naming what does serve it.
 */
export function classifiersOnly(what: string, meta: { task: TaskName }, ref: string) {
  if (meta.task === 'classification') return;
  throw new TaskArgsError(`${ref} is a ${meta.task} model; ${what} measures classifiers only (lethe compare and lethe unlearn serve ${meta.task})`);
}

/** The data a task reads: a built-in data set, or on the CLI a .csv file or a folder of IDX files. */
export const DataArgs = {
  data: z.string().min(1).max(1000).optional(),
  /** Use only the first N train samples (a set the model can memorise). */
  trainSize: z.number().int().min(1).optional(),
  /** The label column of a CSV data set. */
  labelColumn: z.string().min(1).max(200).optional(),
  /** The numeric target column of a CSV regression data set. */
  targetColumn: z.string().min(1).max(200).optional(),
};
type DataFields = { data?: string; trainSize?: number; labelColumn?: string; targetColumn?: string };

/** A request never names a file: over HTTP only the built-in data sets. */
export function checkData(a: DataFields, env: TaskEnv) {
  if (env.edge === 'http' && a.data !== undefined && !Object.hasOwn(BUILTIN_DATA, a.data)) {
    throw new TaskArgsError(`data: "${a.data}" is not a built-in data set (${Object.keys(BUILTIN_DATA).join(', ')}); files are read only by the CLI`);
  }
}

/** The data set the arguments name; without `data`, the checkpoint's own (`fallback`), with `trainSize` if given. */
export function dataRefOf(a: DataFields, fallback?: DataRef): DataRef {
  if (a.data === undefined && fallback) return { ...fallback, ...(a.trainSize !== undefined ? { trainSize: a.trainSize } : {}) };
  return {
    name: a.data ?? 'fashion-mnist',
    ...(a.trainSize !== undefined ? { trainSize: a.trainSize } : {}),
    ...(a.labelColumn !== undefined ? { labelColumn: a.labelColumn } : {}),
    ...(a.targetColumn !== undefined ? { targetColumn: a.targetColumn } : {}),
  };
}

/** The checks of a deletion request against its model: data only from where the edge allows, classes the model has. */
export function checkRequest(a: DataFields & { forget: ForgetSpec }, env: TaskEnv, model: string) {
  checkData(a, env);
  checkClasses(a.forget, env.meta(model));
}
