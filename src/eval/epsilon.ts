// Forgetting quality as the NeurIPS 2023 unlearning challenge scored it (google-deepmind/unlearning_evaluation,
// metric.py): per forget example, how well any threshold rule on its logit-scaled confidence tells N unlearned models
// from N retrained ones, as an (ε, δ = 1e-5) bound; then a bucketed score whose top bucket depends on N. Pure code.

export const DELTA = 1e-5;
export const EPSILON_CAP = 50;
const PER_UNIT = 100;

/**
 * The logit-scaled confidence of each row: log p_y − log Σ_{k≠y} p_k, from logits (row-major, k per row), with the
 * scorer's stabilisation (the largest logit subtracted, 1e-45 inside the logs).
 */
export function logitScaledConfidence(logits: Float32Array | Float64Array, labels: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i * k + j]);
    let total = 0;
    let right = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[i * k + j] - max);
      total += e;
      if (j === labels[i]) right = e;
    }
    const p = right / total;
    // The wrong classes' share summed from their own terms (1 − p loses it when p rounds to 1).
    out[i] = Math.log(p + 1e-45) - Math.log((total - right) / total + 1e-45);
  }
  return out;
}

/** numpy's linspace: `num` points from start to stop, the last exactly stop. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(Math.max(0, num));
  if (num === 1) out[0] = start;
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * ε of one decision rule from how many positives (tp of np) and negatives (fp of nn) it calls positive; NaN when
 * the scorer discards the rule (exactly one of FPR, FNR is 0), Infinity for a perfect separation.
 */
function ruleEpsilon(tp: number, np: number, fp: number, nn: number): number {
  const tpr = tp / np;
  const fnr = (np - tp) / np;
  const fpr = fp / nn;
  const tnr = (nn - fp) / nn;
  if (fpr + fnr === 0 && tpr + tnr === 2) return Infinity;
  if (fpr * fnr === 0) return NaN;
  const a = Math.log(1 - DELTA - fpr) - Math.log(fnr);
  const b = Math.log(1 - DELTA - fnr) - Math.log(fpr);
  const e = Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b);
  return Number.isNaN(e) ? NaN : Math.max(0, e);
}

/** Sorted copy. */
const sorted = (xs: ArrayLike<number>) => Float64Array.from(xs).sort();
/** How many of the sorted `xs` are below `t` (strictly), from index `from` on (a moving pointer). */
function countBelow(xs: Float64Array, t: number, from: number): number {
  let i = from;
  while (i < xs.length && xs[i] < t) i++;
  return i;
}
function countAtMost(xs: Float64Array, t: number, from: number): number {
  let i = from;
  while (i < xs.length && xs[i] <= t) i++;
  return i;
}

/**
 * ε of one example from its confidences under the positive and the negative side's models (metric.py's
 * `_get_epsilons` for one column): the peakiness guard, then the best of every single- and double-threshold rule.
 */
