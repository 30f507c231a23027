// The one seeded random generator of Lethe (data, training, methods, metrics, the UI). Never Math.random:
// the same seed gives the same numbers on every machine and in the browser.

/** A generator of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32 from a raw 32-bit state: a small, fast generator with good statistical quality for shuffles and sampling. */
export function mulberry32(state: number): Random {
  let a = state | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The generator for a seed: mulberry32 with the seed mixed with the golden ratio, so that seeds 0, 1, 2 … do
 * not start from small states. (The MIA's shadow sampling predates this and seeds mulberry32 directly; kept,
 * because changing it would change every published MIA number.)
 */
export function rng(seed: number): Random {
  return mulberry32((seed | 0) ^ 0x9e3779b9);
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T extends { length: number; [i: number]: number } | unknown[]>(arr: T, random: Random): T {
  const a = arr as unknown as unknown[];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return arr;
}

/** A derived seed, so that independent streams (init, shuffling, sampling) do not overlap. */
export function subSeed(seed: number, stream: string): number {
  let h = (seed | 0) ^ 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 16777619);
  return h >>> 0;
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

/** `n` of `ids`, drawn by a seeded shuffle, in ascending order. */
export function pickSorted(ids: ArrayLike<number>, n: number, seed: number): number[] {
  return shuffle(Array.from(ids), rng(seed)).slice(0, n).sort((a, b) => a - b);
}
