// A seeded synthetic image set for tests: each class is a random 8x8 prototype plus noise.
import type { Dataset } from './dataset.ts';
import { assignGroups } from './groups.ts';
import { rng } from '../shared/random.ts';

export interface SyntheticOptions {
  train?: number;
  test?: number;
  classes?: number;
  side?: number;
  noise?: number;
  seed?: number;
}

export function synthetic({ train = 1200, test = 400, classes = 4, side = 8, noise = 0.35, seed = 0 }: SyntheticOptions = {}): Dataset {
  const random = rng(seed);
  const d = side * side;
  const protos = Array.from({ length: classes }, () => Float32Array.from({ length: d }, () => (random() < 0.5 ? 0.1 : 0.9)));
  const size = train + test;
  const x = new Float32Array(size * d);
  const y = new Int32Array(size);
  const split = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const c = i % classes;
    y[i] = c;
    split[i] = i < train ? 0 : 1;
    for (let j = 0; j < d; j++) {
      // Box–Muller for Gaussian noise.
      const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      x[i * d + j] = Math.min(1, Math.max(0, protos[c][j] + noise * g));
    }
  }
  const inputShape = [side, side, 1];
  return {
    name: 'synthetic',
    inputShape,
    numClasses: classes,
    classNames: Array.from({ length: classes }, (_, i) => `class ${i}`),
    x,
    y,
    split,
    group: assignGroups(x, y, split, inputShape, { groupSize: 20 }),
    size,
  };
}
