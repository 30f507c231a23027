// Privacy score of the Unlearning Comparator (Lee et al., 2025, "Unlearning Comparator: A Visual Analytics
// System for Comparative Evaluation of Machine Unlearning Methods"), after the constants and rules of
// gnueaj/Machine-Unlearning-Comparator backend/app/utils/attack.py (`calculate_scores`, `process_attack_metrics`).
import { confidenceLogit, entropy } from './features.ts';

export type AttackFeature = 'entropy' | 'confidence';
/** The model whose forget-set outputs the attack guesses when a value is >= the threshold. */
export type AttackSide = 'unlearn' | 'retrain';

export interface ThresholdPoint {
  threshold: number;
  /** Fractions 0..1: the other model's samples at or above the threshold, and this side's samples below it. */
  fpr: number;
  fnr: number;
  /** Natural-log epsilon (capped at MAX_EPSILON), and 1 - 2^-epsilon. */
  epsilon: number;
  attackScore: number;
  /** Percent of all samples (both models) the threshold attributes to the right model. */
  accuracy: number;
}

export interface AttackCurve {
  feature: AttackFeature;
  above: AttackSide;
  points: ThresholdPoint[];
  bestByAttackScore: ThresholdPoint;
  bestByAccuracy: ThresholdPoint;
}

export interface GridOptions {
  /** Values are clipped into [lo, hi]; thresholds are `bins` evenly spaced points from lo to hi. */
  range: [number, number];
  bins: number;
}

export interface PrivacyOptions {
  /** Reference: 51 bins over [0, 2.5] (softmax at temperature 2, ten classes) and over [-2.5, 10] (log-odds). */
  entropy?: GridOptions;
  confidence?: GridOptions;
  delta?: number;
  /**
   * 'min' (the reference) takes epsilon = max(0, min(lg1, lg2)); 'max' takes the larger log ratio,
   * the (epsilon, delta)-DP lower bound, which turns infinite (capped) whenever one side has no
   * errors, as happens at extreme thresholds with finite samples.
   */
  epsilonRule?: 'min' | 'max';
}

export const DELTA = 1e-5;
/** Rates are clipped into [RATE_EPS, 1 - delta - RATE_EPS] before the logs, as in the reference. */
export const RATE_EPS = 1e-10;
/** The largest epsilon clipped rates can give, reported where both error rates are 0. */
export const MAX_EPSILON = Math.log((1 - DELTA - RATE_EPS) / RATE_EPS);
export const ENTROPY_GRID: GridOptions = { range: [0, 2.5], bins: 51 };
export const CONFIDENCE_GRID: GridOptions = { range: [-2.5, 10], bins: 51 };

/** Epsilon and attack score of one (FPR, FNR) pair, with the reference's special cases. */
export function epsilonFromRates(
  fpr: number,
  fnr: number,
  delta = DELTA,
  rule: 'min' | 'max' = 'min',
): { epsilon: number; attackScore: number } {
  if (fpr === 0 && fnr === 0) return { epsilon: MAX_EPSILON, attackScore: 1 }; // a perfect split
  if (fpr >= 1 - delta || fnr >= 1 - delta) return { epsilon: 0, attackScore: 0 }; // a useless one
  const clip = (r: number) => Math.min(Math.max(r, RATE_EPS), 1 - delta - RATE_EPS);
  const sfp = clip(fpr);
  const sfn = clip(fnr);
  const lg1 = Math.log(1 - delta - sfp) - Math.log(sfn);
  const lg2 = Math.log(1 - delta - sfn) - Math.log(sfp);
  const epsilon = Math.max(0, rule === 'min' ? Math.min(lg1, lg2) : Math.max(lg1, lg2));
  return { epsilon, attackScore: 1 - 2 ** -epsilon };
}

