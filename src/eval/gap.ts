// Summary numbers against the retrained reference, as SalUn (Fan et al., ICLR 2024) tabulates them.

/** Unlearning accuracy, retain accuracy, test accuracy and MIA-efficacy, all in percent. */
export interface GapMetrics {
  UA: number;
  RA: number;
  TA: number;
  MIA: number;
}

/** Mean of |UA - UA_ref|, |RA - RA_ref|, |TA - TA_ref|, |MIA - MIA_ref|, in percentage points. */
export function avgGap(m: GapMetrics, ref: GapMetrics): number {
  return (
    (Math.abs(m.UA - ref.UA) + Math.abs(m.RA - ref.RA) + Math.abs(m.TA - ref.TA) + Math.abs(m.MIA - ref.MIA)) / 4
  );
}

/**
 * Share (a fraction, not percent) of the do-nothing baseline's gap that a method removes:
 * 1 - methodGap / originalGap. 1 = as close as retraining, 0 = no better than doing nothing,
 * negative = further away than the original. NaN when the original has no gap to close.
 */
export function gapClosed(methodGap: number, originalGap: number): number {
  if (originalGap === 0) return NaN;
  return 1 - methodGap / originalGap;
}

/** How many times faster than retraining: retrainSeconds / seconds (Infinity for an instant method). */
export function speedup(retrainSeconds: number, seconds: number): number {
  if (!(retrainSeconds >= 0) || !(seconds >= 0)) {
    throw new Error(`speedup needs non-negative times, got ${retrainSeconds} and ${seconds}`);
  }
  return retrainSeconds / seconds;
}
