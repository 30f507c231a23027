// The Predictions view as data: a regressor's predictions on the comparison's probe, paired sample by sample with
// its retrained reference's (or with the true targets), and how far apart they are on the forget samples and the rest.
import type { ModelDetails } from '../../../src/shared/contract.ts';
import { wasserstein1 } from '../../../src/eval/regression.ts';
import { paddedExtent } from './layout.ts';

export type Regression = NonNullable<ModelDetails['regression']>;

/** What the x axis holds: the retrained reference's prediction of each sample, or its true target. */
export type Against = 'retrain' | 'target';

export interface PredictionPoint {
  id: number;
  /** The reference value (retraining's prediction or the target). */
  x: number;
  /** The model's prediction. */
  y: number;
  forget: boolean;
}

/** The model's probe predictions paired by sample id with the reference's; samples the reference lacks are left out. */
export function predictionPoints(model: Regression, against: Against, ref?: Regression): PredictionPoint[] {
  const xs = new Map<number, number>();
  const src = against === 'target' ? model.target : ref?.pred;
  const ids = against === 'target' ? model.ids : ref?.ids;
  if (!src || !ids) return [];
  ids.forEach((id, i) => xs.set(id, src[i]));
  const pts = model.ids.flatMap((id, i) => {
    const x = xs.get(id);
    return x === undefined ? [] : [{ id, x, y: model.pred[i], forget: !!model.forget[i] }];
  });
  // Forget samples last, so they draw on top.
  return [...pts.filter((p) => !p.forget), ...pts.filter((p) => p.forget)];
}

export interface PairStats {
  n: number;
  /** Mean |y − x|: how far the model's predictions are from the reference's, sample by sample. */
  meanAbs: number;
  /** Wasserstein-1 between the two sets of values: how far apart the distributions are (the metric map's w1Forget on the forget set). */
  w1: number;
}

function stats(pts: PredictionPoint[]): PairStats {
  const x = pts.map((p) => p.x);
  const y = pts.map((p) => p.y);
  const meanAbs = pts.length ? pts.reduce((s, p) => s + Math.abs(p.y - p.x), 0) / pts.length : NaN;
  return { n: pts.length, meanAbs, w1: wasserstein1(y, x) };
}

/** The distances on the forget samples and on the others (retain and test samples of the probe). */
export function pairStats(pts: PredictionPoint[]): { forget: PairStats; other: PairStats } {
  return { forget: stats(pts.filter((p) => p.forget)), other: stats(pts.filter((p) => !p.forget)) };
}

/** One square domain for both axes and both panels (the diagonal y = x stays the diagonal). */
export function sharedDomain(...sets: PredictionPoint[][]): [number, number] {
  const all = sets.flatMap((s) => s.flatMap((p) => [p.x, p.y]));
  return all.length ? paddedExtent(all, 0.04) : [0, 1];
}
