// The tuning split: `lethe tune` chooses on a validation set carved from the original's training data, never on the
// test set. The view it works on is the data set with the validation samples as its "test" split and the real test
// samples taken out of use (split 2, as samples beyond --train-size are), so every step of the usual pipeline
// (training, the forget request, accuracies, the membership attack's non-members) reads the validation set where it
// would read the test set, and nothing can read the test set at all.
import { idsOfSplit, type Dataset } from '../data/dataset.ts';
import { pickSorted, subSeed } from '../shared/random.ts';

/** Default share of the training data held out for validation, and the most it may hold. */
export const VALIDATION_FRACTION = 0.1;
export const MAX_VALIDATION = 10_000;

export interface TuningView {
  /** The data set as tuning sees it: train = the tuning pool, test = the validation set, the real test set unused. */
  dataset: Dataset;
  /** The validation ids (ascending), train samples of the original data set. */
  validation: Int32Array;
}

/** How many validation samples `size` asks for, of `pool` training samples: a fraction (< 1) or a count. */
export function validationCount(size: number, pool: number): number {
  if (!Number.isFinite(size) || size <= 0) throw new Error(`validation must be a fraction below 1 or a count of samples, got ${size}`);
  const n = size < 1 ? Math.round(size * pool) : size;
  if (!Number.isInteger(n)) throw new Error(`validation must be a fraction below 1 or a whole count of samples, got ${size}`);
  const most = Math.min(MAX_VALIDATION, Math.floor(pool / 2));
  if (n < 10 || n > most) throw new Error(`validation of ${n} samples is out of range: from 10 to ${most} of the ${pool} training samples`);
  return n;
}

/** Carves `size` (a fraction or a count) of the training samples out as the validation set, by a seeded draw. */
export function tuningView(ds: Dataset, size: number, seed: number): TuningView {
  const train = idsOfSplit(ds, 'train');
  return viewWith(ds, Int32Array.from(pickSorted(train, validationCount(size, train.length), subSeed(seed, 'validation'))));
}

/** The tuning view for validation ids already drawn (a trial worker rebuilds its parent's view from them). */
export function viewWith(ds: Dataset, validation: Int32Array): TuningView {
  const split = Uint8Array.from(ds.split, (s) => (s === 1 ? 2 : s));
  for (const id of validation) {
    if (ds.split[id] !== 0) throw new Error(`validation id ${id} is not a training sample of ${ds.name}`);
    split[id] = 1;
  }
  return { dataset: { ...ds, name: `${ds.name} (tuning view)`, split }, validation };
}
