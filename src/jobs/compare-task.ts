// `lethe compare` / the compare job: retrain and every chosen method on one deletion request over N seeds,
// each measured the same way (src/measure), evaluated by pure code (src/eval), persisted in one place.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { describeSpec } from '../data/forget/index.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { evaluateComparison, type MeasuredRun } from '../eval/comparison.ts';
import { makeProbe, measure, type Probe } from '../measure/measure.ts';
import { RELEARN_CURVE_STEPS, RELEARN_STEPS, relearnCurve, type RelearnPoint } from '../measure/relearn.ts';
import { loadCheckpoint, type Checkpoint, type Meta } from '../models/checkpoint.ts';
import type { ModelKind } from '../models/kinds.ts';
import type { TaskName } from '../data/tasks.ts';
import type { Model } from '../models/layers.ts';
import { copyOf } from '../models/graph.ts';
import { tunedLabel, type Comparison } from '../shared/contract.ts';
import type { ApiTuning } from '../shared/http.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { getMethod, METHOD_NAMES } from '../unlearn/registry.ts';
import { checkpointAbort } from '../train/progress.ts';
import { methodRefusal, prepareContext, refuseCore, runMethod, saveUnlearned } from '../unlearn/run.ts';
import { persistComparison, type SavedModel } from './persist.ts';
import { prepareForget } from './prepare-forget.ts';
import { checkRequest, DataArgs, TaskArgsError, dataRefOf, defineTask, ForgetInput, ModelRef, type TaskContext } from './task.ts';
import { MethodName, methodParams } from './unlearn-task.ts';

export const MAX_SEEDS = 20;

/** The comparison's fields before `finishCompare`; a sweep (sweep-task.ts) takes the same ones but `forget`. */
export const CompareFields = z.object({
  /** The trained original. */
  original: ModelRef,
  /** Default: the data set the original was trained on. */
  ...DataArgs,
  forget: ForgetInput,
  /** Approximate methods to compare ('retrain' always runs, as the reference). */
  methods: z.union([z.literal('all'), z.array(MethodName).min(1).max(100)]).default('all'),
  seeds: z.number().int().min(1).max(MAX_SEEDS).default(3),
  /**
   * Exactly deletable models of the same data (sharded, analytic): each is served by its exact method on the same
   * request, and its rows sit beside the methods run on the original, measured against the original's retrain.
   */
  exact: z.array(ModelRef).max(8).default([]),
  /** Per-method parameters, e.g. {"ft": {"steps": 20}}; defaults otherwise. */
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /**
   * Also run each method with the parameters `lethe tune` chose for this setting: true for the newest tuning of the
   * original and this forget spec, or a tuning's id. A method the tuning changed gets a second row, `<method> (tuned)`.
   */
  tuned: z.union([z.boolean(), z.string().min(1).max(100)]).default(false),
}).strict();

/** The methods compared ('retrain' aside) and each one's parameters, checked against its schema. */
export function finishCompare<A extends { methods: 'all' | string[]; params: Record<string, Record<string, unknown>> }>(a: A, ctx: z.RefinementCtx) {
  const methods = (a.methods === 'all' ? [...METHOD_NAMES] : [...new Set(a.methods)]).filter((m) => m !== 'retrain');
  const unused = Object.keys(a.params).find((m) => !methods.includes(m as never));
  if (unused) ctx.addIssue({ code: 'custom', path: ['params', unused], message: `params given for ${unused}, which is not among the methods compared` });
  const params = Object.fromEntries(methods.map((m) => [m, methodParams(m, a.params[m] ?? {}, ctx, ['params', m])]));
  // 'all' is resolved against the original's model kind when it is known (comparedMethods).
  return { ...a, methods, params, all: a.methods === 'all' };
}

export const CompareArgs = CompareFields.transform(finishCompare);
export type CompareArgs = z.output<typeof CompareArgs>;

/**
 * The methods a comparison runs on a model of `kind`: 'all' is every method that can unlearn it; a method
 * named that cannot is one error before any work.
 */
export function comparedMethods(a: Pick<CompareArgs, 'methods' | 'all'>, meta: { kind: ModelKind; task: TaskName }): string[] {
  if (!a.all) {
    const refused = a.methods.map((m) => methodRefusal(m, meta)).find(Boolean);
    if (refused) throw new TaskArgsError(refused, 'unknown_method');
    return a.methods;
  }
  const methods = a.methods.filter((m) => !methodRefusal(m, meta));
  if (!methods.length) throw new TaskArgsError(`no method besides retrain can unlearn ${meta.kind} ${meta.task} models`);
  return methods;
}

/** The exact method that serves a model of `kind` (sisa for sharded, analytic for analytic); a single network has none. */
export function exactMethodOf(kind: ModelKind, ref: string): string {
  const name = METHOD_NAMES.find((n) => n !== 'retrain' && getMethod(n).kind === 'exact' && getMethod(n).accepts.includes(kind));
  if (!name) throw new TaskArgsError(`exact: ${ref} is a ${kind} model, which no exact method besides retrain serves: give a sharded or analytic checkpoint`);
  return name;
}

