// `lethe demo`: the end-to-end story on Fashion-MNIST. Train a base model that memorises its training data,
// then compare every method against retraining for one forgotten class and for a 10% random forget set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ForgetSpec } from '../data/forget/index.ts';
import { dataAvailable } from '../data/registry.ts';
import { tableMarkdown } from '../eval/table.ts';
import type { Comparison } from '../shared/contract.ts';
import { CompareArgs } from './compare-task.ts';
import { parseForgetSpec } from '../data/forget/index.ts';
import { isMethod } from '../unlearn/registry.ts';
import { methodTasks } from '../unlearn/run.ts';
import type { TaskContext } from './task.ts';
import { parseArgs, runTask, type NameOf } from './tasks.ts';
import { TrainArgs, type TrainResult } from './train-task.ts';

/**
 * The measurable setting: forgetting only shows where the original memorised its training data. An MLP on
 * all 60k Fashion-MNIST images generalises (train ≈ test accuracy), so doing nothing is already close to
 * retraining. On the first 2,000 images for 40 epochs it reaches ~99% train vs ~82% test accuracy, and doing
 * nothing is ~10 points (avgGap) away from retraining on a 10% random forget set.
 */
export const DEMO_SETTING = {
  train: {
    data: 'fashion-mnist', trainSize: 2000, model: 'mlp', epochs: 40, batchSize: 128, optimizer: 'adam', lr: 1e-3, weightDecay: 0, momentum: 0.9, seed: 1,
  } satisfies TrainArgs,
  forgets: [
    { kind: 'class', classes: [4] },
    { kind: 'random', fraction: 0.1, seed: 1 },
  ] satisfies ForgetSpec[],
  seeds: 3,
  /**
   * Exactly deletable models of the same data, compared beside the approximate methods (the trade-off a team makes):
   * a SISA ensemble with the base model's epoch budget, and an analytic head on random features.
   */
  exact: [
    { name: 'sisa', recipe: 'sharded:shards=5,slices=4' },
    { name: 'analytic', recipe: 'analytic:dim=512,gamma=0.1' },
  ],
};

/**
 * The demo's regression part: an MLP regressor on the committed diabetes set (Efron et al. 2004), and Blindspot's
 * kind of request, a range of the target (disease progression of 250 or more: the patients the model extrapolates
 * to least when they are gone). 60 epochs at batch 32 is where the test error bottoms out (train L1 37, test L1 47).
 */
export const REGRESSION_SETTING = {
  train: { data: 'diabetes', model: 'mlp', epochs: 60, batchSize: 32, optimizer: 'adam', lr: 1e-3, weightDecay: 0, momentum: 0.9, seed: 1 } satisfies TrainArgs,
  forget: 'target:250..',
};

export interface DemoArgs {
  seeds?: number;
  methods?: string[] | 'all';
  /** The data set (default: full Fashion-MNIST); the committed subset serves where it is missing. */
  data?: string;
}

/** The demo's data: full Fashion-MNIST where installed, else the committed 3,000-image subset (and a note saying so). */
export function demoData(): { data: string; note?: string } {
  if (dataAvailable('fashion-mnist')) return { data: 'fashion-mnist' };
  return {
    data: 'fashion-mnist-mini',
    note: 'Fashion-MNIST is not installed: the demo runs on the committed 3,000-image subset (for the full set: sudo apt-get install dataset-fashion-mnist, or LETHE_DATA_DIR=folder)',
  };
}

export interface DemoResult {
  base: TrainResult;
  comparisons: Comparison[];
  report: string;
}

