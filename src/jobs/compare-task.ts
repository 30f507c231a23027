// `lethe compare` / the compare job: retrain and every chosen method on one deletion request over N seeds,
// each measured the same way (src/measure), evaluated by pure code (src/eval), persisted in one place.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { describeSpec } from '../data/forget/index.ts';
import { initBackend } from '../engine/backend.ts';
import { evaluateComparison, type MeasuredRun } from '../eval/comparison.ts';
import { makeProbe, measure, type Probe } from '../measure/measure.ts';
import { relearnAttack } from '../measure/relearn.ts';
import { loadCheckpoint, type Checkpoint, type Meta } from '../models/checkpoint.ts';
import type { ModelKind } from '../models/kinds.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import type { Comparison } from '../shared/contract.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { METHOD_NAMES } from '../unlearn/registry.ts';
import { checkpointAbort } from '../train/progress.ts';
import { kindRefusal, prepareContext, runMethod, saveUnlearned } from '../unlearn/run.ts';
import { persistComparison, type SavedModel } from './persist.ts';
import { checkRequest, DataArgs, TaskArgsError, dataRefOf, defineTask, ForgetInput, ModelRef, type TaskContext } from './task.ts';
import { MethodName, methodParams } from './unlearn-task.ts';

export const MAX_SEEDS = 20;

export const CompareArgs = z.object({
  /** The trained original. */
  original: ModelRef,
  /** Default: the data set the original was trained on. */
  ...DataArgs,
  forget: ForgetInput,
  /** Approximate methods to compare ('retrain' always runs, as the reference). */
  methods: z.union([z.literal('all'), z.array(MethodName).min(1).max(100)]).default('all'),
  seeds: z.number().int().min(1).max(MAX_SEEDS).default(3),
  /** Per-method parameters, e.g. {"ft": {"steps": 20}}; defaults otherwise. */
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
}).strict().transform((a, ctx) => {
  const methods = (a.methods === 'all' ? [...METHOD_NAMES] : [...new Set(a.methods)]).filter((m) => m !== 'retrain');
  const unused = Object.keys(a.params).find((m) => !methods.includes(m as never));
  if (unused) ctx.addIssue({ code: 'custom', path: ['params', unused], message: `params given for ${unused}, which is not among the methods compared` });
  const params = Object.fromEntries(methods.map((m) => [m, methodParams(m, a.params[m] ?? {}, ctx, ['params', m])]));
  // 'all' is resolved against the original's model kind when it is known (comparedMethods).
  return { ...a, methods, params, all: a.methods === 'all' };
});
export type CompareArgs = z.output<typeof CompareArgs>;

/**
 * The methods a comparison runs on a model of `kind`: 'all' is every method that can unlearn it; a method
 * named that cannot is one error before any work.
 */
export function comparedMethods(a: Pick<CompareArgs, 'methods' | 'all'>, kind: ModelKind): string[] {
  if (!a.all) {
    const refused = a.methods.map((m) => kindRefusal(m, kind)).find(Boolean);
    if (refused) throw new TaskArgsError(refused, 'unknown_method');
    return a.methods;
  }
  const methods = a.methods.filter((m) => !kindRefusal(m, kind));
  if (!methods.length) throw new TaskArgsError(`no method besides retrain can unlearn ${kind} models`);
  return methods;
}

/** What a finished compare job keeps: the comparison itself is in the store. */
const summary = (c: Comparison) => ({ comparisonId: c.id, forgetText: c.forgetText, forgetCount: c.forgetCount, methods: c.methods, seeds: c.seeds, table: c.table });

export const compareTaskDef = defineTask({
  summary: 'run retrain and the chosen methods on one deletion request over several seeds; print the table',
  args: CompareArgs,
  check(a, env) {
    checkRequest(a, env, a.original);
    comparedMethods(a, env.meta(a.original).kind);
  },
  run: compareTask,
  keep: summary,
});