/** What a finished compare job keeps: the comparison itself is in the store. */
const summary = (c: Comparison) => ({ comparisonId: c.id, forgetText: c.forgetText, forgetCount: c.forgetCount, methods: c.methods, seeds: c.seeds, table: c.table });

export const compareTaskDef = defineTask({
  summary: 'run retrain and the chosen methods on one deletion request over several seeds; print the table',
  args: CompareArgs,
  check(a, env) {
    checkRequest(a, env, a.original);
    const original = env.meta(a.original);
    comparedMethods(a, original);
    for (const ref of a.exact) {
      const m = env.meta(ref);
      exactMethodOf(m.kind, ref);
      if (m.inputShape.join('x') !== original.inputShape.join('x') || m.numClasses !== original.numClasses) {
        throw new TaskArgsError(`exact: ${ref} takes ${m.inputShape.join('x')} inputs and ${m.numClasses} classes, the original ${original.inputShape.join('x')} and ${original.numClasses}`);
      }
    }
  },
  run: compareTask,
  keep: summary,
});

/** The tuning `--tuned` names, checked against the comparison's setting: its original and forget request. */
export function findTuning(a: Pick<CompareArgs, 'tuned' | 'forget'>, originalId: string, store: TaskContext['store']): ApiTuning | undefined {
  if (a.tuned === false) return undefined;
  if (!store) throw new TaskArgsError('tuned: tunings live in the store, which this run has none of');
  const forgetText = describeSpec(a.forget);
  const t = a.tuned === true ? store.tunings.latest(originalId, forgetText) : store.tunings.get(a.tuned);
  if (!t) {
    throw new TaskArgsError(a.tuned === true
      ? `tuned: no tuning of ${originalId} for ${forgetText}: run lethe tune --original … --forget ${forgetText} first`
      : `tuned: no tuning ${a.tuned}`);
  }
  if (t.originalId !== originalId || t.forgetText !== forgetText) {
    throw new TaskArgsError(`tuned: tuning ${t.id} is for ${t.originalId} and ${t.forgetText}, not ${originalId} and ${forgetText}`);
  }
  return t;
}

