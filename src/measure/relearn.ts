// Relearning attack (Hu et al. 2024; Lynch et al. 2024): fine-tune a copy on a few forget samples for a few
// steps and measure how much forget accuracy returns. A method that only hid the data relearns fast.
import * as tfc from '@tensorflow/tfjs-core';
import { subset, type Dataset, type Subset } from '../data/dataset.ts';
import { accuracy } from '../eval/accuracy.ts';
import type { RelearnPoint } from '../shared/contract.ts';
import type { Model } from '../models/layers.ts';
import { rng, shuffle, subSeed } from '../shared/random.ts';
import { makeBatch } from '../train/batches.ts';
import { crossEntropy } from '../train/loss.ts';
import { predictProbs } from '../train/predict.ts';
import { forwardTrain, makeOptimizer, step, trainableVars } from '../train/step.ts';

/** Step counts of the relearning curve: forget accuracy after each (0 = the model as it is). */
export const RELEARN_CURVE_STEPS = [0, 1, 2, 5, 10, 20, 50] as const;
/** The step count the single relearnAcc number reports (a point of the curve). */
export const RELEARN_STEPS = 10;

export type { RelearnPoint } from '../shared/contract.ts';

export interface RelearnOptions {
  /** Forget samples the attacker fine-tunes on (the same ones at every step). */
  samples?: number;
  lr?: number;
  seed?: number;
}

/**
 * forgetAcc of `model` after 0, 1, 2, ... steps of the attack, at each of `at` (ascending). Every step takes the
 * same batch, so the run is one trajectory and its point at 10 steps is `relearnAttack`'s number exactly.
 * `copy` (same architecture) is overwritten and left to the caller.
 */
export function relearnCurve(model: Model, copy: Model, forget: Subset, ds: Dataset, at: readonly number[] = RELEARN_CURVE_STEPS, { samples = 32, lr = 1e-3, seed = 0 }: RelearnOptions = {}): RelearnPoint[] {
  if (!at.length || at.some((n, i) => !Number.isInteger(n) || n < 0 || (i > 0 && n <= at[i - 1]))) throw new Error(`relearning step counts must be ascending whole numbers, got ${at.join(', ')}`);
  copy.setWeights(model.getWeights());
  const vars = trainableVars(copy);
  const opt = makeOptimizer({ optimizer: 'adam', lr });
  const order = shuffle(Int32Array.from({ length: forget.y.length }, (_, i) => i), rng(subSeed(seed, 'relearn')));
  const few = subset(ds, order.subarray(0, Math.min(samples, order.length)).map((i) => forget.ids[i]));
  const idx = Int32Array.from({ length: few.y.length }, (_, i) => i);
  const curve: RelearnPoint[] = [];
  let done = 0;
  try {
    for (const n of at) {
      for (; done < n; done++) {
        tfc.tidy(() => {
          const b = makeBatch(few, idx);
          step(opt, vars, () => crossEntropy(forwardTrain(copy, b.x), b.y));
        });
      }
      curve.push({ steps: n, forgetAcc: accuracy(predictProbs(copy, forget), forget.y, forget.numClasses) });
    }
  } finally {
    opt.dispose();
  }
  return curve;
}

/** forgetAcc of `model` after `steps` steps of the attack; `copy` (same architecture) is overwritten and left to the caller. */
export function relearnAttack(model: Model, copy: Model, forget: Subset, ds: Dataset, { steps = RELEARN_STEPS, ...o }: RelearnOptions & { steps?: number } = {}): number {
  return relearnCurve(model, copy, forget, ds, [steps], o)[0].forgetAcc;
}
