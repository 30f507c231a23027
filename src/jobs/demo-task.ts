// `lethe demo`: the end-to-end story on Fashion-MNIST. Train a base model that memorises its training data,
// then compare every method against retraining for one forgotten class and for a 10% random forget set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ForgetSpec } from '../data/forget/index.ts';
import { dataAvailable } from '../data/registry.ts';
import { tableMarkdown } from '../eval/table.ts';
import type { Comparison } from '../shared/contract.ts';
import { CompareArgs } from './compare-task.ts';
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
  const report = join(out, 'report.md');
  writeFileSync(report, [
    '# Lethe demo report',
    '',
    `Base model: ${s.train.model} on the first ${s.train.trainSize} training images of ${trainArgs.data}, ${s.train.epochs} epochs, seed ${s.train.seed}: ` +
      `train accuracy ${base.trainAcc!.toFixed(2)}%, test accuracy ${base.testAcc!.toFixed(2)}% (${base.seconds.toFixed(1)} s).`,
    '',
    ...s.exact.map((e, i) => `Exactly deletable, on the same data: ${e.recipe}: test accuracy ${exact[i].testAcc!.toFixed(2)}% (${exact[i].seconds.toFixed(1)} s).`),
    '',
    ...comparisons.flatMap((c) => [tableMarkdown(c), '']),
  ].join('\n'));
  return { base, comparisons, report };
}
