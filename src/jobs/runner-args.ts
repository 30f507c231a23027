// What a job may be asked to do, validated at the edge (HTTP) before any work, and turned into task arguments.
// No file path is ever taken from a request: data sets are built-in names, models are store ids,
// and outputs go to <home>/runs/<job id>/.
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { BUILTIN_DATA } from '../data/registry.ts';
import { describeSpec, ForgetSpecSchema, parseForgetSpec, type ForgetSpec } from '../data/forget-spec.ts';
import { readMeta } from '../models/checkpoint.ts';
import { ARCH_NAMES } from '../models/registry.ts';
import type { Store } from '../store/store.ts';
import { DEFAULT_RECIPE } from '../train/train.ts';
import { getMethod, isMethod, METHOD_NAMES, parseParams } from '../unlearn/registry.ts';

/** A request that is well-formed JSON but asks for something invalid; the server answers 400. */
export class JobArgsError extends Error {
  constructor(message: string, readonly code = 'bad_request') {
    super(message);
    this.name = 'JobArgsError';
  }
}

const DATA_NAMES = Object.keys(BUILTIN_DATA) as [keyof typeof BUILTIN_DATA, ...(keyof typeof BUILTIN_DATA)[]];
const int = z.number().int();

export const TrainJobArgsSchema = z.object({
  data: z.enum(DATA_NAMES),
  model: z.enum(ARCH_NAMES as [string, ...string[]]),
  epochs: int.min(1).max(1000).default(DEFAULT_RECIPE.epochs),
  batchSize: int.min(1).max(65536).default(DEFAULT_RECIPE.batchSize),
  optimizer: z.enum(['sgd', 'adam']).default(DEFAULT_RECIPE.optimizer),
  lr: z.number().gt(0).max(10).default(DEFAULT_RECIPE.lr),
  weightDecay: z.number().min(0).max(1).default(DEFAULT_RECIPE.weightDecay),
  momentum: z.number().min(0).max(0.999).default(DEFAULT_RECIPE.momentum),
  seed: int.default(1),
  trainSize: int.min(1).optional(),
}).strict();

/** A forget spec as the CLI string ("class:3") or as the JSON object; `ids:FILE` would name a file, so it is refused. */
const ForgetInput = z.union([z.string().min(1).max(10_000), ForgetSpecSchema]);

export const UnlearnJobArgsSchema = z.object({
  modelId: z.string().min(1).max(200),
  forget: ForgetInput,
  method: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  seed: int.optional(),
}).strict();

export const CompareJobArgsSchema = z.object({
  originalId: z.string().min(1).max(200),
  forget: ForgetInput,
  methods: z.union([z.literal('all'), z.array(z.string().min(1).max(100)).min(1).max(100)]).default('all'),
  seeds: int.min(1).max(5).default(1),
  /** Per-method parameters, e.g. {"ft": {"epochs": 2}}; defaults otherwise. */
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
}).strict();

export const EvalJobArgsSchema = z.object({
  modelId: z.string().min(1).max(200),
  referenceId: z.string().min(1).max(200),
  forget: ForgetInput,
  /** The do-nothing model; default: the model's parent. */
  originalId: z.string().min(1).max(200).optional(),
}).strict();

export const JobRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('train'), args: TrainJobArgsSchema }).strict(),
  z.object({ kind: z.literal('unlearn'), args: UnlearnJobArgsSchema }).strict(),
  z.object({ kind: z.literal('compare'), args: CompareJobArgsSchema }).strict(),
  z.object({ kind: z.literal('eval'), args: EvalJobArgsSchema }).strict(),
]);
export type JobRequest = z.infer<typeof JobRequestSchema>;
export type JobKind = JobRequest['kind'];
export const JOB_KINDS: JobKind[] = ['train', 'unlearn', 'compare', 'eval'];

/** The validated, normalised request as stored with the job: forget specs are objects, defaults filled in. */
export type JobArgs =
  | { kind: 'train'; args: z.infer<typeof TrainJobArgsSchema> }
  | { kind: 'unlearn'; args: Omit<z.infer<typeof UnlearnJobArgsSchema>, 'forget'> & { forget: ForgetSpec; forgetText: string } }
  | { kind: 'compare'; args: Omit<z.infer<typeof CompareJobArgsSchema>, 'forget' | 'methods'> & { forget: ForgetSpec; forgetText: string; methods: string[] } }
  | { kind: 'eval'; args: Omit<z.infer<typeof EvalJobArgsSchema>, 'forget'> & { forget: ForgetSpec; forgetText: string } };

function forgetOf(input: string | ForgetSpec): ForgetSpec {
  if (typeof input !== 'string') return input;
  if (/^\s*ids\s*:/.test(input)) {
    throw new JobArgsError('the forget spec "ids:FILE" names a file, which the server never reads; send {"kind":"ids","ids":[...]} instead');
  }
  try {
    return parseForgetSpec(input);
  } catch (e) {
    throw new JobArgsError((e as Error).message);
  }
}

