// Running a method: the context it needs, prepared (and validated) before any work, and the timed run.
import { performance } from 'node:perf_hooks';
import { subset, type Dataset } from '../data/dataset.ts';
import { describeSpec, resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { idsAre } from '../data/forget/ids.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { saveCheckpoint, type Checkpoint, type Meta } from '../models/checkpoint.ts';
import { kindOps, type ModelKind } from '../models/kinds.ts';
import { splitAccuracy, splitL1 } from '../measure/accuracy.ts';
import type { Model } from '../models/layers.ts';
import type { OnProgress } from '../shared/http.ts';
import type { UnlearnContext } from './method.ts';
import { getMethod, METHOD_NAMES, parseParams } from './registry.ts';
import { CLASSIFICATION_ONLY, type TaskName } from '../data/tasks.ts';

/** A model takes only data of the shape and classes it was built for; anything else is one clear error. */
export function checkDataFits(ds: Dataset, meta: Meta, model: string) {
  if (ds.numClasses !== meta.numClasses || ds.inputShape.join('x') !== meta.inputShape.join('x')) {
    throw new Error(`${model} takes ${meta.inputShape.join('x')} inputs and ${meta.numClasses} classes, `
      + `but ${ds.name} has ${ds.inputShape.join('x')} inputs and ${ds.numClasses} classes`);
  }
}

/** Everything a method needs: the original, the data (default: the original's own), and the resolved request. */
export function prepareContext(
  original: Checkpoint, spec: ForgetSpec, seed: number, task: { signal?: AbortSignal; onProgress?: OnProgress } = {}, data: DataRef = original.meta.dataset,
): UnlearnContext {
  const dataset = loadData(data);
  checkDataFits(dataset, original.meta, original.dir);
  const sets = resolveForget(dataset, spec);
  return {
    original: original.model, meta: original.meta, head: original.head, shards: original.shards, data, dataset, sets,
    forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain),
    seed, signal: task.signal, onProgress: task.onProgress,
  };
}

/** A model with declared core data (its backbone's training set) cannot exactly delete any of it: one error naming the ids. */
export function refuseCore(meta: Meta, dataset: Dataset, forget: Int32Array) {
  if (!meta.core) return;
  const core = new Set(resolveForget(dataset, meta.core).forget);
  const hit = Array.from(forget).filter((id) => core.has(id));
  if (!hit.length) return;
  throw new Error(`${idsAre(hit)} core data (${describeSpec(meta.core)}), declared non-deletable: `
    + `the model's backbone was trained on ${hit.length > 1 ? 'them' : 'it'}, so no deletion from it can be exact`);
}

export interface Accuracies {
  forgetAcc: number;
  retainAcc: number;
  testAcc: number;
  forgetTestAcc?: number;
  retainTestAcc?: number;
}

/** A regressor's mean absolute errors (target units) on the same sets. */
export interface RegressionErrors {
  forgetL1: number;
  retainL1: number;
  testL1: number;
  forgetTestL1?: number;
  retainTestL1?: number;
}

/** What `lethe unlearn` reports of its result: accuracies for a classifier, L1 errors for a regressor. */
export type Scores = Accuracies | RegressionErrors;

export function scores(model: Model, ctx: UnlearnContext): Scores {
  if (!ctx.dataset.target) return accuracies(model, ctx);
  const { dataset, sets } = ctx;
  const e: RegressionErrors = { forgetL1: splitL1(model, dataset, sets.forget), retainL1: splitL1(model, dataset, sets.retain), testL1: splitL1(model, dataset, sets.test) };
  if (sets.forgetTest && sets.retainTest) {
    e.forgetTestL1 = splitL1(model, dataset, sets.forgetTest);
    e.retainTestL1 = splitL1(model, dataset, sets.retainTest);
  }
  return e;
}

export function accuracies(model: Model, ctx: UnlearnContext): Accuracies {
  const { dataset, sets } = ctx;
  const acc: Accuracies = {
    forgetAcc: splitAccuracy(model, dataset, sets.forget),
    retainAcc: splitAccuracy(model, dataset, sets.retain),
    testAcc: splitAccuracy(model, dataset, sets.test),
  };
  if (sets.forgetTest && sets.retainTest) {
    acc.forgetTestAcc = splitAccuracy(model, dataset, sets.forgetTest);
    acc.retainTestAcc = splitAccuracy(model, dataset, sets.retainTest);
  }
  return acc;
}

/**
 * Saves what a method made from `ctx.original`, with its lineage: parent, the data read, the request, the
 * method and its parameters, the seed it ran with; and what its kind keeps beside it (a head, a shard plan).
 */
export async function saveUnlearned(
  dir: string, model: Model, ctx: UnlearnContext, method: string, params: Record<string, unknown>, metrics: Record<string, number>,
  /** The training manifest, when the caller knows better (a deployment's approximate versions keep their parent's). */
  trainIds?: ArrayLike<number>,
) {
  const m = ctx.meta;
  const ops = await kindOps(m.kind);
  const kind = ops.derive(m, model);
  return saveCheckpoint(dir, model, {
    parent: m.id, arch: m.arch, dataset: ctx.data, inputShape: m.inputShape, task: m.task, numClasses: m.numClasses, seed: ctx.seed,
    trainIds: trainIds ?? trainedOn(ctx, getMethod(method).kind, ops.trainIds?.(model)), recipe: m.recipe, method, params, forget: ctx.sets.spec, metrics, ...(m.core ? { core: m.core } : {}), ...kind.meta,
  }, kind.files);
}

/**
 * The training manifest of a method's result. An exact method's result was trained on the retain set (or, where
 * its kind knows, on `known`); an approximate one's weights still derive from every sample the original saw, the
 * forget set included: its removal is measured, not proven, so lineage must keep counting it.
 */
export function trainedOn(ctx: UnlearnContext, exactness: 'exact' | 'approximate', known?: number[]): ArrayLike<number> {
  if (exactness === 'approximate') return Int32Array.from([...ctx.sets.retain, ...ctx.sets.forget]);
  return known ?? ctx.sets.retain;
}

/** The tasks a method serves (classification alone unless it says). */
export const methodTasks = (name: string) => getMethod(name).tasks ?? CLASSIFICATION_ONLY;

/** Why method `name` cannot unlearn a model of this kind and task, or undefined when it can. */
export function methodRefusal(name: string, meta: { kind: ModelKind; task: TaskName }): string | undefined {
  const { accepts } = getMethod(name);
  const { kind, task } = meta;
  if (!accepts.includes(kind)) return `${name} cannot unlearn ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} model: it takes ${accepts.join(' or ')} models`;
  const tasks = methodTasks(name);
  if (!tasks.includes(task)) {
    const serving = METHOD_NAMES.filter((m) => methodTasks(m).includes(task) && getMethod(m).accepts.includes(kind));
    return `${name} cannot unlearn a ${task} model: it serves ${tasks.join(' and ')} only (${task} methods: ${serving.join(', ')})`;
  }
  return undefined;
}

/** Runs one method on a prepared context and times the unlearning itself (not loading or evaluating). */
export async function runMethod(ctx: UnlearnContext, name: string, rawParams: Record<string, unknown>) {
  const method = getMethod(name);
  const params = parseParams(name, rawParams);
  const refused = methodRefusal(name, ctx.meta);
  if (refused) throw new Error(refused);
  refuseCore(ctx.meta, ctx.dataset, ctx.sets.forget);
  const t0 = performance.now();
  const model = await method.run(ctx, params);
  return { model, params, seconds: (performance.now() - t0) / 1000 };
}
