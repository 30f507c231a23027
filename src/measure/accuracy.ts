// A model's accuracy (a classifier) or mean absolute error (a regressor) on some samples of a data set.
import { subset, type Dataset } from '../data/dataset.ts';
import { accuracy } from '../eval/accuracy.ts';
import type { Model } from '../models/layers.ts';
import { predictProbs, predictTargets } from '../train/predict.ts';

export function splitAccuracy(model: Model, ds: Dataset, ids: Int32Array): number {
  const s = subset(ds, ids);
  return accuracy(predictProbs(model, s), s.y, ds.numClasses);
}

/** A regressor's mean absolute error on some samples, in the target's units. */
export function splitL1(model: Model, ds: Dataset, ids: Int32Array): number {
  const s = subset(ds, ids);
  const pred = predictTargets(model, s);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += Math.abs(pred[i] - s.target![i]);
  return sum / Math.max(1, pred.length);
}

/** The task's headline numbers on the train and test samples: accuracies (%), or a regressor's L1 errors. */
export function splitScores(model: Model, ds: Dataset, train: Int32Array, test: Int32Array): Record<string, number> {
  return ds.target
    ? { trainL1: splitL1(model, ds, train), testL1: splitL1(model, ds, test) }
    : { trainAcc: splitAccuracy(model, ds, train), testAcc: splitAccuracy(model, ds, test) };
}
