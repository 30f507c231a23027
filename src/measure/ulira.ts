// U-LiRA's shadow models (Hayes et al. 2024; the attack is src/eval/ulira.ts). Shadow k trains the original's
// architecture and recipe from scratch on a seeded random half H_k of the training split (the `retrain` method with
// retain = H_k, seed k): the shadow original. The method then unlearns, from it, the target examples it holds
// (forget = targets ∩ H_k, retain = H_k \ targets, seed k): the unlearned shadow. Each keeps only what the attack reads,
// its logits on the targets and on a fixed retain sample (and its accuracies), as a bank member (src/store/banks.ts).
// The shadow original's checkpoint is kept in a folder named by its content hash, so another method (or more targets)
// unlearns from it without training it again. The same code runs in a worker thread (./bank-worker.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { subset, type Dataset, type Subset } from '../data/dataset.ts';
import type { ForgetSets } from '../data/forget/index.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { accuracy } from '../eval/accuracy.ts';
import { loadCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { pickSorted, subSeed } from '../shared/random.ts';
import type { StoredMember } from '../store/banks.ts';
import { predictLogits } from '../train/predict.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { runMethod, saveUnlearned } from '../unlearn/run.ts';

export interface UliraSetting {
  kind: 'ulira';
  originalDir: string;
  data: DataRef;
  method: string;
  params: Record<string, unknown>;
  /** The target examples (sorted train ids) and the retain examples whose logits every shadow keeps. */
  targets: Int32Array;
  retainSample: Int32Array;
}

export interface ShadowJob {
  id: number;
  /** The shadow's number k = 1..K: its half's seed stream and its training and unlearning seed. */
  shadow: number;
  /** The shadow original's checkpoint folder. */
  dir: string;
  /** Which outputs the store lacks. */
  original: boolean;
  unlearned: boolean;
}

export interface ShadowOutputs {
  original?: StoredMember;
  unlearned?: StoredMember;
}

export interface UliraContext {
  setting: UliraSetting;
  original: Checkpoint;
  dataset: Dataset;
  train: Int32Array;
  targets: Subset;
  retainSample: Subset;
  test: Subset;
  signal?: AbortSignal;
}

/** H_k: half the training split (rounded down), a seeded sample per shadow. */
export const shadowHalf = (train: ArrayLike<number>, k: number) => Int32Array.from(pickSorted(train, Math.floor(train.length / 2), subSeed(k, 'ulira:half')));

export function uliraContext(original: Checkpoint, setting: UliraSetting, signal?: AbortSignal): UliraContext {
  const dataset = loadData(setting.data);
  const train = Int32Array.from({ length: dataset.size }, (_, i) => i).filter((i) => dataset.split[i] === 0);
  const test = Int32Array.from({ length: dataset.size }, (_, i) => i).filter((i) => dataset.split[i] === 1);
  return { setting, original, dataset, train, targets: subset(dataset, setting.targets), retainSample: subset(dataset, setting.retainSample), test: subset(dataset, test), signal };
}

/** A method's context on `model` with the given forget and retain ids (the test split as the data set's). */
function contextOn(u: UliraContext, from: Pick<Checkpoint, 'model' | 'meta' | 'head' | 'shards'>, forget: Int32Array, retain: Int32Array, seed: number): UnlearnContext {
  const sets: ForgetSets = { spec: { kind: 'ids', ids: Array.from(forget) }, forget, retain, test: u.test.ids };
  return {
    original: from.model, meta: from.meta, head: from.head, shards: from.shards, data: u.setting.data, dataset: u.dataset, sets,
    forget: subset(u.dataset, forget), retain: subset(u.dataset, retain), seed, signal: u.signal,
  };
}

const accOf = (logits: Float32Array, data: Subset) => accuracy(logits, data.y, data.numClasses);

/** What a shadow keeps: logits on the targets (the member's forget slot) and the retain sample; no test sample. */
function outputsOf(model: Model, u: UliraContext, seconds: number): StoredMember {
  const forget = predictLogits(model, u.targets);
  const retain = predictLogits(model, u.retainSample);
  return {
    forget, retain, test: new Float32Array(0), forgetAcc: accOf(forget, u.targets), retainAcc: accOf(retain, u.retainSample),
    testAcc: accOf(predictLogits(model, u.test), u.test), seconds,
  };
}

/**
 * The shadow original of `job`, from its folder, or trained (retrain on H_k, seed k) and saved there first. A folder
 * that went missing is trained again: the same seed and data give the same model on the same backend.
 */
async function shadowOriginal(u: UliraContext, job: ShadowJob, half: Int32Array): Promise<{ shadow: Checkpoint; seconds: number }> {
  if (existsSync(join(job.dir, 'meta.json'))) return { shadow: await loadCheckpoint(job.dir), seconds: 0 };
  const inHalf = new Uint8Array(u.dataset.size);
  for (const id of half) inHalf[id] = 1;
  const ctx = contextOn(u, u.original, u.train.filter((id) => !inHalf[id]), half, job.shadow);
  const r = await runMethod(ctx, 'retrain', {});
  try {
    await saveUnlearned(job.dir, r.model, ctx, 'retrain', {}, {});
  } finally {
    r.model.dispose();
  }
  // Unlearning always starts from the saved checkpoint, so a first run and a re-run start from the same weights.
  return { shadow: await loadCheckpoint(job.dir), seconds: r.seconds };
}

export async function measureShadow(u: UliraContext, job: ShadowJob): Promise<ShadowOutputs> {
  const half = shadowHalf(u.train, job.shadow);
  const { shadow, seconds } = await shadowOriginal(u, job, half);
  try {
    const out: ShadowOutputs = {};
    if (job.original) out.original = outputsOf(shadow.model, u, seconds);
    if (job.unlearned) {
      const inHalf = new Uint8Array(u.dataset.size);
      for (const id of half) inHalf[id] = 1;
      const isTarget = new Uint8Array(u.dataset.size);
      for (const id of u.setting.targets) isTarget[id] = 1;
      const forget = u.setting.targets.filter((id) => inHalf[id]);
      // A shadow that holds none of the targets has nothing to unlearn: it is its own unlearned shadow.
      if (!forget.length) out.unlearned = outputsOf(shadow.model, u, 0);
      else {
        const r = await runMethod(contextOn(u, shadow, forget, half.filter((id) => !isTarget[id]), job.shadow), u.setting.method, u.setting.params);
        try {
          out.unlearned = outputsOf(r.model, u, r.seconds);
        } finally {
          if (r.model !== shadow.model) r.model.dispose();
        }
      }
    }
    return out;
  } finally {
    shadow.model.dispose();
  }
}
