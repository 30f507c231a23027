// The deletions job: applies a deployment's open deletion requests (in order, coalescing those that wait together)
// and runs an approximate policy's due exact retrain. The server starts one after each request and at start-up.
import { z } from 'zod';
import { drain, type DrainResult } from '../deletion/service.ts';
import { defineTask, TaskArgsError } from './task.ts';

export const DeletionsArgs = z.object({
  deployment: z.string().min(1).max(64),
  /** Run a pending exact retrain now rather than at its due time. */
  retrainNow: z.boolean().default(false),
}).strict();

export const deletionsTaskDef = defineTask({
  summary: "apply a deployment's open deletion requests and its due exact retrain",
  args: DeletionsArgs,
  run: async (a, ctx): Promise<DrainResult> => {
    if (!ctx.store) throw new TaskArgsError('the deletions task needs the store');
    return drain(ctx.store, a.deployment, { signal: ctx.signal, onProgress: ctx.onProgress, retrainNow: a.retrainNow });
  },
});