/** numpy.linspace(lo, hi, bins): the last point is hi exactly. */
function thresholds({ range: [lo, hi], bins }: GridOptions): Float64Array {
  if (!(bins >= 2) || !Number.isInteger(bins) || !(lo < hi)) throw new Error(`bad threshold grid [${lo}, ${hi}] x ${bins}`);
  const step = (hi - lo) / (bins - 1);
  const t = Float64Array.from({ length: bins }, (_, b) => lo + b * step);
  t[bins - 1] = hi;
  return t;
}

function atOrAbove(values: ArrayLike<number>, [lo, hi]: [number, number], t: number): number {
  let c = 0;
  for (let i = 0; i < values.length; i++) if (Math.min(Math.max(values[i], lo), hi) >= t) c++;
  return c;
}

/** The attack "values >= t come from `above`" at every threshold of the grid. */
export function attackCurve(
  unlearn: ArrayLike<number>,
  retrain: ArrayLike<number>,
  above: AttackSide,
  grid: GridOptions,
  delta = DELTA,
  rule: 'min' | 'max' = 'min',
): ThresholdPoint[] {
  if (unlearn.length === 0 || retrain.length === 0) throw new Error('the privacy attack needs outputs of both models');
  const [pos, neg] = above === 'unlearn' ? [unlearn, retrain] : [retrain, unlearn];
  return Array.from(thresholds(grid), (threshold) => {
    const tp = atOrAbove(pos, grid.range, threshold);
    const fp = atOrAbove(neg, grid.range, threshold);
    const fpr = fp / neg.length;
    const fnr = 1 - tp / pos.length;
    const accuracy = (100 * (tp + neg.length - fp)) / (pos.length + neg.length);
    return { threshold, fpr, fnr, ...epsilonFromRates(fpr, fnr, delta, rule), accuracy };
  });
}

/** The first point with the largest value of `key` (the reference keeps the first on ties). */
function best(points: ThresholdPoint[], key: 'attackScore' | 'accuracy'): ThresholdPoint {
  return points.reduce((b, p) => (p[key] > b[key] ? p : b));
}

export interface PrivacyFeatureValues {
  entropy: ArrayLike<number>;
  confidence: ArrayLike<number>;
}

export interface PrivacyResult {
  /** 1 - the strongest attack score: 1 = indistinguishable from retraining, 0 = fully told apart. */
  score: number;
  strongest: { feature: AttackFeature; above: AttackSide; point: ThresholdPoint };
  curves: AttackCurve[];
}

/** Both features, both directions; the strongest attack over all four curves sets the score. */
export function privacyScore(
  values: { unlearn: PrivacyFeatureValues; retrain: PrivacyFeatureValues },
  opts: PrivacyOptions = {},
): PrivacyResult {
  const { delta = DELTA, epsilonRule = 'min' } = opts;
  const grids = { entropy: opts.entropy ?? ENTROPY_GRID, confidence: opts.confidence ?? CONFIDENCE_GRID };
  const curves: AttackCurve[] = [];
  for (const feature of ['entropy', 'confidence'] as const) {
    for (const above of ['unlearn', 'retrain'] as const) {
      const points = attackCurve(values.unlearn[feature], values.retrain[feature], above, grids[feature], delta, epsilonRule);
      curves.push({ feature, above, points, bestByAttackScore: best(points, 'attackScore'), bestByAccuracy: best(points, 'accuracy') });
    }
  }
  const top = curves.reduce((b, c) => (c.bestByAttackScore.attackScore > b.bestByAttackScore.attackScore ? c : b));
  const point = top.bestByAttackScore;
  return {
    score: Math.min(1, Math.max(0, 1 - point.attackScore)),
    strongest: { feature: top.feature, above: top.above, point },
    curves,
  };
}

/**
 * The reference's features from softmax outputs: entropy of the softmax at temperature 2, and
 * the top-class log-odds at temperature 1 (their t1 = 2, t2 = 1).
 */
export function privacyFeatures(probs: Float32Array, k: number, entropyTemperature = 2, confidenceTemperature = 1): PrivacyFeatureValues {
  return { entropy: entropy(probs, k, entropyTemperature), confidence: confidenceLogit(probs, k, confidenceTemperature) };
}
