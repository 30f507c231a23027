// KLOM (Georgiev et al., "Attribute-to-Delete", ICLR 2025; RoyRin/data-unlearning-bench eval.py): per example, the
// KL divergence from the distribution of its margin under N retrained models (the oracle) to the one under N
// unlearned models, binned. 0 = the unlearned models are distributed as retraining's. Pure code.

/** The margin of each row: the true class's logit − logsumexp of the other logits. */
export function margins(logits: Float32Array | Float64Array, labels: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (j !== labels[i]) max = Math.max(max, logits[i * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) if (j !== labels[i]) sum += Math.exp(logits[i * k + j] - max);
    out[i] = logits[i * k + labels[i]] - (max + Math.log(sum));
  }
  return out;
}

/**
 * Binned KL(p ‖ q) of two samples as the reference computes it: values clipped to ±100, 20 equal-width bins over the
 * joint range, q floored at 1e-5 where p has mass, both renormalised (scipy's entropy). As there (numpy's digitize),
 * a value equal to the joint maximum falls outside the last bin and is not counted.
 */
export function binnedKL(p: ArrayLike<number>, q: ArrayLike<number>, bins = 20, floor = 1e-5, clip = 100): number {
  const c = (x: number) => Math.min(clip, Math.max(-clip, x));
  const ps = Array.from(p, c);
  const qs = Array.from(q, c);
  const lo = Math.min(...ps, ...qs);
  let hi = Math.max(...ps, ...qs);
  if (lo >= hi) hi = lo + 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * ((hi - lo) / bins)));
  const count = (xs: number[]) => {
    const n = new Float64Array(bins);
    for (const x of xs) {
      // digitize: the i with edges[i−1] ≤ x < edges[i]; i = bins + 1 (x ≥ the last edge) is dropped.
      let i = 0;
      while (i <= bins && x >= edges[i]) i++;
      if (i >= 1 && i <= bins) n[i - 1]++;
    }
    return n;
  };
  const pc = count(ps);
  const qc = count(qs);
  const pt = pc.reduce((a, b) => a + b, 0);
  const qt = qc.reduce((a, b) => a + b, 0);
  const pp = pc.map((x) => (pt > 0 ? x / pt : 0));
  const qq = qc.map((x, i) => (pp[i] > 0 ? Math.max(qt > 0 ? x / qt : 0, floor) : qt > 0 ? x / qt : 0));
  const ps2 = pp.reduce((a, b) => a + b, 0);
  const qs2 = qq.reduce((a, b) => a + b, 0);
  let kl = 0;
  for (let i = 0; i < bins; i++) if (pp[i] > 0) kl += (pp[i] / ps2) * Math.log((pp[i] / ps2) / (qq[i] / qs2));
  return kl;
}

/** KLOM per example: `unlearned[m][i]` and `oracle[m][i]` are example i's margin under model m. */
export function klom(unlearned: ArrayLike<number>[], oracle: ArrayLike<number>[]): Float64Array {
  const examples = unlearned[0]?.length ?? 0;
  return Float64Array.from({ length: examples }, (_, i) => binnedKL(unlearned.map((r) => r[i]), oracle.map((r) => r[i])));
}
