// The summary of a distribution over examples that the many-model metrics print (a bank's ε and KLOM, U-LiRA's
// per-example accuracies). Pure code.
import type { Spread } from '../shared/http.ts';

/** Mean, median and 90th percentile (the lower of the two middle values, and the value at floor(0.9·(n − 1))). */
export function spread(xs: ArrayLike<number>): Spread {
  const s = Float64Array.from(xs).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i];
  return { mean: total / xs.length, median: at(0.5), p90: at(0.9) };
}
