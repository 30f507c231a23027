// Seeded randomness for the core. Never Math.random: the same seed gives the same numbers.

/** mulberry32: a small, fast 32-bit generator with good statistical quality for shuffles and sampling. */
export function rng(seed: number): () => number {
  let a = (seed | 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T extends { length: number; [i: number]: number } | unknown[]>(arr: T, random: () => number): T {
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
