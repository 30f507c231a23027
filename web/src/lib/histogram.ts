// Histogram binning for the attack view: bins are the intervals between the privacy grid's thresholds,
// and values are clipped into the grid's range exactly as src/eval/privacy.ts clips them.

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

/** `edges` evenly spaced points from lo to hi make edges-1 bins [x0, x1); the last bin also holds hi. */
export function binValues(values: ArrayLike<number>, [lo, hi]: [number, number], edges: number): Bin[] {
  if (!(edges >= 2) || !(lo < hi)) throw new Error(`bad bins [${lo}, ${hi}] x ${edges}`);
  const n = edges - 1;
  const w = (hi - lo) / n;
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ x0: lo + i * w, x1: i === n - 1 ? hi : lo + (i + 1) * w, count: 0 }));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const c = Math.min(Math.max(v, lo), hi);
    bins[Math.min(n - 1, Math.floor((c - lo) / w))].count++;
  }
  return bins;
}

/** The largest count of several histograms, for a shared y scale (at least 1). */
export function maxCount(...hists: Bin[][]): number {
  return Math.max(1, ...hists.flatMap((h) => h.map((b) => b.count)));
}

/** The grid point nearest to `x` (the drag snaps onto the thresholds the attack was computed at). */
export function snap(x: number, grid: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (Math.abs(grid[i] - x) < Math.abs(grid[best] - x)) best = i;
  return best;
}
