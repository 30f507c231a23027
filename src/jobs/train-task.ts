// `lethe train` / the train job: load data, build, train, checkpoint, record.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { hashIds, idsOfSplit, subset } from '../data/dataset.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { saveCheckpoint, type NewMeta } from '../models/checkpoint.ts';
import { ARCH_NAMES, buildModel } from '../models/registry.ts';
import { analyticArch } from '../models/analytic/model.ts';
import { fitHead } from '../models/analytic/fit.ts';
import { headFiles, headMetaOf } from '../models/analytic/state.ts';
import { RecipeArg } from '../train/recipe.ts';
import { DEFAULT_RECIPE, train } from '../train/train.ts';
import { splitAccuracy } from '../measure/accuracy.ts';
import { recordDataset, recordModel } from './record.ts';
import { checkData, DataArgs, dataRefOf, defineTask, type TaskContext } from './task.ts';

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
  /** How to train: absent is gradient training; `analytic:dim=D,gamma=G` fits a random-feature ridge head. */
  recipe: RecipeArg.optional(),
}).strict();
export type TrainArgs = z.output<typeof TrainArgs>;

export interface TrainResult {
  checkpoint: string;
  modelId: string;
  trainAcc: number;
  testAcc: number;
  seconds: number;
  losses: number[];
  backend: string;
  /** What the recipe did not use, when it was not plain gradient training. */
  note?: string;
}

export const trainTaskDef = defineTask({
  summary: 'train a model and write a checkpoint',
  args: TrainArgs,
  check: checkData,
  run: trainTask,
  modelOf: (r) => r.modelId,
});

export async function trainTask(a: TrainArgs, ctx: Omit<TaskContext, 'modelDir'>): Promise<TrainResult> {
  const { backend } = await initBackend();
  const ref = dataRefOf(a);
  const ds = loadData(ref);
  const recipe = { epochs: a.epochs, batchSize: a.batchSize, optimizer: a.optimizer, lr: a.lr, weightDecay: a.weightDecay, momentum: a.momentum };
  const analytic = a.recipe?.kind === 'analytic' ? a.recipe : undefined;
  const arch = analytic ? analyticArch(analytic.dim) : a.model;
  const model = buildModel(arch, ds.inputShape, ds.numClasses, a.seed);
  const trainIds = idsOfSplit(ds, 'train');
  try {
    const t0 = performance.now();
    let losses: number[] = [];
    let kindMeta: Pick<NewMeta, 'kind' | 'head'> = {};
    let files: Record<string, Uint8Array> = {};
    if (analytic) {
      const head = await fitHead(model, subset(ds, trainIds), analytic.dim, analytic.gamma, { signal: ctx.signal, onProgress: ctx.onProgress });
      kindMeta = { kind: 'analytic', head: headMetaOf(head, a.seed) };
      files = headFiles(head);
    } else {
      ({ losses } = await train(model, subset(ds, trainIds), recipe, { seed: a.seed, signal: ctx.signal, onProgress: ctx.onProgress }));
    }
    const seconds = (performance.now() - t0) / 1000;
    const trainAcc = splitAccuracy(model, ds, trainIds);
    const testAcc = splitAccuracy(model, ds, idsOfSplit(ds, 'test'));
    const meta = await saveCheckpoint(ctx.out, model, {
      parent: null, arch, dataset: ref, inputShape: ds.inputShape, numClasses: ds.numClasses,
      seed: a.seed, trainHash: hashIds(trainIds), recipe, method: 'train', params: analytic ? { recipe: analytic } : {}, forget: null,
      metrics: { trainAcc, testAcc, seconds }, ...kindMeta,
    }, files);
    if (ctx.store) {
      recordDataset(ctx.store, ref, ds);
      recordModel(ctx.store, ctx.out, meta);
    }
    const note = analytic
      ? `analytic head (random features, dim ${analytic.dim}, gamma ${analytic.gamma}, feature seed ${a.seed}): model, epochs, batch size, optimizer, lr, weight decay and momentum are not used`
      : undefined;
    return { checkpoint: ctx.out, modelId: meta.id, trainAcc, testAcc, seconds, losses, backend, ...(note ? { note } : {}) };
  } finally {
    model.dispose();
  }
}