/** Seeds of the runs: far from the usual training seeds so that no retrain shares the original's initialisation. */
export const seedList = (n: number) => Array.from({ length: n }, (_, i) => 1001 + i);

interface Session {
  ctx: UnlearnContext;
  original: Checkpoint;
  probe: Probe;
  /** A model of the original's architecture that the relearning attack overwrites. */
  scratch: Model;
  saved: SavedModel[];
  task: TaskContext;
  params: Record<string, Record<string, unknown>>;
  total: number;
}

/** Runs one method for one seed, saves its checkpoint, measures it and frees it. */
async function runOne(s: Session, method: string, seed: number): Promise<MeasuredRun> {
  const label = `[${s.saved.length + 1}/${s.total}] ${method} seed ${seed}`;
  const say = s.task.onProgress && ((p: { done: number; total: number }) => s.task.onProgress!({ phase: method, done: p.done, total: p.total, message: label }));
  say?.({ done: 0, total: 1 });
  const r = await runMethod({ ...s.ctx, seed, onProgress: say }, method, method === 'retrain' ? {} : s.params[method]);
  try {
    const dir = join(s.task.out, 'models', `${method}-seed${seed}`);
    const meta = await saveUnlearned(dir, r.model, { ...s.ctx, seed }, method, r.params, { seconds: r.seconds });
    s.saved.push({ dir, meta });
    return {
      modelId: meta.id, method, seed, params: method === 'retrain' ? {} : r.params, checkpoint: dir, seconds: r.seconds,
      measured: measure(r.model, s.ctx, s.probe),
      relearnAcc: relearnAttack(r.model, s.scratch, s.ctx.forget, s.ctx.dataset, { seed }),
    };
  } finally {
    r.model.dispose();
  }
}

export async function compareTask(a: CompareArgs, task: TaskContext): Promise<Comparison> {
  await initBackend();
  const original = await loadCheckpoint(task.modelDir(a.original));
  const seeds = seedList(a.seeds);
  const compared = comparedMethods(a, original.meta.kind);
  const ctx = prepareContext(original, a.forget, seeds[0], task, dataRefOf(a, original.meta.dataset));
  const m: Meta = original.meta;
  const s: Session = {
    ctx, original, task, probe: makeProbe(ctx), scratch: buildModel(m.arch, m.inputShape, m.numClasses, 0),
    saved: [], params: a.params, total: seeds.length * (1 + compared.length),
  };
  try {
    const retrains: MeasuredRun[] = [];
    for (const seed of seeds) retrains.push(await runOne(s, 'retrain', seed));
    const methods: { method: string; runs: MeasuredRun[] }[] = [];
    for (const method of compared) {
      const runs: MeasuredRun[] = [];
      for (const seed of seeds) runs.push(await runOne(s, method, seed));
      methods.push({ method, runs });
    }
    const { models, table } = await evaluateComparison({
      original: {
        modelId: m.id, method: 'original', seed: m.seed, params: {}, checkpoint: original.dir, seconds: 0,
        measured: measure(original.model, ctx, s.probe),
        relearnAcc: seeds.map((seed) => relearnAttack(original.model, s.scratch, ctx.forget, ctx.dataset, { seed })),
      },
      retrains, methods, probe: s.probe, classNames: ctx.dataset.classNames,
    }, async (done, total) => {
      task.onProgress?.({ phase: 'evaluate', done, total, message: 'metrics and views of every model' });
      await checkpointAbort(task.signal, 'the comparison');
    });
    const comparison: Comparison = {
      id: randomUUID(), created: new Date().toISOString(), originalId: m.id, dataset: ctx.data.name, arch: m.arch,
      forget: a.forget, forgetText: describeSpec(a.forget), forgetCount: ctx.sets.forget.length,
      methods: compared, seeds, table, models,
    };
    persistComparison({ comparison, out: task.out, store: task.store, models: { original, data: ctx.data, dataset: ctx.dataset, saved: s.saved } });
    return comparison;
  } finally {
    s.scratch.dispose();
    original.model.dispose();
  }
}
