// `lethe import --predictions DIR`: a comparison from models Lethe never ran, known only by their predictions
// (the exchange CSV of `lethe predict`, written by any framework). Measured the way `lethe compare` measures,
// minus what needs weights (layer similarity, the embedding, the relearning attack, timings).
// `lethe import --onnx FILE`: a network trained elsewhere as a Lethe checkpoint, to unlearn, evaluate and retrain.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { idsOfSplit } from '../data/dataset.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { splitAccuracy } from '../measure/accuracy.ts';
import { saveCheckpoint } from '../models/checkpoint.ts';
import { importOnnx, onnxArch, type OnnxSource } from '../models/onnx/import.ts';
import { describeSpec, type ForgetSpec } from '../data/forget/index.ts';
import { idLines } from '../data/forget/ids.ts';
import { evaluateComparison, type MeasuredRun } from '../eval/comparison.ts';
import type { Measured, ProbeSamples } from '../eval/details.ts';
import { checkSameSamples, readPredictions, rowsOf, type Predictions } from '../measure/predictions.ts';
import { probeIds } from '../measure/measure.ts';
import { targetStats } from '../data/formats/csv.ts';
import type { Comparison } from '../shared/contract.ts';
import { persistComparison } from './persist.ts';
import { recordDataset, recordModel } from './record.ts';
import { DataArgs, dataRefOf, type TaskContext } from './task.ts';
import { TrainArgs } from './train-task.ts';
import { needClasses } from '../data/tasks.ts';

export interface ImportArgs {
  /** A folder with original.csv, one or more retrain*.csv, the unlearned models' CSVs, and forget.txt. */
  dir: string;
  /** Class names, when known (default: class 0 … K-1). */
  classNames?: string[];
}

/** "salun-seed2.csv" → method salun, seed 2; "salun.csv" → seed 1 (the files of a method are its seeds, in name order). */
function modelOf(file: string, index: number) {
  const name = basename(file, '.csv');
  const m = /^(.*?)[-_]seed(\d+)$/.exec(name);
  return { name, method: m ? m[1] : name, seed: m ? Number(m[2]) : index + 1 };
}

