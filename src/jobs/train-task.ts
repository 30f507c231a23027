// `lethe train` / the train job: load data, build, train, checkpoint, record.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { idsOfSplit } from '../data/dataset.ts';
import { initBackend } from '../engine/backend.ts';
import { resolveForget } from '../data/forget/index.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { loadCheckpoint, saveCheckpoint, type Meta } from '../models/checkpoint.ts';
import type { Fitted } from '../models/kind-ops.ts';
import { kindOps } from '../models/kinds.ts';
import { ARCH_NAMES } from '../models/registry.ts';
import { RecipeArg } from '../train/recipe.ts';
import { DEFAULT_RECIPE } from '../train/train.ts';
import { splitScores } from '../measure/accuracy.ts';
import { taskOf, type TaskName } from '../data/tasks.ts';
import { dataKey, recordDataset, recordModel } from './record.ts';
import { checkData, DataArgs, dataRefOf, defineTask, ForgetInput, TaskArgsError, type TaskContext } from './task.ts';

const int = z.number().int();

export const TrainArgs = z.object({
  ...DataArgs,
  /** A built-in data set; on the CLI also a .csv file or a folder of IDX files. */
  data: z.string().min(1).max(1000),
  model: z.enum(ARCH_NAMES, { error: () => `unknown architecture: use one of ${ARCH_NAMES.join(', ')}` }),
  epochs: int.min(1).max(1000).default(DEFAULT_RECIPE.epochs),
  batchSize: int.min(1).max(65536).default(DEFAULT_RECIPE.batchSize),
  optimizer: z.enum(['sgd', 'adam']).default(DEFAULT_RECIPE.optimizer),
  lr: z.number().gt(0).max(10).default(DEFAULT_RECIPE.lr),
  weightDecay: z.number().min(0).max(1).default(DEFAULT_RECIPE.weightDecay),
  momentum: z.number().min(0).max(0.999).default(DEFAULT_RECIPE.momentum),
  seed: int.default(1),
  /** How to train: absent is gradient training; `analytic:dim=D,gamma=G` fits a random-feature ridge head; `sharded:shards=S,slices=L,orders=B` an ensemble. */
  recipe: RecipeArg.optional(),
  /**
   * Train only on these samples and declare them non-deletable: the model can then serve as an analytic head's
   * backbone (`--recipe analytic:backbone=<this checkpoint>`), whose deletions never touch them.
   */
  core: ForgetInput.optional(),
}).strict();
export type TrainArgs = z.output<typeof TrainArgs>;

export interface TrainResult {
  checkpoint: string;
  modelId: string;
  task: TaskName;
  /** A classifier's accuracies (%). */
  trainAcc?: number;
  testAcc?: number;
  /** A regressor's mean absolute errors, in the target's units. */
  trainL1?: number;
  testL1?: number;
  seconds: number;
  losses: number[];
  backend: string;
  /** What the recipe did not use, when it was not plain gradient training. */
  note?: string;
}

export const trainTaskDef = defineTask({
  summary: 'train a model and write a checkpoint',
  args: TrainArgs,
  check(a, env) {
    checkData(a, env);
    if (a.core && a.recipe) throw new TaskArgsError('core: only a gradient-trained model (no recipe) is trained on core data; an analytic head takes its core from its backbone');
    const backbone = a.recipe?.kind === 'analytic' && a.recipe.backbone !== 'random' ? a.recipe.backbone : undefined;
    if (backbone) checkBackbone(env.meta(backbone), backbone, dataRefOf(a));
  },
  run: trainTask,
  modelOf: (r) => r.modelId,
});

/** A backbone is a single network trained on declared core data of the same data set. */
function checkBackbone(meta: Meta, ref: string, data: DataRef) {
  if (meta.kind !== 'single') throw new TaskArgsError(`backbone ${ref} is ${/^[aeiou]/.test(meta.kind) ? 'an' : 'a'} ${meta.kind} model: a backbone is a single network`);
  if (!meta.core) throw new TaskArgsError(`backbone ${ref} was not trained on declared core data (lethe train --core SPEC): deletions from a head on it could not be exact`);
  if (dataKey(meta.dataset) !== dataKey(data)) throw new TaskArgsError(`backbone ${ref} was trained on ${dataKey(meta.dataset)}, the head is fitted on ${dataKey(data)}: its core ids would mean other samples`);
}

export async function trainTask(a: TrainArgs, ctx: Omit<TaskContext, 'modelDir'> & Partial<Pick<TaskContext, 'modelDir'>>): Promise<TrainResult> {
  const { backend } = await initBackend();
  const ref = dataRefOf(a);
  const ds = loadData(ref);
  if (ds.target && a.recipe) throw new TaskArgsError(`recipe: ${a.recipe.kind} models are classifiers; ${ds.name} is a regression data set (train a single network on it)`);
  if (ds.target && a.core) throw new TaskArgsError(`core: core data serves an analytic head's backbone, a classifier; ${ds.name} is a regression data set`);
  const recipe = { epochs: a.epochs, batchSize: a.batchSize, optimizer: a.optimizer, lr: a.lr, weightDecay: a.weightDecay, momentum: a.momentum };
  // With core, train on exactly the core samples (resolved like a deletion request, so the same errors apply).
  const trainIds = a.core ? resolveForget(ds, a.core).forget : idsOfSplit(ds, 'train');
  const t0 = performance.now();
  const ops = await kindOps(a.recipe?.kind ?? 'single');
  const backboneRef = a.recipe?.kind === 'analytic' && a.recipe.backbone !== 'random' ? a.recipe.backbone : undefined;
  const backbone = backboneRef ? await loadCheckpoint(ctx.modelDir ? ctx.modelDir(backboneRef) : backboneRef) : undefined;
  let fitted: Fitted;
  try {
    if (backbone) checkBackbone(backbone.meta, backboneRef!, ref);
    fitted = await ops.fit(ds, trainIds, { arch: a.model, recipe, seed: a.seed, kindRecipe: a.recipe, backbone }, { signal: ctx.signal, onProgress: ctx.onProgress });
  } finally {
    backbone?.model.dispose();
  }
  const { model, losses, note } = fitted;
  try {
    const seconds = (performance.now() - t0) / 1000;
    const scores = splitScores(model, ds, trainIds, idsOfSplit(ds, 'test'));
    const task = taskOf(ds);
    const meta = await saveCheckpoint(ctx.out, model, {
      parent: null, dataset: ref, inputShape: ds.inputShape, task, numClasses: ds.numClasses,
      seed: a.seed, trainIds, recipe, method: 'train', forget: null,
      metrics: { ...scores, seconds }, ...(a.core ? { core: a.core } : {}), ...fitted.meta,
    }, fitted.files);
    if (ctx.store) {
      recordDataset(ctx.store, ref, ds);
      recordModel(ctx.store, ctx.out, meta);
    }
    return { checkpoint: ctx.out, modelId: meta.id, task, ...scores, seconds, losses, backend, ...(note ? { note } : {}) };
  } finally {
    model.dispose();
  }
}
