// Model banks (the field's many-model evaluations): N models retrained on the retain set (seeds 1..N) and N runs
// of a method from the same original (its seed varied), each kept only as what the metrics read: its logits on the
// forget set and on fixed retain and test samples, and its accuracies. A member is stored under a content hash of
// (original, data, forget ids, samples, method, parameters, seed, backend), so it is never computed twice and a
// bank grows from 16 to 64 by computing only the new seeds. The same code runs in a worker thread (./bank-worker.ts).
import { subset, type Subset } from '../data/dataset.ts';
import { resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { accuracy } from '../eval/accuracy.ts';
import type { Checkpoint } from '../models/checkpoint.ts';
import type { StoredMember } from '../store/banks.ts';
import { predictLogits } from '../train/predict.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { runMethod } from '../unlearn/run.ts';

export interface BankSetting {
  originalDir: string;
  data: DataRef;
  forget: ForgetSpec;
  /** The fixed retain and test samples whose logits every member keeps (for KLOM beyond the forget set). */
  retainSample: Int32Array;
  testSample: Int32Array;
}

export interface BankJob {
  id: number;
  method: string;
  params: Record<string, unknown>;
  seed: number;
}

/** What a member keeps: logits (n × k, row-major) on the forget set and the two samples, and its accuracies (%); the store's form. */
export type MemberOutputs = StoredMember;

export interface BankContext {
  ctx: UnlearnContext;
  retainSample: Subset;
  testSample: Subset;
  test: Subset;
}

export function bankContext(original: Checkpoint, s: BankSetting, signal?: AbortSignal): BankContext {
  const dataset = loadData(s.data);
  const sets = resolveForget(dataset, s.forget);
  return {
    ctx: {
      original: original.model, meta: original.meta, head: original.head, shards: original.shards, data: s.data, dataset, sets,
      forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain), seed: 0, signal,
    },
    retainSample: subset(dataset, s.retainSample),
    testSample: subset(dataset, s.testSample),
    test: subset(dataset, sets.test),
  };
}

const accOf = (logits: Float32Array, data: Subset) => accuracy(logits, data.y, data.numClasses);

export async function measureMember(b: BankContext, job: BankJob): Promise<MemberOutputs> {
  const r = await runMethod({ ...b.ctx, seed: job.seed }, job.method, job.params);
  try {
    const forget = predictLogits(r.model, b.ctx.forget);
    return {
      forget, retain: predictLogits(r.model, b.retainSample), test: predictLogits(r.model, b.testSample),
      forgetAcc: accOf(forget, b.ctx.forget), retainAcc: accOf(predictLogits(r.model, b.ctx.retain), b.ctx.retain),
      testAcc: accOf(predictLogits(r.model, b.test), b.test), seconds: r.seconds,
    };
  } finally {
    r.model.dispose();
  }
}
