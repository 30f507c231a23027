// Shape checks shared by the metrics: probabilities are n*k row-major, labels are n class ids.

/** Number of samples in a row-major n*k probability array; throws when the length does not fit. */
export function rowCount(probs: ArrayLike<number>, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  if (probs.length % k !== 0) {
    throw new Error(`probabilities have length ${probs.length}, not a multiple of k=${k}`);
  }
  return probs.length / k;
}

/** Checks that labels match the probability rows and lie in 0..k-1; returns n. */
export function checkLabels(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  const n = rowCount(probs, k);
  if (labels.length !== n) throw new Error(`${labels.length} labels for ${n} probability rows`);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= k) throw new Error(`label ${y} at ${i} is outside 0..${k - 1}`);
  }
  return n;
}
