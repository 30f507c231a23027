// What the regression metrics compute from a model's predictions (in the target's units): errors, the distance of two
// prediction distributions, and the loss feature of the membership attack. Pure code over plain arrays.

/** Mean absolute error. */
export function l1(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  if (pred.length !== target.length) throw new Error(`l1: ${pred.length} predictions for ${target.length} targets`);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += Math.abs(pred[i] - target[i]);
  return pred.length ? sum / pred.length : NaN;
}

/** Root mean squared error. */
export function rmse(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  if (pred.length !== target.length) throw new Error(`rmse: ${pred.length} predictions for ${target.length} targets`);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += (pred[i] - target[i]) ** 2;
  return pred.length ? Math.sqrt(sum / pred.length) : NaN;
}

/**
 * The Wasserstein-1 distance of two empirical distributions on the line: ∫ |F_a(t) − F_b(t)| dt over the merged
 * sorted values (scipy.stats.wasserstein_distance, which Blindspot's authors call). Sizes may differ.
 */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (!a.length || !b.length) return NaN;
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  const all = Float64Array.from([...sa, ...sb]).sort();
  let ia = 0;
  let ib = 0;
  let sum = 0;
  for (let k = 0; k + 1 < all.length; k++) {
    const t = all[k];
    while (ia < sa.length && sa[ia] <= t) ia++;
    while (ib < sb.length && sb[ib] <= t) ib++;
    sum += Math.abs(ia / sa.length - ib / sb.length) * (all[k + 1] - t);
  }
  return sum;
}

/** Per-sample absolute errors, divided by `scale` (the target's train sd) so the attack's RBF kernel sees unit-free losses. */
export function scaledErrors(pred: ArrayLike<number>, target: ArrayLike<number>, scale: number): Float64Array {
  return Float64Array.from({ length: pred.length }, (_, i) => Math.abs(pred[i] - target[i]) / scale);
}
