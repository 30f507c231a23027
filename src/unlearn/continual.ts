// Continual deletion: a sequence of requests applied one after another, each step's result the next step's original.
// Requests that arrive together form one step: their ids are deleted as one request (coalesced), so a sharded model
// retrains each touched shard once. After each step: its cost, the test accuracy, and what the model's kind says of
// it (a sharded model's live prefixes). `lethe continual` and the deletion service call it.
import { randomUUID } from 'node:crypto';
import { idsOfSplit, subset } from '../data/dataset.ts';
import { describeSpec, resolveForget, type ForgetSets, type ForgetSpec } from '../data/forget/index.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { splitAccuracy } from '../measure/accuracy.ts';
import type { Checkpoint, Meta } from '../models/checkpoint.ts';
import { kindOps } from '../models/kinds.ts';
import type { Model } from '../models/layers.ts';
import type { OnProgress } from '../shared/http.ts';
import type { UnlearnContext } from './method.ts';
import { checkDataFits, methodRefusal, refuseCore, runMethod, saveUnlearned } from './run.ts';

export interface ContinualStep {
  /** 1-based. */
  step: number;
  /** The requests coalesced into this step, as text. */
  requests: string[];
  /** Samples this step deleted. */
  ids: number;
  /** The method's own time (not loading or measuring). */
  seconds: number;
  testAcc: number;
  /** What the result's kind says of it, e.g. `shard 2: order 0, 4/4 slices`. */
  state: string[];
}

export interface ContinualOptions {
  method: string;
  params: Record<string, unknown>;
  /** Default: the original's data set. */
  data?: DataRef;
  /** Default: the original's seed. */
  seed?: number;
  signal?: AbortSignal;
  onProgress?: OnProgress;
  /** After each step, with the step's result (owned by the sequence: read it, never dispose it). */
  onStep?: (s: ContinualStep, model: Model) => void;
}

export interface ContinualResult {
  /** The model after the last step (the caller disposes it); save it with `save`. */
  model: Model;
  steps: ContinualStep[];
  /** Every id deleted, ascending. */
  deleted: Int32Array;
  /** Writes the final model as one checkpoint derived from the original: its request is every id deleted. */
  save(dir: string): Promise<Meta>;
}

/**
 * Applies `batches` (each a list of requests that arrive together) to `original` in order. Every request is resolved
 * and checked before any work: an id asked for by two steps is one error naming both, since the later step would
 * ask to delete what is gone. Each step's retain set excludes everything deleted so far.
 */
export async function deleteInSequence(original: Checkpoint, batches: ForgetSpec[][], o: ContinualOptions): Promise<ContinualResult> {
  const refused = methodRefusal(o.method, original.meta);
  if (refused) throw new Error(refused);
  if (!batches.length || batches.some((b) => !b.length)) throw new Error('a sequence needs at least one step, each with at least one request');
  const data = o.data ?? original.meta.dataset;
  const dataset = loadData(data);
  checkDataFits(dataset, original.meta, original.dir);
  const train = idsOfSplit(dataset, 'train');
  const test = idsOfSplit(dataset, 'test');
  const firstStep = new Map<number, number>();
  const plan = batches.map((batch, i) => {
    const ids = new Set<number>();
    for (const spec of batch) for (const id of resolveForget(dataset, spec).forget) ids.add(id);
    refuseCore(original.meta, dataset, Int32Array.from(ids));
    for (const id of ids) {
      const earlier = firstStep.get(id);
      if (earlier !== undefined) throw new Error(`step ${i + 1} asks to delete id ${id}, which step ${earlier + 1} already deletes`);
      firstStep.set(id, i);
    }
    return Int32Array.from([...ids].sort((a, b) => a - b));
  });
  const ops = await kindOps(original.meta.kind);
  const seed = o.seed ?? original.meta.seed;
  const deleted = new Set<number>();
  let current: Pick<Checkpoint, 'model' | 'meta' | 'head' | 'shards'> = original;
  let last: UnlearnContext | undefined;
  const steps: ContinualStep[] = [];
  try {
    for (let i = 0; i < plan.length; i++) {
      const forget = plan[i];
      forget.forEach((id) => deleted.add(id));
      const sets: ForgetSets = { spec: { kind: 'ids', ids: Array.from(forget) }, forget, retain: train.filter((id) => !deleted.has(id)), test };
      const phase = `step ${i + 1}/${plan.length}`;
      const ctx: UnlearnContext = {
        original: current.model, meta: current.meta, head: current.head, shards: current.shards, data, dataset, sets,
        forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain), seed, signal: o.signal,
        onProgress: o.onProgress && ((p) => o.onProgress!({ ...p, phase: `${phase} · ${p.phase}` })),
      };
      const { model, seconds } = await runMethod(ctx, o.method, o.params);
      const derived = ops.derive(current.meta, model);
      if (current.model !== original.model) current.model.dispose();
      current = { model, meta: { ...current.meta, ...derived.meta, id: randomUUID(), parent: current.meta.id }, ...ops.stateOf(model) };
      last = ctx;
      const step: ContinualStep = {
        step: i + 1, requests: batches[i].map(describeSpec), ids: forget.length, seconds,
        testAcc: splitAccuracy(model, dataset, test), state: ops.describe?.(model) ?? [],
      };
      steps.push(step);
      o.onStep?.(step, model);
    }
  } catch (e) {
    if (current.model !== original.model) current.model.dispose();
    throw e;
  }
  const all = Int32Array.from([...deleted].sort((a, b) => a - b));
  const finalCtx: UnlearnContext = {
    ...last!, meta: original.meta,
    sets: { spec: { kind: 'ids', ids: Array.from(all) }, forget: all, retain: train.filter((id) => !deleted.has(id)), test },
  };
  const model = current.model;
  return {
    model, steps, deleted: all,
    save: (dir) => saveUnlearned(dir, model, finalCtx, o.method, { ...o.params, steps: steps.length }, {
      testAcc: steps.at(-1)!.testAcc, seconds: steps.reduce((s, x) => s + x.seconds, 0),
    }),
  };
}
