// The Per-example attack view as data: a stored U-LiRA evaluation (Hayes et al. 2024) binned by per-example attack
// accuracy, target (forget) examples and retain examples before and after unlearning apart; the examples the attack
// gets right most often; and the comparison whose Instances view can show them. Pure code, tested in ulira.test.ts.
import type { ComparisonSummary, ApiUliraRecord, ApiUliraSummary } from '../../../src/shared/http.ts';

/** Bins are this many points wide, centred on 0, 10, …, 100: 50 (chance, ideal unlearning) sits mid-bin. */
export const BIN_WIDTH = 10;

/** Up to this many shadows, one bar per value a per-example accuracy can take. */
export const MAX_EXACT_SHADOWS = 20;

/**
 * A target's accuracy is the share of the K shadows the attack gets right, so it takes the K + 1 values 100·j/K: with
 * K ≤ 20, one bin each (width 100/K); with more, bins of 5 points.
 */
export const binWidthFor = (shadows: number) => (shadows >= 1 && shadows <= MAX_EXACT_SHADOWS ? 100 / shadows : 5);

export interface AccuracyBin {
  /** The bin's centre and edges: x0 ≤ accuracy < x1, clipped to [0, 100] (the first holds 0, the last 100). */
  center: number;
  x0: number;
  x1: number;
  count: number;
}

/** Per-example accuracies (%) in bins [c − w/2, c + w/2) centred on 0, w, …, 100 (100 / w a whole number); NaN left out. */
export function accuracyBins(values: ArrayLike<number>, width = BIN_WIDTH): AccuracyBin[] {
  const n = Math.round(100 / width);
  const bins: AccuracyBin[] = Array.from({ length: n + 1 }, (_, i) => ({
    center: i * width, x0: Math.max(0, (i - 0.5) * width), x1: Math.min(100, (i + 0.5) * width), count: 0,
  }));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    bins[Math.min(n, Math.max(0, Math.floor(v / width + 0.5)))].count++;
  }
  return bins;
}

export interface UliraHistograms {
  /** The target (forget) examples, against the unlearned shadows. */
  forget: AccuracyBin[];
  /** The retain examples, against the shadow originals (before) and the unlearned shadows (after). */
  retainBefore: AccuracyBin[];
  retainAfter: AccuracyBin[];
}

export function uliraHistograms(r: Pick<ApiUliraRecord, 'examples' | 'retainExamples'>, width = BIN_WIDTH): UliraHistograms {
  return { forget: accuracyBins(r.examples.accuracy, width), retainBefore: accuracyBins(r.retainExamples.before, width), retainAfter: accuracyBins(r.retainExamples.after, width) };
}

export interface Exposed {
  index: number;
  id: number;
  label: number;
  accuracy: number;
}

/** The `k` target examples the attack gets right most often: highest accuracy first, then the smaller id. */
export function mostExposed(x: ApiUliraRecord['examples'], k: number): Exposed[] {
  return x.ids.map((_, i) => i)
    .filter((i) => Number.isFinite(x.accuracy[i]))
    .sort((a, b) => x.accuracy[b] - x.accuracy[a] || x.ids[a] - x.ids[b])
    .slice(0, k)
    .map((i) => ({ index: i, id: x.ids[i], label: x.labels[i], accuracy: x.accuracy[i] }));
}

/** How far an accuracy is from ideal unlearning (50%), in points, and in which direction the attack errs. */
export function fromIdeal(accuracy: number): { points: number; verdict: 'ideal' | 'leaks' | 'below chance' } {
  const points = accuracy - 50;
  return { points, verdict: Math.abs(points) < 0.5 ? 'ideal' : points > 0 ? 'leaks' : 'below chance' };
}

/**
 * The comparison whose Instances view can open the target examples: the newest of the same original and data set,
 * one that ran the evaluation's method first (its models are what the Instances view puts side by side).
 */
export function comparisonFor(u: Pick<ApiUliraSummary, 'originalId' | 'dataset' | 'method'>, comparisons: readonly ComparisonSummary[]): ComparisonSummary | undefined {
  const same = comparisons.filter((c) => c.originalId === u.originalId && c.dataset === u.dataset).sort((p, q) => q.created.localeCompare(p.created));
  return same.find((c) => c.methods.includes(u.method)) ?? same[0];
}

/** The picker's line for an evaluation. */
export function uliraLabel(u: ApiUliraSummary, date: (iso: string) => string): string {
  return `${u.method} · ${u.dataset} · K = ${u.shadows} · ${u.targets} targets · ${u.accuracy.toFixed(1)}% · ${date(u.created)}`;
}

/** A one-id-a-line text of the given ids (what `--forget ids:FILE` reads). */
export const idsFile = (ids: readonly number[]) => `${ids.join('\n')}\n`;
