// Relearning attack (Hu et al. 2024; Lynch et al. 2024): fine-tune a copy on a few forget samples for a few
// steps and measure how much forget accuracy returns. A method that only hid the data relearns fast.
import * as tfc from '@tensorflow/tfjs-core';
import { subset, type Dataset, type Subset } from '../data/dataset.ts';
import { accuracy } from '../eval/accuracy.ts';
import type { Model } from '../models/layers.ts';
import { rng, shuffle, subSeed } from '../shared/random.ts';
import { makeBatch } from '../train/batches.ts';
import { crossEntropy } from '../train/loss.ts';
import { predictProbs } from '../train/predict.ts';
import { forwardTrain, makeOptimizer, step, trainableVars } from '../train/step.ts';

/** forgetAcc of `model` after the attack; `copy` (same architecture) is overwritten and left to the caller. */
export function relearnAttack(model: Model, copy: Model, forget: Subset, ds: Dataset, { samples = 32, steps = 10, lr = 1e-3, seed = 0 } = {}): number {
  copy.setWeights(model.getWeights());
  const vars = trainableVars(copy);
  const opt = makeOptimizer({ optimizer: 'adam', lr });
  const order = shuffle(Int32Array.from({ length: forget.y.length }, (_, i) => i), rng(subSeed(seed, 'relearn')));
  const few = subset(ds, order.subarray(0, Math.min(samples, order.length)).map((i) => forget.ids[i]));
  const idx = Int32Array.from({ length: few.y.length }, (_, i) => i);
  for (let s = 0; s < steps; s++) {
    tfc.tidy(() => {
      const b = makeBatch(few, idx);
      step(opt, vars, () => crossEntropy(forwardTrain(copy, b.x), b.y));
    });
  }
  opt.dispose();
  return accuracy(predictProbs(copy, forget), forget.y, forget.numClasses);
}
