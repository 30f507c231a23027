// `lethe unlearn` as a library function: load, resolve the request, run the method, checkpoint, record.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hashIds, subset } from '../data/dataset.ts';
import { describeSpec, resolveForget, type ForgetSpec } from '../data/forget-spec.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { getMethod, parseParams } from '../unlearn/registry.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import type { TaskContext } from './context.ts';
import { recordDataset, recordModel, splitAccuracy } from './train-task.ts';

export interface UnlearnArgs {
  model: string;
  forget: ForgetSpec;
  method: string;
  params: Record<string, unknown>;
  seed?: number;
  out: string;
}

export interface Accuracies {
  forgetAcc: number;
  retainAcc: number;
  testAcc: number;
  forgetTestAcc?: number;
  retainTestAcc?: number;
}

export interface UnlearnResult extends Accuracies {
  checkpoint: string;
  modelId: string;
  method: string;
  params: Record<string, unknown>;
  forget: string;
  forgetCount: number;
  seconds: number;
}

/** Everything a method needs, prepared (and validated) before any work starts. */
export function prepareContext(original: Checkpoint, spec: ForgetSpec, seed: number, task: TaskContext = {}): UnlearnContext {
  const dataset = loadData(original.meta.dataset);
  const sets = resolveForget(dataset, spec);
  return {
    original: original.model, meta: original.meta, dataset, sets,
    forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain),
    seed, signal: task.signal, onProgress: task.onProgress,
  };
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

/** Runs one method on a prepared context and times the unlearning itself (not loading or evaluating). */
export async function runMethod(ctx: UnlearnContext, name: string, rawParams: Record<string, unknown>) {
  const method = getMethod(name);
  const params = parseParams(name, rawParams);
  const why = method.unsupported?.(ctx.sets.spec);
  if (why) throw new Error(`${name} cannot serve ${describeSpec(ctx.sets.spec)}: ${why}`);
  const t0 = performance.now();
  const model = await method.run(ctx, params);
  return { model, params, seconds: (performance.now() - t0) / 1000 };
}

export async function unlearnTask(args: UnlearnArgs, task: TaskContext = {}): Promise<UnlearnResult> {
  await initBackend();
  // Validate the cheap things first: a bad method or parameter never costs a model load.
  parseParams(args.method, args.params);
  const original = await loadCheckpoint(args.model);
  try {
    const ctx = prepareContext(original, args.forget, args.seed ?? original.meta.seed, task);
    const { model, params, seconds } = await runMethod(ctx, args.method, args.params);
    try {
      const acc = accuracies(model, ctx);
      const meta = await saveCheckpoint(args.out, model, {
        parent: original.meta.id, arch: original.meta.arch, dataset: original.meta.dataset,
        inputShape: original.meta.inputShape, numClasses: original.meta.numClasses, seed: ctx.seed,
        trainHash: hashIds(ctx.sets.retain), recipe: original.meta.recipe, method: args.method, params,
        forget: args.forget, metrics: { ...acc, seconds } as Record<string, number>,
      });
      if (task.store) {
        recordDataset(task.store, original.meta.dataset, ctx.dataset);
        if (!task.store.getModel(original.meta.id)) recordModel(task.store, original.dir, original.meta);
        recordModel(task.store, resolve(args.out), meta);
      }
      return {
        checkpoint: args.out, modelId: meta.id, method: args.method, params, forget: describeSpec(args.forget),
        forgetCount: ctx.sets.forget.length, seconds, ...acc,
      };
    } finally {
      model.dispose();
    }
  } finally {
    original.model.dispose();
  }
}
