// One trial of lethe tune: a method with some parameters and a seed, run on the tuning view and measured there.
// The same code runs in the tuning's own thread and in its trial workers (./trial-worker.ts).
import { subset } from '../data/dataset.ts';
import { resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { measureEvidence } from '../measure/measure.ts';
import type { Checkpoint } from '../models/checkpoint.ts';
import type { TrialValues } from '../shared/http.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { runMethod } from '../unlearn/run.ts';
import { objectiveOf } from './objective.ts';
import { viewWith } from './protocol.ts';

export interface TrialJob {
  id: number;
  method: string;
  params: Record<string, unknown>;
  seed: number;
}

/** What a trial needs to know of its setting; plain data, so a worker thread can be given it. */
export interface TrialSetting {
  /** The tuning original's checkpoint folder: the original retrained without the validation ids. */
  tunedDir: string;
  data: DataRef;
  validation: Int32Array;
  forget: ForgetSpec;
}

/** The unlearning context of every trial: the tuning original on the tuning view, the request resolved there. */
export function trialContext(tuned: Checkpoint, s: TrialSetting, signal?: AbortSignal): UnlearnContext {
  const { dataset } = viewWith(loadData(s.data), s.validation);
  const sets = resolveForget(dataset, s.forget);
  return {
    original: tuned.model, meta: tuned.meta, data: s.data, dataset, sets, forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain),
    seed: 0, signal,
  };
}

/** Runs `method` with `params` and `seed` and measures what the model's task's objective scores (on the validation set). */
export async function measureTrial(ctx: UnlearnContext, method: string, params: Record<string, unknown>, seed: number): Promise<TrialValues> {
  const r = await runMethod({ ...ctx, seed }, method, params);
  try {
    return { ...objectiveOf(ctx.meta.task).values(measureEvidence(r.model, ctx), seed), seconds: r.seconds };
  } finally {
    r.model.dispose();
  }
}
