// Deterministic owners ("groups") for data sets that have none: seeded clusters of similar
// samples within a class stand for "one user's photos", so per-user deletion can be tested.
import { featureSize } from './dataset.ts';
import { rng } from '../shared/random.ts';

/**
 * Within each class and split, orders samples along a seeded random projection (similar images
 * land near each other) and cuts the order into runs of `groupSize`, named u0, u1, ...
 */
export function assignGroups(
  x: Float32Array,
  y: Int32Array,
  split: Uint8Array,
  inputShape: number[],
  { groupSize = 60, seed = 7 } = {},
): string[] {
  const d = featureSize(inputShape);
  const n = y.length;
  const random = rng(seed);
  const dir = new Float32Array(d);
  for (let j = 0; j < d; j++) dir[j] = random() - 0.5;
  const proj = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * dir[j];
    proj[i] = s;
  }
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = `${split[i]}:${y[i]}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = []));
    b.push(i);
  }
  const group = new Array<string>(n);
  let next = 0;
  for (const key of [...buckets.keys()].sort()) {
    const members = buckets.get(key)!.sort((a, b) => proj[a] - proj[b] || a - b);
    for (let start = 0; start < members.length; start += groupSize) {
      const name = `u${next++}`;
      for (const i of members.slice(start, start + groupSize)) group[i] = name;
    }
  }
  return group;
}
