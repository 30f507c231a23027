// `lethe bank` / the bank job: N retrained models and N runs of a method from the same original (src/measure/bank.ts),
// then the many-model metrics over them: the challenge's forgetting quality ε and KLOM.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { hashIds } from '../data/dataset.ts';
import { describeSpec, resolveForget } from '../data/forget/index.ts';
import { isDataSet, loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { forgetQuality, logitScaledConfidence, maxEpsilon } from '../eval/epsilon.ts';
import { klom, margins } from '../eval/klom.ts';
import { spread } from '../eval/spread.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import { bankContext, measureMember, type BankJob, type BankSetting, type MemberOutputs } from '../measure/bank.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import type { ApiBank, ApiBankRecord } from '../shared/http.ts';
import { pickSorted, subSeed } from '../shared/random.ts';
import { checkpointAbort } from '../train/progress.ts';
import { parseParams } from '../unlearn/registry.ts';
import { methodRefusal } from '../unlearn/run.ts';
import { WorkerPool } from './pool.ts';
import { prepareForget } from './prepare-forget.ts';
import { checkRequest, classifiersOnly, DataArgs, ParallelArg, dataRefOf, defineTask, ForgetInput, ModelRef, TaskArgsError, type TaskContext } from './task.ts';
import { MethodName, methodParams } from './unlearn-task.ts';

export const MAX_BANK = 512;

export const BankArgs = z.object({
  original: ModelRef,
  ...DataArgs,
  forget: ForgetInput,
  method: MethodName,
  params: z.record(z.string(), z.unknown()).default({}),
  /** Models per side. ε's top bucket is ceil(ln(N − 1)): 3 at N = 16, 4 at 32, 5 at 64, 7 at the challenge's 512. */
  n: z.number().int().min(3).max(MAX_BANK).default(16),
  /** Retain and test samples whose logits every member keeps, for KLOM beyond the forget set. */
  samples: z.number().int().min(10).max(10_000).default(500),
  parallel: ParallelArg,
  /**
   * Also write, into the job's folder, bank-<method>-confidences.csv (model,role,seed,id,confidence: every member's
   * logit-scaled confidence on every forget example) and bank-<method>-epsilon.csv (id,epsilon), so anyone can
   * recompute the score.
   */
  csv: z.boolean().default(false),
}).strict().transform((a, ctx) => ({ ...a, params: methodParams(a.method, a.params, ctx, ['params']) }));
export type BankArgs = z.output<typeof BankArgs>;

export const bankTaskDef = defineTask({
  summary: 'N retrained models and N runs of a method from the original: forgetting quality ε (the NeurIPS 2023 challenge) and KLOM',
  args: BankArgs,
  check(a, env) {
    checkRequest(a, env, a.original);
    if (a.method === 'retrain') throw new TaskArgsError('method: retrain is the bank\'s reference side; name the method to evaluate', 'unknown_method');
    classifiersOnly('a bank (KLOM, forgetting quality)', env.meta(a.original), a.original);
    const refused = methodRefusal(a.method, env.meta(a.original));
    if (refused) throw new TaskArgsError(refused, 'unknown_method');
  },
  run: bankTask,
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Per example (column i of rows[m][i]), the median over the rows. */
function medians(rows: Float64Array[]): number[] {
  return Array.from({ length: rows[0]?.length ?? 0 }, (_, i) => {
    const s = Float64Array.from(rows, (r) => r[i]).sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  });
}

/** The stored bank of a setting: the same original, data, forget ids, method, parameters and N give the same id. */
export function bankId(s: { original: string; data: unknown; forget: string; method: string; params: Record<string, unknown>; n: number }): string {
  return sha256(canonicalJson({ v: 1, original: s.original, data: s.data, forget: s.forget, method: s.method, params: s.params, n: s.n })).slice(0, 16);
}

const meanOf = (ms: MemberOutputs[], k: 'forgetAcc' | 'retainAcc' | 'testAcc' | 'seconds') => ms.reduce((a, m) => a + m[k], 0) / ms.length;

export async function bankTask(a: BankArgs, task: TaskContext): Promise<ApiBank> {
  if (!task.store) throw new Error('bank keeps its members in the store: run it from the CLI or the server');
  const store = task.store;
  const backend = (await initBackend()).backend;
  const original = await loadCheckpoint(task.modelDir(a.original));
  let pool: WorkerPool<BankJob, MemberOutputs> | undefined;
  try {
    const data = dataRefOf(a, original.meta.dataset);
    const ds = loadData(data);
    const forget = await prepareForget(a.forget, original, ds, task);
    const sets = resolveForget(ds, forget);
    const setting: BankSetting = {
      originalDir: original.dir, data, forget,
      retainSample: Int32Array.from(pickSorted(sets.retain, a.samples, subSeed(0, 'bank:retain'))),
      testSample: Int32Array.from(pickSorted(sets.test, a.samples, subSeed(0, 'bank:test'))),
    };
    const b = bankContext(original, setting, task.signal);
    const base = { original: original.meta.id, data, forget: hashIds(sets.forget), retainSample: hashIds(setting.retainSample), testSample: hashIds(setting.testSample), backend, classes: ds.numClasses };
    const seeds = Array.from({ length: a.n }, (_, i) => i + 1);
    const want = [
      ...seeds.map((seed) => ({ method: 'retrain', params: parseParams('retrain', {}), seed })),
      ...seeds.map((seed) => ({ method: a.method, params: a.params, seed })),
    ].map((m, id) => ({ ...m, id, key: sha256(canonicalJson({ v: 1, ...base, method: m.method, params: m.params, seed: m.seed })) }));
    const got: (MemberOutputs | undefined)[] = want.map((m) => store.banks.member(m.key));
    const stored = got.filter(Boolean).length;
    let done = stored;
    const say = (m: (typeof want)[number], note: string) => task.onProgress?.({ phase: 'bank', done, total: want.length, message: `${m.method} seed ${m.seed}${note}` });
    const keep = (m: (typeof want)[number], v: MemberOutputs) => {
      store.banks.saveMember(m.key, m.method, m.seed, v);
      got[m.id] = v;
      done++;
      say(m, '');
    };
    const todo = want.filter((m) => !got[m.id]);
    await checkpointAbort(task.signal, 'the bank');
    if (todo.length > 1 && a.parallel > 1) {
      pool = new WorkerPool({ size: Math.min(a.parallel, todo.length), module: new URL('../measure/bank-worker.ts', import.meta.url).href, setting, what: 'the bank', describe: (j) => `${j.method} member (seed ${j.seed})` });
      await pool.run(todo.map(({ key: _, ...job }) => job), (j, v) => keep(want[j.id], v), task.signal);
    } else {
      for (const m of todo) {
        await checkpointAbort(task.signal, 'the bank');
        keep(m, await measureMember(b, m));
      }
    }
    const members = got as MemberOutputs[];
    const retrained = members.slice(0, a.n);
    const unlearned = members.slice(a.n);
    const k = ds.numClasses;
    const conf = (ms: MemberOutputs[]) => ms.map((m) => logitScaledConfidence(m.forget, b.ctx.forget.y, k));
    const acc = { unlearnedRA: meanOf(unlearned, 'retainAcc'), retrainedRA: meanOf(retrained, 'retainAcc'), unlearnedTA: meanOf(unlearned, 'testAcc'), retrainedTA: meanOf(retrained, 'testAcc') };
    const confU = conf(unlearned);
    const confR = conf(retrained);
    const q = forgetQuality(confU, confR, acc);
    const files = a.csv ? writeCsv(task.out, a.method, b.ctx.forget.ids, confR, confU, q.epsilons) : undefined;
    const marginsOf = (ms: MemberOutputs[], set: 'forget' | 'retain' | 'test', labels: Int32Array) => ms.map((m) => margins(m[set], labels, k));
    const kl = (set: 'forget' | 'retain' | 'test', labels: Int32Array) => spread(klom(marginsOf(unlearned, set, labels), marginsOf(retrained, set, labels)));
    const side = (ms: MemberOutputs[]) => ({ forgetAcc: meanOf(ms, 'forgetAcc'), retainAcc: meanOf(ms, 'retainAcc'), testAcc: meanOf(ms, 'testAcc'), seconds: meanOf(ms, 'seconds') });
    const klomForget = klom(marginsOf(unlearned, 'forget', b.ctx.forget.y), marginsOf(retrained, 'forget', b.ctx.forget.y));
    const result: ApiBank = {
      id: bankId({ original: original.meta.id, data, forget: base.forget, method: a.method, params: a.params, n: a.n }),
      method: a.method, params: a.params, originalId: original.meta.id, dataset: data.name, forgetText: describeSpec(a.forget), forgetCount: sets.forget.length, n: a.n,
      unlearned: side(unlearned), retrained: side(retrained),
      epsilon: { ...spread(q.epsilons), maxEpsilon: maxEpsilon(a.n), forgetScore: q.forgetScore, score: q.score, capped: q.epsilons.filter((e) => e >= maxEpsilon(a.n)).length },
      klom: { forget: spread(klomForget), retain: kl('retain', b.retainSample.y), test: kl('test', b.testSample.y) },
      computed: todo.length, stored, ...(files ? { files } : {}),
    };
    const [, , channels = 1] = ds.inputShape;
    const record: ApiBankRecord = {
      ...result, created: new Date().toISOString(), samples: a.samples, classNames: ds.classNames,
      sampleImages: isDataSet(data.name) && ds.inputShape.length >= 2 && channels === 1,
      examples: {
        ids: Array.from(b.ctx.forget.ids), labels: Array.from(b.ctx.forget.y), epsilon: Array.from(q.epsilons),
        retrainedMedian: medians(confR), unlearnedMedian: medians(confU), klom: Array.from(klomForget),
      },
    };
    store.banks.save(record);
    return result;
  } finally {
    pool?.close();
    original.model.dispose();
  }
}

/** The bank's per-member, per-forget-example confidences and the per-example ε, as CSV in `dir`. */
function writeCsv(dir: string, method: string, ids: Int32Array, retrained: Float64Array[], unlearned: Float64Array[], epsilons: Float64Array) {
  mkdirSync(dir, { recursive: true });
  const files = { confidences: resolve(join(dir, `bank-${method}-confidences.csv`)), epsilon: resolve(join(dir, `bank-${method}-epsilon.csv`)) };
  const lines = ['model,role,seed,id,confidence'];
  const side = (role: string, ms: Float64Array[]) => ms.forEach((c, k) => c.forEach((v, i) => lines.push(`${role}-${k + 1},${role},${k + 1},${ids[i]},${v}`)));
  side('retrain', retrained);
  side('unlearned', unlearned);
  writeFileSync(files.confidences, lines.join('\n') + '\n');
  writeFileSync(files.epsilon, ['id,epsilon', ...Array.from(epsilons, (e, i) => `${ids[i]},${e}`)].join('\n') + '\n');
  return files;
}
