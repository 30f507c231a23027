// The seeded, cancellable training loop.
import * as tfc from '@tensorflow/tfjs-core';
import type { Subset } from '../data/dataset.ts';
import { subSeed } from '../shared/random.ts';
import type { TrainRecipe } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { batchIndices, epochOrder, makeBatch, stepsFor } from './batches.ts';
import { fitLoss, l2Penalty } from './loss.ts';
import { checkpointAbort, type OnProgress } from './progress.ts';
import { forwardTrain, makeOptimizer, step, trainableVars } from './step.ts';

export const DEFAULT_RECIPE: TrainRecipe = { epochs: 3, batchSize: 128, optimizer: 'adam', lr: 1e-3, weightDecay: 0, momentum: 0.9 };

export interface TrainOptions {
  seed: number;
  signal?: AbortSignal;
  onProgress?: OnProgress;
  phase?: string;
}

/**
 * Trains `model` in place on `data` with the recipe; the same seed gives the same weights. A fractional
 * `recipe.epochs` (a sharded model's `steps` schedule) stops within the last epoch, after its share of the batches.
 */
export async function train(model: Model, data: Subset, recipe: TrainRecipe, { seed, signal, onProgress, phase = 'train' }: TrainOptions) {
  const optimizer = makeOptimizer(recipe);
  const vars = trainableVars(model);
  const total = stepsFor(data.y.length, recipe.batchSize, recipe.epochs);
  const losses: number[] = [];
  let done = 0;
  try {
    for (let epoch = 0; done < total; epoch++) {
      let sum = 0;
      let n = 0;
      for (const index of batchIndices(epochOrder(data.y.length, subSeed(seed, `epoch${epoch}`)), recipe.batchSize)) {
        if (done === total) break;
        await checkpointAbort(signal, phase);
        const loss = tfc.tidy(() => {
          const b = makeBatch(data, index);
          return step(optimizer, vars, () => tfc.add(fitLoss(forwardTrain(model, b.x), b.y), l2Penalty(vars, recipe.weightDecay)) as tfc.Scalar);
        });
        sum += loss * index.length;
        n += index.length;
        done++;
        onProgress?.({ phase, done, total, epoch: epoch + 1, epochs: Math.ceil(recipe.epochs), loss });
      }
      losses.push(sum / n);
    }
  } finally {
    optimizer.dispose();
  }
  return { losses };
}