function readForget(dir: string, p: Predictions): Int32Array {
  const file = join(dir, 'forget.txt');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): list the forgotten sample ids, one a line`);
  }
  const ids = new Set<number>();
  for (const { id, line } of idLines(text, file)) {
    const r = p.row.get(id);
    if (r === undefined) throw new Error(`${file}:${line}: sample ${id} is not in ${p.file}`);
    if (p.split[r] !== 0) throw new Error(`${file}:${line}: sample ${id} is a test sample; only training data can be forgotten`);
    ids.add(id);
  }
  if (!ids.size) throw new Error(`${file} lists no ids`);
  return Int32Array.from([...ids].sort((a, b) => a - b));
}

/** A forget set that is exactly some classes' training samples is class forgetting (its class columns apply). */
function specOf(forget: Int32Array, train: Int32Array, p: Predictions): ForgetSpec {
  if (p.target) return { kind: 'ids', ids: Array.from(forget) };
  const label = (id: number) => p.labels[p.row.get(id)!];
  const classes = [...new Set(Array.from(forget, label))].sort((a, b) => a - b);
  const inClasses = train.filter((id) => classes.includes(label(id)));
  return inClasses.length === forget.length ? { kind: 'class', classes } : { kind: 'ids', ids: Array.from(forget) };
}

function measured(p: Predictions, sets: { forget: Int32Array; retain: Int32Array; test: Int32Array }, spec: ForgetSpec, view: Int32Array, probe: ProbeSamples, targetSd?: number): Measured {
  return {
    evidence: {
      numClasses: p.numClasses, forget: rowsOf(p, sets.forget), retain: rowsOf(p, sets.retain), test: rowsOf(p, sets.test),
      ...(spec.kind === 'class' ? { forgottenClasses: spec.classes } : {}),
      ...(targetSd !== undefined ? { targetSd } : {}),
    },
    ...(p.target ? { probeOutputs: rowsOf(p, probe.ids).probs } : {}),
    viewProbs: rowsOf(p, view).probs,
  };
}

export async function importPredictions(a: ImportArgs, task: Omit<TaskContext, 'modelDir'>): Promise<Comparison> {
  const dir = resolve(a.dir);
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  if (!files.includes('original.csv')) throw new Error(`${dir}: no original.csv (the model before unlearning)`);
  const retrainFiles = files.filter((f) => f.startsWith('retrain'));
  if (!retrainFiles.length) throw new Error(`${dir}: no retrain*.csv (a model retrained without the forget set, the reference)`);
  const original = readPredictions(join(dir, 'original.csv'));
  const all = files.map((f) => (f === 'original.csv' ? original : readPredictions(join(dir, f))));
  for (const p of all) checkSameSamples(original, p);
  const byFile = new Map(files.map((f, i) => [f, all[i]]));

  const train = original.ids.filter((_, i) => original.split[i] === 0).sort();
  const forget = readForget(dir, original);
  const inForget = new Set(forget);
  const sets = { forget, retain: train.filter((id) => !inForget.has(id)), test: original.ids.filter((_, i) => original.split[i] === 1).sort() };
  if (!sets.retain.length || !sets.test.length) throw new Error(`${dir}: the predictions need retain (train, not forgotten) and test samples`);
  const spec = specOf(forget, train, original);
  // The probe compare draws; a classifier's per-sample views need weights, a regressor's Predictions view does not.
  const regression = !!original.target;
  const picked = probeIds(sets);
  const view = picked.view;
  const ids = regression ? picked.ids : new Int32Array(0);
  const probe: ProbeSamples = {
    ids, labels: new Int32Array(ids.length), isForget: Array.from(ids, (_, i) => i < picked.forgetCount),
    ...(regression ? { target: rowsOf(original, ids).target } : {}),
    view: { ids: view, labels: rowsOf(original, view).labels },
  };
  // The loss-based MIA's unit: the training targets' sd, as a CSV's targetInfo.sd.
  const targetSd = regression ? targetStats(rowsOf(original, train).target!).sd || 1 : undefined;
  const run = (file: string, index: number, method?: string): MeasuredRun => {
    const m = modelOf(file, index);
    return { modelId: m.name, method: method ?? m.method, seed: m.seed, params: {}, checkpoint: join(dir, file), seconds: NaN, relearnAcc: NaN, measured: measured(byFile.get(file)!, sets, spec, view, probe, targetSd) };
  };
  const retrains = retrainFiles.map((f, i) => run(f, i, 'retrain'));
  const methodNames = [...new Set(files.filter((f) => f !== 'original.csv' && !retrainFiles.includes(f)).map((f) => modelOf(f, 0).method))];
  // A method's i-th file is measured against the i-th retrain (modulo their number), as compare pairs seeds.
  const methods = methodNames.map((method) => ({
    method,
    runs: files.filter((f) => f !== 'original.csv' && !retrainFiles.includes(f) && modelOf(f, 0).method === method).map((f, i) => ({ ...run(f, i), seed: retrains[i % retrains.length].seed })),
  }));
  const { models, table } = await evaluateComparison({
    original: { ...run('original.csv', 0, 'original'), relearnAcc: retrains.map(() => NaN) },
    retrains, methods, probe, classNames: regression ? [] : a.classNames ?? Array.from({ length: original.numClasses }, (_, c) => `class ${c}`),
  }, (done, total) => task.onProgress?.({ phase: 'evaluate', done, total }));
  const comparison: Comparison = {
    id: randomUUID(), created: new Date().toISOString(), originalId: 'original', dataset: basename(dir), arch: 'external',
    forget: spec, forgetText: describeSpec(spec), forgetCount: forget.length, sampleImages: false, methods: methodNames, seeds: retrains.map((r) => r.seed),
    table, models, ...(regression ? { task: 'regression' as const, target: 'target' } : {}),
  };
  persistComparison({ comparison, out: task.out, store: task.store });
  return comparison;
}

/** `lethe import --onnx`: the file, the data set it was trained on, and the recipe `retrain` will use (train's flags and defaults). */
export const ImportOnnxArgs = z.object({
  ...DataArgs,
  onnx: z.string().min(1).max(1000),
  ...TrainArgs.pick({ epochs: true, batchSize: true, optimizer: true, lr: true, weightDecay: true, momentum: true, seed: true }).shape,
}).strict();
export type ImportOnnxArgs = z.output<typeof ImportOnnxArgs>;

export interface ImportOnnxResult {
  checkpoint: string;
  modelId: string;
  arch: string;
  source: OnnxSource;
  /** ONNX nodes read and TensorFlow.js layers built (the input layer included). */
  nodes: number;
  layers: number;
  /** The training split the model is assumed to have been trained on (its training manifest). */
  dataset: string;
  trainSamples: number;
  trainAcc: number;
  testAcc: number;
  backend: string;
}

/**
 * Reads an ONNX model, builds it as a TensorFlow.js model taking the data set's NHWC inputs, and saves it as a
 * single-network checkpoint (arch `onnx:<name>`, method `import`). Lethe cannot know what the model was trained on:
 * its training manifest is the data set's training split, as if trained there, so deletions and lineage count it.
 */
export async function importOnnxTask(a: ImportOnnxArgs, ctx: Pick<TaskContext, 'out' | 'store'>): Promise<ImportOnnxResult> {
  const { backend } = await initBackend();
  const ref = dataRefOf(a);
  const ds = loadData(ref);
  needClasses(ds, 'lethe import --onnx (a classifier\'s logits)');
  const path = resolve(a.onnx);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${a.onnx}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const { model, source, nodes } = importOnnx(bytes, { file: path, inputShape: ds.inputShape, numClasses: ds.numClasses, dataName: ds.name });
  try {
    const trainIds = idsOfSplit(ds, 'train');
    const trainAcc = splitAccuracy(model, ds, trainIds);
    const testAcc = splitAccuracy(model, ds, idsOfSplit(ds, 'test'));
    const arch = onnxArch(path);
    const recipe = { epochs: a.epochs, batchSize: a.batchSize, optimizer: a.optimizer, lr: a.lr, weightDecay: a.weightDecay, momentum: a.momentum };
    const meta = await saveCheckpoint(ctx.out, model, {
      parent: null, arch, dataset: ref, inputShape: ds.inputShape, numClasses: ds.numClasses, seed: a.seed, trainIds, recipe,
      method: 'import', params: { file: source.file }, forget: null, metrics: { trainAcc, testAcc }, source,
    });
    if (ctx.store) {
      recordDataset(ctx.store, ref, ds);
      recordModel(ctx.store, ctx.out, meta);
    }
    return {
      checkpoint: ctx.out, modelId: meta.id, arch, source, nodes, layers: model.layers.length, dataset: ds.name,
      trainSamples: trainIds.length, trainAcc, testAcc, backend,
    };
  } finally {
    model.dispose();
  }
}