/** The checkpoint of a stored model, and the cheap checks of a spec against it (class range) before any work. */
function modelFor(store: Store, id: string, spec: ForgetSpec) {
  const row = store.getModel(id);
  if (!row) throw new JobArgsError(`no model "${id}" in the store (see GET /api/models)`, 'unknown_model');
  let numClasses: number | undefined;
  try {
    numClasses = readMeta(row.path).numClasses;
  } catch (e) {
    throw new JobArgsError(`model "${id}": ${(e as Error).message}`, 'unknown_model');
  }
  if (spec.kind === 'class') {
    const bad = spec.classes.find((c) => c >= numClasses);
    if (bad !== undefined) throw new JobArgsError(`unknown class ${bad}: the model has classes 0..${numClasses - 1}`);
  }
  return row;
}

function checkMethod(name: string, params: Record<string, unknown>, spec: ForgetSpec): Record<string, unknown> {
  if (!isMethod(name)) throw new JobArgsError(`unknown method "${name}": use one of ${METHOD_NAMES.join(', ')}`, 'unknown_method');
  const why = getMethod(name).unsupported?.(spec);
  if (why) throw new JobArgsError(`${name} cannot serve ${describeSpec(spec)}: ${why}`);
  try {
    return parseParams(name, params);
  } catch (e) {
    throw new JobArgsError((e as Error).message, 'bad_parameter');
  }
}

/** Everything that can be checked without loading data or models; throws JobArgsError. */
export function validateJob(store: Store, req: JobRequest): JobArgs {
  switch (req.kind) {
    case 'train':
      return req;
    case 'unlearn': {
      const forget = forgetOf(req.args.forget);
      const params = checkMethod(req.args.method, req.args.params, forget);
      modelFor(store, req.args.modelId, forget);
      return { kind: 'unlearn', args: { ...req.args, params, forget, forgetText: describeSpec(forget) } };
    }
    case 'compare': {
      const forget = forgetOf(req.args.forget);
      // retrain is always run, as the reference.
      const methods = (req.args.methods === 'all' ? [...METHOD_NAMES] : [...new Set(req.args.methods)]).filter((m) => m !== 'retrain');
      const unused = Object.keys(req.args.params).find((m) => !methods.includes(m));
      if (unused) throw new JobArgsError(`params given for ${unused}, which is not among the methods compared`, 'bad_parameter');
      const params = Object.fromEntries(methods.map((m) => [m, checkMethod(m, req.args.params[m] ?? {}, forget)]));
      modelFor(store, req.args.originalId, forget);
      return { kind: 'compare', args: { ...req.args, methods, params, forget, forgetText: describeSpec(forget) } };
    }
    case 'eval': {
      const forget = forgetOf(req.args.forget);
      const ids = [req.args.modelId, req.args.referenceId, ...(req.args.originalId ? [req.args.originalId] : [])];
      for (const id of ids) modelFor(store, id, forget);
      return { kind: 'eval', args: { ...req.args, forget, forgetText: describeSpec(forget) } };
    }
  }
}

/** The arguments the worker passes to trainTask / unlearnTask / compareTask / evalTask. */
export type TaskArgs =
  | { kind: 'train'; args: import('./train-task.ts').TrainArgs }
  | { kind: 'unlearn'; args: import('./unlearn-task.ts').UnlearnArgs }
  | { kind: 'compare'; args: import('./compare-task.ts').CompareArgs }
  | { kind: 'eval'; args: import('./eval-task.ts').EvalArgs };

/** <home>/runs/<job id>, home being the folder of the store. */
export function runDir(store: Store, id: number): string {
  return join(dirname(resolve(store.path)), 'runs', String(id));
}

/** Resolves store ids into checkpoint folders at the moment the job starts. */
export function toTaskArgs(store: Store, id: number, job: JobArgs): TaskArgs {
  const out = runDir(store, id);
  const path = (modelId: string) => {
    const row = store.getModel(modelId);
    if (!row) throw new Error(`model ${modelId} is no longer in the store`);
    return row.path;
  };
  switch (job.kind) {
    case 'train': {
      const a = job.args;
      return {
        kind: 'train',
        args: {
          data: a.trainSize === undefined ? { name: a.data } : { name: a.data, trainSize: a.trainSize },
          model: a.model,
          recipe: { epochs: a.epochs, batchSize: a.batchSize, optimizer: a.optimizer, lr: a.lr, weightDecay: a.weightDecay, momentum: a.momentum },
          seed: a.seed,
          out,
        },
      };
    }
    case 'unlearn': {
      const a = job.args;
      return { kind: 'unlearn', args: { model: path(a.modelId), forget: a.forget, method: a.method, params: a.params, seed: a.seed, out } };
    }
    case 'compare': {
      const a = job.args;
      return { kind: 'compare', args: { original: path(a.originalId), forget: a.forget, methods: a.methods, seeds: a.seeds, params: a.params, out } };
    }
    case 'eval': {
      const a = job.args;
      return { kind: 'eval', args: { model: path(a.modelId), reference: path(a.referenceId), forget: a.forget, original: a.originalId && path(a.originalId) } };
    }
  }
}
