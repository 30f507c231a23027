// `lethe demo`: the end-to-end story on Fashion-MNIST. Train a base model that memorises its training data,
// then compare every method against retraining for one forgotten class and for a 10% random forget set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ForgetSpec } from '../data/forget-spec.ts';
import type { DataRef } from '../data/registry.ts';
import type { TrainRecipe } from '../models/checkpoint.ts';
import type { Comparison } from '../shared/contract.ts';
import type { TaskContext } from './context.ts';
import { compareTask } from './compare-task.ts';
import { tableMarkdown } from './table.ts';
import { trainTask, type TrainResult } from './train-task.ts';

/**
 * The measurable setting: forgetting only shows where the original memorised its training data. An MLP on
 * all 60k Fashion-MNIST images generalises (train ≈ test accuracy), so doing nothing is already close to
 * retraining. On the first 2,000 images for 40 epochs it reaches ~99% train vs ~82% test accuracy, and doing
 * nothing is ~10 points (avgGap) away from retraining on a 10% random forget set.
 */
export const DEMO_SETTING = {
  data: { name: 'fashion-mnist', trainSize: 2000 } satisfies DataRef,
  model: 'mlp',
  recipe: { epochs: 40, batchSize: 128, optimizer: 'adam', lr: 1e-3, weightDecay: 0, momentum: 0.9 } satisfies TrainRecipe,
  seed: 1,
  forgets: [
    { kind: 'class', classes: [4] },
    { kind: 'random', fraction: 0.1, seed: 1 },
  ] satisfies ForgetSpec[],
  seeds: 3,
};

export interface DemoArgs {
  out: string;
  seeds?: number;
  methods?: string[];
}

export interface DemoResult {
  base: TrainResult;
  comparisons: Comparison[];
  report: string;
}

export async function demoTask(args: DemoArgs, task: TaskContext = {}): Promise<DemoResult> {
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  const s = DEMO_SETTING;
  const base = await trainTask({ data: s.data, model: s.model, recipe: s.recipe, seed: s.seed, out: join(out, 'base') }, task);
  const comparisons: Comparison[] = [];
  for (const [i, forget] of s.forgets.entries()) {
    comparisons.push(await compareTask({
      original: base.checkpoint, forget, methods: args.methods ?? ['all'], seeds: args.seeds ?? s.seeds,
      out: join(out, forget.kind === 'class' ? 'class-forgetting' : 'random-forgetting'),
    }, { ...task, onProgress: task.onProgress && ((p) => task.onProgress!({ ...p, message: `comparison ${i + 1}/${s.forgets.length} ${p.message ?? ''}` })) }));
  }
  const report = join(out, 'report.md');
  writeFileSync(report, [
    '# Lethe demo report',
    '',
    `Base model: ${s.model} on the first ${s.data.trainSize} Fashion-MNIST training images, ${s.recipe.epochs} epochs, seed ${s.seed}: ` +
      `train accuracy ${base.trainAcc.toFixed(2)}%, test accuracy ${base.testAcc.toFixed(2)}% (${base.seconds.toFixed(1)} s).`,
    '',
    ...comparisons.flatMap((c) => [tableMarkdown(c), '']),
  ].join('\n'));
  return { base, comparisons, report };
}
