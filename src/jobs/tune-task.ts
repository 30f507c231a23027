// `lethe tune` / the tune job: choose every method's parameters for one setting on a validation split (src/tune),
// store the tuning, and let `lethe compare --tuned` run with the choice.
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import type { ApiTuning } from '../shared/http.ts';
import { tuningSummary } from '../store/tunings.ts';
import { getMethod, METHOD_NAMES, searchSpace } from '../unlearn/registry.ts';
import { methodRefusal } from '../unlearn/run.ts';
import { VALIDATION_FRACTION } from '../tune/protocol.ts';
import { tune } from '../tune/tune.ts';
import { seedList } from './compare-task.ts';
import { checkRequest, DataArgs, ParallelArg, dataRefOf, defineTask, ForgetInput, ModelRef, TaskArgsError, type TaskContext } from './task.ts';
import { MethodName } from './unlearn-task.ts';

/** The methods there is something to tune in: approximate, with a declared search space. */
export const TUNABLE: string[] = METHOD_NAMES.filter((m) => Object.keys(searchSpace(m)).length > 0);

export const TuneArgs = z.object({
  original: ModelRef,
  ...DataArgs,
  forget: ForgetInput,
  methods: z.union([z.literal('all'), z.array(MethodName).min(1).max(100)]).default('all'),
  /** Configurations per method (the defaults are one of them). */
  budget: z.number().int().min(1).max(200).default(12),
  /** Seeds (retrained references, and unlearning runs of the surviving configurations). */
  seeds: z.number().int().min(1).max(10).default(2),
  /** Successive halving's η: each rung keeps 1/η of the configurations on η times the seeds. */
  eta: z.number().min(1.5).max(10).default(3),
  /** Share of the training data held out for validation (below 1), or a count of samples. */
  validation: z.number().gt(0).max(1_000_000).default(VALIDATION_FRACTION),
  validationSeed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Trial workers (threads, each with its own copy of the model and the data); default one per core. */
  parallel: ParallelArg,
}).strict().transform((a, ctx) => {
  const methods = a.methods === 'all' ? [...TUNABLE] : [...new Set(a.methods)];
  const fixed = methods.find((m) => !TUNABLE.includes(m));
  if (fixed) ctx.addIssue({ code: 'custom', path: ['methods'], message: `${fixed} has nothing to tune (${getMethod(fixed).kind === 'exact' ? 'an exact method' : 'no search space'}): tune one of ${TUNABLE.join(', ')}` });
  return { ...a, methods };
});
export type TuneArgs = z.output<typeof TuneArgs>;

export const tuneTaskDef = defineTask({
  summary: "choose each method's parameters for a model and a forget request on a validation split carved from the training data (never the test set)",
  args: TuneArgs,
  check(a, env) {
    checkRequest(a, env, a.original);
    const meta = env.meta(a.original);
    if (meta.kind !== 'single') throw new TaskArgsError(`original: a ${meta.kind} model is served by its exact method; there is nothing to tune`);
    const refused = a.methods.map((m) => methodRefusal(m, meta)).find(Boolean);
    if (refused) throw new TaskArgsError(refused, 'unknown_method');
  },
  run: tuneTask,
  keep: tuningSummary,
});

export async function tuneTask(a: TuneArgs, task: TaskContext): Promise<ApiTuning> {
  if (!task.store) throw new Error('tune keeps its trials in the store: run it from the CLI or the server');
  await initBackend();
  const original = await loadCheckpoint(task.modelDir(a.original));
  try {
    const t = await tune(original, dataRefOf(a, original.meta.dataset), a.forget, {
      methods: a.methods, budget: a.budget, seeds: seedList(a.seeds), eta: a.eta, validation: a.validation, validationSeed: a.validationSeed, parallel: a.parallel,
    }, { store: task.store, home: join(dirname(resolve(task.store.path)), 'tuning'), signal: task.signal, onProgress: task.onProgress });
    task.store.tunings.save(t);
    return t;
  } finally {
    original.model.dispose();
  }
}