export async function demoTask(a: DemoArgs, task: Omit<TaskContext, 'modelDir'>, nameOf?: NameOf): Promise<DemoResult> {
  const s = DEMO_SETTING;
  const out = resolve(task.out);
  // The comparisons' own schema checks seeds and methods now, before the base model is trained.
  const choice = (forget: ForgetSpec, original: string) => ({ original, forget, methods: a.methods ?? 'all', seeds: a.seeds ?? s.seeds });
  parseArgs(CompareArgs, choice(s.forgets[0], '-'), nameOf);
  mkdirSync(out, { recursive: true });
  const ctx = { ...task, modelDir: (dir: string) => dir };
  const trainArgs = { ...s.train, data: a.data ?? s.train.data };
  const base = await runTask('train', trainArgs, { ...ctx, out: join(out, 'base') });
  const exact: TrainResult[] = [];
  for (const e of s.exact) exact.push(await runTask('train', parseArgs(TrainArgs, { ...trainArgs, recipe: e.recipe }), { ...ctx, out: join(out, e.name) }));
  const comparisons: Comparison[] = [];
  for (const [i, forget] of s.forgets.entries()) {
    const onProgress = task.onProgress && ((p: Parameters<NonNullable<TaskContext['onProgress']>>[0]) =>
      task.onProgress!({ ...p, message: `comparison ${i + 1}/${s.forgets.length} ${p.message ?? ''}` }));
    const args = parseArgs(CompareArgs, { ...choice(forget, base.checkpoint), exact: exact.map((e) => e.checkpoint) }, nameOf);
    comparisons.push(await runTask('compare', args, { ...ctx, onProgress, out: join(out, forget.kind === 'class' ? 'class-forgetting' : 'random-forgetting') }));
  }
  // The regression part: every chosen method that serves regression (all of them by default).
  const regressionMethods = a.methods === undefined || a.methods === 'all' ? 'all' : a.methods.filter((m) => isMethod(m) && methodTasks(m).includes('regression'));
  let regression: { base: TrainResult; comparison: Comparison } | undefined;
  if (regressionMethods === 'all' || regressionMethods.length) {
    const r = REGRESSION_SETTING;
    const rbase = await runTask('train', parseArgs(TrainArgs, r.train), { ...ctx, out: join(out, 'regression-base') });
    const onProgress = task.onProgress && ((p: Parameters<NonNullable<TaskContext['onProgress']>>[0]) => task.onProgress!({ ...p, message: `regression comparison ${p.message ?? ''}` }));
    const args = parseArgs(CompareArgs, { original: rbase.checkpoint, forget: parseForgetSpec(r.forget), methods: regressionMethods, seeds: a.seeds ?? s.seeds }, nameOf);
    regression = { base: rbase, comparison: await runTask('compare', args, { ...ctx, onProgress, out: join(out, 'regression') }) };
    comparisons.push(regression.comparison);
  }
  const report = join(out, 'report.md');
  writeFileSync(report, [
    '# Lethe demo report',
    '',
    `Base model: ${s.train.model} on the first ${s.train.trainSize} training images of ${trainArgs.data}, ${s.train.epochs} epochs, seed ${s.train.seed}: ` +
      `train accuracy ${base.trainAcc!.toFixed(2)}%, test accuracy ${base.testAcc!.toFixed(2)}% (${base.seconds.toFixed(1)} s).`,
    '',
    ...s.exact.map((e, i) => `Exactly deletable, on the same data: ${e.recipe}: test accuracy ${exact[i].testAcc!.toFixed(2)}% (${exact[i].seconds.toFixed(1)} s).`),
    '',
    ...comparisons.filter((c) => c !== regression?.comparison).flatMap((c) => [tableMarkdown(c), '']),
    ...(regression ? [
      `Regression: ${REGRESSION_SETTING.train.model} on diabetes, ${REGRESSION_SETTING.train.epochs} epochs at batch ${REGRESSION_SETTING.train.batchSize}, seed ${REGRESSION_SETTING.train.seed}: ` +
        `train L1 ${regression.base.trainL1!.toFixed(2)}, test L1 ${regression.base.testL1!.toFixed(2)} (${regression.base.seconds.toFixed(1)} s).`,
      '',
      tableMarkdown(regression.comparison),
      '',
    ] : []),
  ].join('\n'));
  return { base, comparisons, report };
}
