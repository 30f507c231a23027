// A model's accuracy on some samples of a data set.
import { subset, type Dataset } from '../data/dataset.ts';
import { accuracy } from '../eval/accuracy.ts';
import type { Model } from '../models/layers.ts';
import { predictProbs } from '../train/predict.ts';

export function splitAccuracy(model: Model, ds: Dataset, ids: Int32Array): number {
  const s = subset(ds, ids);
  return accuracy(predictProbs(model, s), s.y, ds.numClasses);
}
