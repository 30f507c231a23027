// `lethe ulira` / the ulira job: K shadow originals on random halves of the training split and the method's unlearned
// shadows (src/measure/ulira.ts), then the per-example attack (src/eval/ulira.ts) on the target examples, and the
// membership attack on retain examples before and after unlearning.
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { hashIds } from '../data/dataset.ts';
import { isDataSet, loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { logitScaledConfidence } from '../eval/epsilon.ts';
import { spread } from '../eval/spread.ts';
import { uliraAttack } from '../eval/ulira.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import { measureShadow, shadowHalf, uliraContext, type ShadowJob, type ShadowOutputs, type UliraSetting } from '../measure/ulira.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import type { ApiUlira, ApiUliraRecord } from '../shared/http.ts';
import { pickSorted, subSeed } from '../shared/random.ts';
import type { StoredMember } from '../store/banks.ts';
import { checkpointAbort } from '../train/progress.ts';
import { checkDataFits, methodRefusal } from '../unlearn/run.ts';
import { WorkerPool } from './pool.ts';
import { checkData, classifiersOnly, DataArgs, dataRefOf, defineTask, ModelRef, ParallelArg, TaskArgsError, type TaskContext } from './task.ts';
import { MethodName, methodParams } from './unlearn-task.ts';

export const MAX_SHADOWS = 256;

export const UliraArgs = z.object({
  original: ModelRef,
  ...DataArgs,
  method: MethodName,
  params: z.record(z.string(), z.unknown()).default({}),
  /** Shadow models K, each on a seeded random half of the training split. */
  shadows: z.number().int().min(4).max(MAX_SHADOWS).default(16),
  /** Target examples: a seeded sample of the training split, unlearned in every shadow that holds them. */
  targets: z.number().int().min(1).max(10_000).default(200),
  /** Retain examples: a seeded sample of the rest of the training split, for the attack's effect on them. */
  retain: z.number().int().min(1).max(10_000).default(200),
  parallel: ParallelArg,
}).strict().transform((a, ctx) => ({ ...a, params: methodParams(a.method, a.params, ctx, ['params']) }));
export type UliraArgs = z.output<typeof UliraArgs>;

export const uliraTaskDef = defineTask({
  summary: 'U-LiRA (Hayes et al. 2024): K shadow models on random halves, the method unlearning the targets each holds; the per-example membership attack (50% = ideal)',
  args: UliraArgs,
  check(a, env) {
    checkData(a, env);
    // retrain is allowed: it is the attack's control, which must come out near 50%.
    classifiersOnly('U-LiRA', env.meta(a.original), a.original);
    const refused = methodRefusal(a.method, env.meta(a.original));
    if (refused) throw new TaskArgsError(refused, 'unknown_method');
  },
  run: uliraTask,
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The stored evaluation of a setting: the same original, data, target and retain samples, method, parameters and K give the same id. */
export function uliraId(s: { original: string; data: unknown; targets: string; retain: string; method: string; params: Record<string, unknown>; shadows: number }): string {
  return sha256(canonicalJson({ v: 1, kind: 'ulira', ...s })).slice(0, 16);
}

/** Where a shadow original's checkpoint lives: beside the store, named by its content hash. */
export const shadowDir = (storePath: string, key: string) => join(dirname(resolve(storePath)), 'ulira-shadows', key.slice(0, 16));

export async function uliraTask(a: UliraArgs, task: TaskContext): Promise<ApiUlira> {
  if (!task.store) throw new Error('ulira keeps its shadows in the store: run it from the CLI or the server');
  const store = task.store;
  const backend = (await initBackend()).backend;
  const original = await loadCheckpoint(task.modelDir(a.original));
  let pool: WorkerPool<ShadowJob, ShadowOutputs> | undefined;
  try {
    const data = dataRefOf(a, original.meta.dataset);
    const ds = loadData(data);
    checkDataFits(ds, original.meta, original.dir);
    const train = Int32Array.from({ length: ds.size }, (_, i) => i).filter((i) => ds.split[i] === 0);
    if (a.targets + a.retain > train.length) {
      throw new TaskArgsError(`targets + retain: ${a.targets} + ${a.retain} examples, but ${ds.name} has ${train.length} train samples`);
    }
    const targets = Int32Array.from(pickSorted(train, a.targets, subSeed(0, 'ulira:targets')));
    const isTarget = new Uint8Array(ds.size);
    for (const id of targets) isTarget[id] = 1;
    const retainSample = Int32Array.from(pickSorted(train.filter((id) => !isTarget[id]), a.retain, subSeed(0, 'ulira:retain')));
    const setting: UliraSetting = { kind: 'ulira', originalDir: original.dir, data, method: a.method, params: a.params, targets, retainSample };
    const u = uliraContext(original, setting, task.signal);
    const samples = { targets: hashIds(targets), retain: hashIds(retainSample) };
    const halves = Array.from({ length: a.shadows }, (_, i) => shadowHalf(train, i + 1));
    // A shadow original depends on the original's architecture and recipe, the data, its half and its seed; its
    // outputs also on the samples measured; an unlearned shadow also on the method and its parameters.
    const shadows = halves.map((half, i) => {
      const k = i + 1;
      const model = sha256(canonicalJson({ v: 1, role: 'ulira-shadow', original: original.meta.id, data, half: hashIds(half), seed: k, backend }));
      return {
        k, dir: shadowDir(store.path, model),
        originalKey: sha256(canonicalJson({ v: 1, role: 'ulira-shadow-outputs', model, ...samples })),
        unlearnedKey: sha256(canonicalJson({ v: 1, role: 'ulira-unlearned', model, ...samples, method: a.method, params: a.params })),
      };
    });
    const originals: (StoredMember | undefined)[] = shadows.map((s) => store.banks.member(s.originalKey));
    const unlearned: (StoredMember | undefined)[] = shadows.map((s) => store.banks.member(s.unlearnedKey));
    const stored = originals.filter(Boolean).length + unlearned.filter(Boolean).length;
    let done = stored;
    const total = 2 * a.shadows;
    const todo: ShadowJob[] = shadows.filter((s, i) => !originals[i] || !unlearned[i])
      .map((s) => ({ id: s.k - 1, shadow: s.k, dir: s.dir, original: !originals[s.k - 1], unlearned: !unlearned[s.k - 1] }));
    const keep = (job: ShadowJob, v: ShadowOutputs) => {
      const s = shadows[job.id];
      if (v.original) {
        store.banks.saveMember(s.originalKey, 'retrain', s.k, v.original);
        originals[job.id] = v.original;
        done++;
      }
      if (v.unlearned) {
        store.banks.saveMember(s.unlearnedKey, a.method, s.k, v.unlearned);
        unlearned[job.id] = v.unlearned;
        done++;
      }
      task.onProgress?.({ phase: 'ulira', done, total, message: `shadow ${s.k} of ${a.shadows}` });
    };
    await checkpointAbort(task.signal, 'U-LiRA');
    if (todo.length > 1 && a.parallel > 1) {
      pool = new WorkerPool({ size: Math.min(a.parallel, todo.length), module: new URL('../measure/bank-worker.ts', import.meta.url).href, setting, what: 'U-LiRA', describe: (j) => `U-LiRA shadow ${j.shadow}` });
      await pool.run(todo, keep, task.signal);
    } else {
      for (const job of todo) {
        await checkpointAbort(task.signal, 'U-LiRA');
        keep(job, await measureShadow(u, job));
      }
    }
    const k = ds.numClasses;
    const inHalf = halves.map((half) => {
      const m = new Uint8Array(ds.size);
      for (const id of half) m[id] = 1;
      return m;
    });
    const membership = (ids: Int32Array) => inHalf.map((m) => Uint8Array.from(ids, (id) => m[id]));
    const conf = (ms: (StoredMember | undefined)[], slot: 'forget' | 'retain', labels: Int32Array) => ms.map((m) => logitScaledConfidence(m![slot], labels, k));
    // The forget attack reads both sides from the unlearned shadows, so both went through the same pipeline: for a
    // target x, the positives are shadows that trained on x and then unlearned it, the negatives shadows that never
    // trained on x (their own unlearning touched other targets only), i.e. models retrained without x. This is the
    // question an auditor asks: can x's unlearning be told from x never having been there?
    const forget = uliraAttack(conf(unlearned, 'forget', u.targets.y), membership(targets));
    const retainMembers = membership(retainSample);
    const before = uliraAttack(conf(originals, 'retain', u.retainSample.y), retainMembers);
    const after = uliraAttack(conf(unlearned, 'retain', u.retainSample.y), retainMembers);
    const result: ApiUlira = {
      id: uliraId({ original: original.meta.id, data, ...samples, method: a.method, params: a.params, shadows: a.shadows }),
      method: a.method, params: a.params, originalId: original.meta.id, dataset: data.name, shadows: a.shadows, targets: targets.length, retainCount: retainSample.length,
      forget: { accuracy: forget.accuracy, tpr: forget.tpr, tnr: forget.tnr, perExample: spread(forget.perExample) },
      retain: { before: before.accuracy, after: after.accuracy, perExampleBefore: spread(before.perExample), perExampleAfter: spread(after.perExample) },
      computed: total - stored, stored,
    };
    const [, , channels = 1] = ds.inputShape;
    const record: ApiUliraRecord = {
      ...result, created: new Date().toISOString(), classNames: ds.classNames,
      sampleImages: isDataSet(data.name) && ds.inputShape.length >= 2 && channels === 1,
      examples: { ids: Array.from(targets), labels: Array.from(u.targets.y), accuracy: Array.from(forget.perExample) },
      retainExamples: { ids: Array.from(retainSample), labels: Array.from(u.retainSample.y), before: Array.from(before.perExample), after: Array.from(after.perExample) },
    };
    store.ulira.save(record);
    return result;
  } finally {
    pool?.close();
    original.model.dispose();
  }
}