/** The methods a tuning changed and the parameters it chose for them (those it left at the defaults get no second row). */
export function tunedParams(t: ApiTuning, methods: string[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(t.methods.filter((m) => methods.includes(m.method) && m.chosen !== 0).map((m) => [m.method, m.configs[m.chosen].params]));
}

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

/** Another original the comparison serves by its exact method: its context and a scratch model of its architecture. */
interface ExactOriginal {
  checkpoint: Checkpoint;
  method: string;
  /** The row's name: the method and the model it ran on, e.g. `sisa@ensemble-5-mlp`. */
  label: string;
  ctx: UnlearnContext;
  scratch: Model;
}

/**
 * Runs one method for one seed (on the original, or with `on` on an exact original), saves its checkpoint, measures
 * it on the comparison's probe and frees it.
 */
async function runOne(s: Session, method: string, seed: number, on?: ExactOriginal, tuned?: Record<string, unknown>): Promise<MeasuredRun> {
  const name = on?.label ?? (tuned ? tunedLabel(method) : method);
  const ctx = on?.ctx ?? s.ctx;
  const label = `[${s.saved.length + 1}/${s.total}] ${name} seed ${seed}`;
  const say = s.task.onProgress && ((p: { done: number; total: number }) => s.task.onProgress!({ phase: name, done: p.done, total: p.total, message: label }));
  say?.({ done: 0, total: 1 });
  const r = await runMethod({ ...ctx, seed, onProgress: say }, method, tuned ?? (on || method === 'retrain' ? {} : s.params[method]));
  try {
    const dir = join(s.task.out, 'models', `${name}-seed${seed}`);
    const meta = await saveUnlearned(dir, r.model, { ...ctx, seed }, method, r.params, { seconds: r.seconds });
    s.saved.push({ dir, meta });
    return {
      modelId: meta.id, method: name, seed, params: method === 'retrain' ? {} : r.params, checkpoint: dir, seconds: r.seconds,
      measured: measure(r.model, s.ctx, s.probe),
      ...relearning(s, r.model, seed, on?.scratch),
    };
  } finally {
    r.model.dispose();
  }
}

/**
 * The relearning attack on `model`: its curve and its point at RELEARN_STEPS, the relearnAcc metric. A regressor has
 * no forget accuracy to bring back, so no attack (relearnAcc is a classification metric).
 */
function relearning(s: Session, model: Model, seed: number, scratch = s.scratch): { relearnCurve?: RelearnPoint[]; relearnAcc: number } {
  if (s.ctx.dataset.target) return { relearnAcc: NaN };
  const curve = relearnCurve(model, scratch, s.ctx.forget, s.ctx.dataset, RELEARN_CURVE_STEPS, { seed });
  return { relearnCurve: curve, relearnAcc: curve.find((p) => p.steps === RELEARN_STEPS)!.forgetAcc };
}

/** Loads the exact originals and checks they read the comparison's data. */
async function exactOriginals(a: CompareArgs, task: TaskContext, ctx: UnlearnContext): Promise<ExactOriginal[]> {
  const out: ExactOriginal[] = [];
  try {
    for (const ref of a.exact) {
      const checkpoint = await loadCheckpoint(task.modelDir(ref));
      const m = checkpoint.meta;
      let ectx: UnlearnContext;
      let method: string;
      try {
        method = exactMethodOf(m.kind, ref);
        ectx = prepareContext(checkpoint, a.forget, ctx.seed, task, ctx.data);
      } catch (e) {
        checkpoint.model.dispose();
        throw e;
      }
      out.push({ checkpoint, method, label: `${method}@${m.arch}`, ctx: ectx, scratch: copyOf(checkpoint.model) });
      // Refused now, not after the other methods have run: a request that touches a backbone's core data.
      refuseCore(m, ectx.dataset, ectx.sets.forget);
    }
    const labels = out.map((e) => e.label);
    const twice = labels.find((l, i) => labels.indexOf(l) !== i);
    if (twice) throw new TaskArgsError(`exact: two models would both be ${twice}; compare them in separate runs`);
    return out;
  } catch (e) {
    disposeExact(out);
    throw e;
  }
}

const disposeExact = (xs: ExactOriginal[]) => xs.forEach((e) => { e.checkpoint.model.dispose(); e.scratch.dispose(); });

export async function compareTask(a: CompareArgs, task: TaskContext): Promise<Comparison> {
  await initBackend();
  const original = await loadCheckpoint(task.modelDir(a.original));
  const seeds = seedList(a.seeds);
  const compared = comparedMethods(a, original.meta);
  const data = dataRefOf(a, original.meta.dataset);
  // A worst-case set is searched for once, with the original; every row (exact originals too) forgets that set.
  try {
    a = { ...a, forget: await prepareForget(a.forget, original, loadData(data), task) };
  } catch (e) {
    original.model.dispose();
    throw e;
  }
  const ctx = prepareContext(original, a.forget, seeds[0], task, data);
  const m: Meta = original.meta;
  let exact: ExactOriginal[] = [];
  let tuning: ApiTuning | undefined;
  try {
    tuning = findTuning(a, m.id, task.store);
    exact = await exactOriginals(a, task, ctx);
  } catch (e) {
    original.model.dispose();
    throw e;
  }
  const tuned = tuning ? tunedParams(tuning, compared) : {};
  const s: Session = {
    ctx, original, task, probe: makeProbe(ctx), scratch: copyOf(original.model),
    saved: [], params: a.params, total: seeds.length * (1 + compared.length + Object.keys(tuned).length + exact.length),
  };
  try {
    const retrains: MeasuredRun[] = [];
    for (const seed of seeds) retrains.push(await runOne(s, 'retrain', seed));
    const methods: { method: string; runs: MeasuredRun[] }[] = [];
    for (const method of compared) {
      const runs: MeasuredRun[] = [];
      for (const seed of seeds) runs.push(await runOne(s, method, seed));
      methods.push({ method, runs });
      if (!tuned[method]) continue;
      const tunedRuns: MeasuredRun[] = [];
      for (const seed of seeds) tunedRuns.push(await runOne(s, method, seed, undefined, tuned[method]));
      methods.push({ method: tunedLabel(method), runs: tunedRuns });
    }
    for (const e of exact) {
      const runs: MeasuredRun[] = [];
      for (const seed of seeds) runs.push(await runOne(s, e.method, seed, e));
      methods.push({ method: e.label, runs });
    }
    // The do-nothing model is attacked with each retrain's seed; its stored curve is the first seed's.
    const originalRelearning = seeds.map((seed) => relearning(s, original.model, seed));
    const { models, table } = await evaluateComparison({
      original: {
        modelId: m.id, method: 'original', seed: m.seed, params: {}, checkpoint: original.dir, seconds: 0,
        measured: measure(original.model, ctx, s.probe),
        relearnAcc: originalRelearning.map((r) => r.relearnAcc), relearnCurve: originalRelearning[0].relearnCurve,
      },
      retrains, methods, probe: s.probe, classNames: ctx.dataset.classNames,
    }, async (done, total) => {
      task.onProgress?.({ phase: 'evaluate', done, total, message: 'metrics and views of every model' });
      await checkpointAbort(task.signal, 'the comparison');
    });
    const comparison: Comparison = {
      id: randomUUID(), created: new Date().toISOString(), task: m.task, ...(ctx.dataset.targetInfo ? { target: ctx.dataset.targetInfo.column } : {}), originalId: m.id, dataset: ctx.data.name, arch: m.arch,
      forget: a.forget, forgetText: describeSpec(a.forget), forgetCount: ctx.sets.forget.length,
      methods: methods.map((x) => x.method), seeds, table, models,
      ...(tuning ? { tuning: { id: tuning.id, methods: tuning.methods.map((t) => t.method), params: tuned } } : {}),
    };
    persistComparison({ comparison, out: task.out, store: task.store, models: { original, data: ctx.data, dataset: ctx.dataset, saved: s.saved, exact: exact.map((e) => e.checkpoint) } });
    return comparison;
  } finally {
    s.scratch.dispose();
    disposeExact(exact);
    original.model.dispose();
  }
}