export function exampleEpsilon(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  let p = sorted(pos);
  let n = sorted(neg);
  const posDiff = p[p.length - 1] - p[0];
  const negDiff = n[n.length - 1] - n[0];
  const largest = posDiff > negDiff ? posDiff : negDiff;
  const smallest = posDiff > negDiff ? negDiff : posDiff;
  if (smallest / largest < 0.01) return EPSILON_CAP;
  const table = new Map<number, number>();
  const eps = (tp: number, fp: number, np: number, nn: number) => {
    const key = tp * 100_003 + fp;
    let e = table.get(key);
    if (e === undefined) table.set(key, (e = ruleEpsilon(tp, np, fp, nn)));
    return e;
  };
  let best = NaN;
  const take = (e: number) => {
    if (!Number.isNaN(e) && !(e <= best)) best = e;
  };

  // Single threshold over both sets' range, positive when s ≥ t (the positive side is the one with the larger median).
  const lo = Math.min(p[0], n[0]);
  const hi = Math.max(p[p.length - 1], n[n.length - 1]);
  let ip = 0;
  let inn = 0;
  for (const t of linspace(lo, hi, Math.ceil((hi - lo) * PER_UNIT))) {
    ip = countBelow(p, t, ip);
    inn = countBelow(n, t, inn);
    take(eps(p.length - ip, n.length - inn, p.length, n.length));
  }

  // Double threshold: positive = the peakier side, predicted when l ≤ s ≤ r.
  if (posDiff >= negDiff) [p, n] = [n, p];
  const width = smallest;
  const buffer = 2;
  const right = linspace(p[0] + width - buffer, p[p.length - 1] + buffer, Math.ceil((p[p.length - 1] + buffer - (p[0] + width - buffer)) * PER_UNIT));
  const lefts = Math.ceil(2 * buffer * PER_UNIT);
  let rp = 0;
  let rn = 0;
  for (const r of right) {
    rp = countAtMost(p, r, rp);
    rn = countAtMost(n, r, rn);
    let lp = 0;
    let ln = 0;
    for (const l of linspace(r - width - buffer, r - width + buffer, lefts)) {
      lp = countBelow(p, l, lp);
      ln = countBelow(n, l, ln);
      take(eps(Math.max(0, rp - lp), Math.max(0, rn - ln), p.length, n.length));
    }
  }
  if (Number.isNaN(best)) throw new Error('every decision rule was discarded (too few models on one side?)');
  return Math.min(EPSILON_CAP, Math.max(0, best));
}

/** The top of the scored range for N models per side: ceil(ln(N − 1)) (7 for the challenge's 512). */
export const maxEpsilon = (n: number) => Math.ceil(Math.log(n - 1));

/** Points an ε earns: 1 in [0, 0.5), ½ in [0.5, 1), ¼ … up to maxEpsilon(n), then 0. */
export function bucketPoints(e: number, n: number): number {
  const top = maxEpsilon(n);
  let points = 1;
  for (let start = 0; start + 0.5 <= top; start += 0.5, points /= 2) if (e < start + 0.5) return points;
  return 0;
}

export interface ForgetQuality {
  /** Models per side. */
  n: number;
  /** ε per forget example. */
  epsilons: Float64Array;
  /** Mean bucket points over the forget examples (1 = indistinguishable from retraining). */
  forgetScore: number;
  /** forgetScore × (RA_u / RA_r) × (TA_u / TA_r), the challenge's final score. */
  score: number;
}

/**
 * The challenge's score from the forget examples' confidences under N unlearned and N retrained models
 * (`unlearned[m][i]`: model m, example i) and each side's mean retain and test accuracy.
 */
export function forgetQuality(
  unlearned: ArrayLike<number>[], retrained: ArrayLike<number>[],
  acc: { unlearnedRA: number; retrainedRA: number; unlearnedTA: number; retrainedTA: number },
): ForgetQuality {
  const n = unlearned.length;
  if (n < 3 || retrained.length !== n) throw new Error(`forgetting quality needs N ≥ 3 models on each side, the same N; got ${n} unlearned and ${retrained.length} retrained`);
  const examples = unlearned[0].length;
  const epsilons = new Float64Array(examples);
  const median = (xs: Float64Array) => {
    const s = Float64Array.from(xs).sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  for (let i = 0; i < examples; i++) {
    const u = Float64Array.from(unlearned, (row) => row[i]);
    const r = Float64Array.from(retrained, (row) => row[i]);
    epsilons[i] = median(r) > median(u) ? exampleEpsilon(r, u) : exampleEpsilon(u, r);
  }
  const forgetScore = epsilons.reduce((a, e) => a + bucketPoints(e, n), 0) / examples;
  return { n, epsilons, forgetScore, score: forgetScore * (acc.unlearnedRA / acc.retrainedRA) * (acc.unlearnedTA / acc.retrainedTA) };
}
