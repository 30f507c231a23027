// The Forgetting quality view as data: the per-example ε of a stored bank binned inside the challenge's score buckets,
// the examples that leak most, and the comparison whose Instances view can show them.
import { bucketPoints, maxEpsilon } from '../../../src/eval/epsilon.ts';
import type { ApiBankRecord, ApiBankSummary, ComparisonSummary } from '../../../src/shared/http.ts';

/** The challenge's buckets are 0.5 wide; the histogram splits each into this many bins (a power of two: exact edges). */
export const BINS_PER_BUCKET = 4;
const BUCKET = 0.5;

export interface Bucket {
  x0: number;
  x1: number;
  /** What an example whose ε falls here earns: 1, 1/2, 1/4, … */
  points: number;
  count: number;
}

export interface EpsilonHistogram {
  n: number;
  /** ceil(ln(N − 1)): ε at or above it earns 0. */
  cap: number;
  bins: { x0: number; x1: number; count: number }[];
  buckets: Bucket[];
  /** Examples with ε ≥ cap (scored 0). */
  over: number;
  total: number;
}

/** Bins ε over [0, cap) inside the score's buckets, the rest counted apart; a bin [x0, x1) holds x0 ≤ ε < x1. */
export function epsilonHistogram(epsilon: ArrayLike<number>, n: number): EpsilonHistogram {
  const cap = maxEpsilon(n);
  const w = BUCKET / BINS_PER_BUCKET;
  const nb = Math.round(cap / w);
  const bins = Array.from({ length: nb }, (_, i) => ({ x0: i * w, x1: (i + 1) * w, count: 0 }));
  const buckets: Bucket[] = Array.from({ length: Math.round(cap / BUCKET) }, (_, i) => ({ x0: i * BUCKET, x1: (i + 1) * BUCKET, points: bucketPoints(i * BUCKET, n), count: 0 }));
  let over = 0;
  for (let i = 0; i < epsilon.length; i++) {
    const e = epsilon[i];
    if (Number.isNaN(e)) continue;
    if (e >= cap) {
      over++;
      continue;
    }
    // w is a power of two, so e / w is exact and the bin edges fall where the buckets' do.
    const b = Math.max(0, Math.floor(e / w));
    bins[b].count++;
    buckets[Math.floor(b / BINS_PER_BUCKET)].count++;
  }
  return { n, cap, bins, buckets, over, total: epsilon.length };
}

/** A bucket's points as a short label: 1, 1/2, 1/4, … */
export function pointsLabel(points: number): string {
  if (points >= 1) return '1';
  if (points <= 0) return '0';
  return `1/${Math.round(1 / points)}`;
}

export interface Leak {
  index: number;
  id: number;
  label: number;
  epsilon: number;
  retrainedMedian: number;
  unlearnedMedian: number;
  klom: number;
}

/**
 * The `k` examples that leak most: highest ε first; among equal ε (many sit at the cap) the larger gap between the
 * two sides' median confidences first, then the smaller id.
 */
export function leakiest(x: ApiBankRecord['examples'], k: number): Leak[] {
  const gap = (i: number) => Math.abs(x.unlearnedMedian[i] - x.retrainedMedian[i]);
  return x.ids.map((_, i) => i)
    .sort((a, b) => x.epsilon[b] - x.epsilon[a] || gap(b) - gap(a) || x.ids[a] - x.ids[b])
    .slice(0, k)
    .map((i) => ({ index: i, id: x.ids[i], label: x.labels[i], epsilon: x.epsilon[i], retrainedMedian: x.retrainedMedian[i], unlearnedMedian: x.unlearnedMedian[i], klom: x.klom[i] }));
}

/** The newest comparison of the bank's setting (the same original and forget request), whose Instances view can open its samples. */
export function comparisonOf(b: Pick<ApiBankSummary, 'originalId' | 'forgetText'>, comparisons: ComparisonSummary[]): ComparisonSummary | undefined {
  return comparisons
    .filter((c) => c.originalId === b.originalId && c.forgetText === b.forgetText)
    .sort((p, q) => q.created.localeCompare(p.created))[0];
}

/** The picker's line for a bank. */
export function bankLabel(b: ApiBankSummary, date: (iso: string) => string): string {
  return `${b.method} · ${b.dataset} · forget ${b.forgetText} · N = ${b.n} · ${date(b.created)}`;
}
