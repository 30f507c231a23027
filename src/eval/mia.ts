// MIA-efficacy of SalUn (Fan et al., ICLR 2024) and Unlearn-Sparse (Jia et al., NeurIPS 2023),
// after OPTML-Group/Unlearn-Sparse evaluation/SVC_MIA.py and main_forget.py ("forget efficacy").
import { entropy, trueClassConfidence } from './features.ts';
import { mulberry32, sampleIndices } from '../shared/random.ts';
import { fitSvc1d, svcPredict } from './svc.ts';

/** One feature value per sample of each set (for example `trueClassConfidence` of the model's outputs). */
export interface MiaFeatures {
  retain: ArrayLike<number>;
  test: ArrayLike<number>;
  forget: ArrayLike<number>;
}

export interface MiaOptions {
  /** Seeds the choice of shadow samples. */
  seed: number;
  /**
   * Shadow samples per class, at most. Default: the reference's sizes, every test sample as non-members and as
   * many retain samples as members (10,000 each on Fashion-MNIST), which the one-feature SVC fits in well under a
   * second (src/eval/svc.ts). Fewer make the attack's answer depend on the shadow seed: 2,000 a class moved an
   * original's MIA-efficacy by several points (`npm run bench:mia`).
   */
  maxPerClass?: number;
  /** SVC box constraint; the reference's C = 3. */
  C?: number;
  /** RBF gamma; the reference's gamma='auto' = 1 / n_features = 1. */
  gamma?: number;
}

export interface MiaResult {
  /** Percent of forget samples the attack calls NON-members: higher means better forgetting. */
  mia: number;
  /** Percent of shadow samples the attack classifies correctly (50 means it learned nothing). */
  shadowAcc: number;
  /** Shadow samples used per class. */
  shadowPerClass: number;
}

export const DEFAULT_MAX_PER_CLASS = Infinity;

function pick(values: ArrayLike<number>, idx: Int32Array): Float64Array {
  return Float64Array.from(idx, (i) => values[i]);
}

/**
 * Trains the reference's attack, an RBF SVC (C = 3, gamma = 1) labelling retain samples 1
 * (members) and test samples 0 (non-members), then applies it to the forget samples:
 * mia = 100 * (1 - mean prediction on forget), the reference's `1 - clf.predict(X_target_test).mean()`.
 * The reference balances by taking the first |test| retain samples; we draw |test| retain samples at random with
 * the seed (both sets down to the smaller size, and to `maxPerClass` where it is set).
 */
export function miaEfficacy(features: MiaFeatures, opts: MiaOptions): MiaResult {
  const { retain, test, forget } = features;
  const { seed, maxPerClass = DEFAULT_MAX_PER_CLASS, C = 3, gamma = 1 } = opts;
  if (retain.length === 0 || test.length === 0) throw new Error('MIA needs retain and test samples');
  if (!(maxPerClass >= 1)) throw new Error(`maxPerClass must be at least 1, got ${maxPerClass}`);
  const m = Math.min(retain.length, test.length, Math.floor(Math.min(maxPerClass, 2 ** 31 - 1)));
  const random = mulberry32(seed);
  const members = pick(retain, sampleIndices(retain.length, m, random));
  const nonMembers = pick(test, sampleIndices(test.length, m, random));

  const x = new Float64Array(2 * m);
  const y = new Uint8Array(2 * m);
  x.set(members, 0);
  y.fill(1, 0, m);
  x.set(nonMembers, m);
  const model = fitSvc1d(x, y, { C, gamma });

  const fit = svcPredict(model, x);
  let right = 0;
  for (let i = 0; i < 2 * m; i++) if (fit[i] === y[i]) right++;

  let called = 0;
  const pred = svcPredict(model, forget);
  for (let i = 0; i < pred.length; i++) if (pred[i] === 0) called++;
  return {
    mia: forget.length === 0 ? NaN : (100 * called) / forget.length,
    shadowAcc: (100 * right) / (2 * m),
    shadowPerClass: m,
  };
}

/**
 * A model's outputs on one set, with the set's labels: softmax probabilities (n × k). A regressor's are its n
 * predictions, in the target's units, beside the set's targets in the same units (`target`; labels are then 0).
 */
export interface SetOutputs {
  probs: Float32Array;
  labels: Int32Array;
  target?: Float32Array;
}

export interface MiaAllResult {
  /** MIA-efficacy on the true-class confidence p[y]: the number SalUn's tables report. */
  mia: number;
  /** The same attack on the prediction entropy. */
  miaEntropy: number;
  shadowAcc: number;
  shadowAccEntropy: number;
}

/** Both features with the same shadow samples (one seed), as the reference fits all its features on one split. */
export function miaAll(
  sets: { retain: SetOutputs; test: SetOutputs; forget: SetOutputs },
  k: number,
  opts: MiaOptions,
): MiaAllResult {
  const conf = (s: SetOutputs) => trueClassConfidence(s.probs, s.labels, k);
  const ent = (s: SetOutputs) => entropy(s.probs, k);
  const byConf = miaEfficacy({ retain: conf(sets.retain), test: conf(sets.test), forget: conf(sets.forget) }, opts);
  const byEnt = miaEfficacy({ retain: ent(sets.retain), test: ent(sets.test), forget: ent(sets.forget) }, opts);
  return { mia: byConf.mia, miaEntropy: byEnt.mia, shadowAcc: byConf.shadowAcc, shadowAccEntropy: byEnt.shadowAcc };
}
