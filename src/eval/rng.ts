// Seeded randomness for metrics that subsample (the MIA shadow set). Never Math.random:
// the same seed must give the same number on every machine and in the browser.

/** A generator of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a tiny 32-bit generator; plenty for choosing subsets. */
export function mulberry32(seed: number): Random {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `m` distinct indices of 0..n-1, chosen uniformly, returned in ascending order
 * (so the sample keeps the caller's order, and results do not depend on shuffle order).
 */
export function sampleIndices(n: number, m: number, random: Random): Int32Array {
  if (!Number.isInteger(n) || !Number.isInteger(m) || m < 0 || m > n) {
    throw new Error(`sampleIndices: need 0 <= m <= n integers, got n=${n}, m=${m}`);
  }
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Partial Fisher–Yates: the first m slots end up a uniform m-subset.
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m).sort();
}
