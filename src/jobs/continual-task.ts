// `lethe continual` / the continual job: a sequence of deletion requests applied one after another to one model
// (src/unlearn/continual.ts), a line per step, the final model saved as one checkpoint.
import { z } from 'zod';
import { idsOfSplit } from '../data/dataset.ts';
import type { ForgetSpec } from '../data/forget/index.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import { planIds } from '../models/sharded/plan.ts';
import { rng, sampleIndices, shuffle, subSeed } from '../shared/random.ts';
import { deleteInSequence, type ContinualStep } from '../unlearn/continual.ts';
import { methodRefusal } from '../unlearn/run.ts';
import { recordModel, recordOriginal } from './record.ts';
import { checkClasses, checkData, classifiersOnly, DataArgs, dataRefOf, defineTask, ForgetInput, ModelRef, TaskArgsError, type TaskContext } from './task.ts';
import { MethodName, methodParams } from './unlearn-task.ts';

export const MAX_REQUESTS = 10_000;
const count = z.number().int().min(1).max(MAX_REQUESTS);

export const ContinualArgs = z.object({
  model: ModelRef,
  ...DataArgs,
  method: MethodName,
  params: z.record(z.string(), z.unknown()).default({}),
  /** The requests, in arrival order. */
  requests: z.array(ForgetInput).min(1).max(MAX_REQUESTS).optional(),
  /** Instead of `requests`: this many single-sample requests, ids drawn without replacement from what the model holds. */
  random: count.optional(),
  /** Requests that arrive together, coalesced into one step. */
  together: count.default(1),
  /** Seeds the random requests and the method (default: the model's seed). */
  seed: z.number().int().optional(),
}).strict().transform((a, ctx) => {
  if ((a.requests === undefined) === (a.random === undefined)) ctx.addIssue({ code: 'custom', path: ['requests'], message: 'give either requests or random (a count of random single-sample requests), not both' });
  return { ...a, params: methodParams(a.method, a.params, ctx, ['params']) };
});
export type ContinualArgs = z.output<typeof ContinualArgs>;

export interface ContinualResult {
  checkpoint: string;
  modelId: string;
  method: string;
  steps: ContinualStep[];
  deleted: number;
  seconds: number;
}

export const continualTaskDef = defineTask({
  summary: 'apply a sequence of deletion requests one after another (coalescing those that arrive together); a line per step',
  args: ContinualArgs,
  check(a, env) {
    checkData(a, env);
    const meta = env.meta(a.model);
    classifiersOnly('the continual-deletion curve (accuracies)', meta, a.model);
    const refused = methodRefusal(a.method, meta);
    if (refused) throw new TaskArgsError(refused, 'unknown_method');
    for (const spec of a.requests ?? []) checkClasses(spec, meta);
  },
  run: continualTask,
  keep: ({ steps, ...rest }) => ({ ...rest, steps: steps.map(({ state, ...s }) => s) }),
  modelOf: (r) => r.modelId,
});

/** The ids a model still holds: a sharded model's plan, otherwise its data set's train split. */
function heldIds(original: Checkpoint, a: ContinualArgs): Int32Array {
  if (original.shards) return Int32Array.from(planIds(original.shards.plan));
  return idsOfSplit(loadData(dataRefOf(a, original.meta.dataset)), 'train');
}

/** `random` single-sample requests, seeded. */
function randomRequests(held: Int32Array, n: number, seed: number): ForgetSpec[] {
  if (n > held.length) throw new TaskArgsError(`random: ${n} requests, but the model holds only ${held.length} samples`);
  const pick = sampleIndices(held.length, n, rng(subSeed(seed, 'continual')));
  // sampleIndices returns ascending positions; the arrival order is a seeded shuffle of them.
  const order = shuffle(Array.from(pick, (i) => held[i]), rng(subSeed(seed, 'continual-order')));
  return order.map((id) => ({ kind: 'ids', ids: [id] }));
}

export async function continualTask(a: ContinualArgs, task: TaskContext): Promise<ContinualResult> {
  await initBackend();
  const original = await loadCheckpoint(task.modelDir(a.model));
  try {
    const seed = a.seed ?? original.meta.seed;
    const requests = a.requests ?? randomRequests(heldIds(original, a), a.random!, seed);
    const batches: ForgetSpec[][] = [];
    for (let i = 0; i < requests.length; i += a.together) batches.push(requests.slice(i, i + a.together));
    const data = dataRefOf(a, original.meta.dataset);
    const r = await deleteInSequence(original, batches, { method: a.method, params: a.params, data, seed, signal: task.signal, onProgress: task.onProgress });
    try {
      const meta = await r.save(task.out);
      if (task.store) {
        recordOriginal(task.store, original.dir, original.meta, data, loadData(data));
        recordModel(task.store, task.out, meta);
      }
      return { checkpoint: task.out, modelId: meta.id, method: a.method, steps: r.steps, deleted: r.deleted.length, seconds: r.steps.reduce((s, x) => s + x.seconds, 0) };
    } finally {
      r.model.dispose();
    }
  } finally {
    original.model.dispose();
  }
}
