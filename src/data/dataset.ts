// In-memory data sets and the subsets that training, unlearning and evaluation pass around.
import type { Manipulation } from './manipulation.ts';
import type { Protection } from './protect/index.ts';

export type Split = 'train' | 'test';

/** Every sample of a data set, train and test, in one table. Sample `id` is its row index. */
export interface Dataset {
  name: string;
  /** Per-sample input shape, e.g. [28, 28, 1] for images or [d] for tabular data. */
  inputShape: number[];
  numClasses: number;
  classNames: string[];
  /** Features, row-major, length = size * prod(inputShape), scaled to about [0, 1]. */
  x: Float32Array;
  /** Class labels; all 0 on a regression set (numClasses 1), whose `target` is what is predicted. */
  y: Int32Array;
  /** Regression only: the target of each sample, in the column's units (the model predicts it standardised: targetInfo). */
  target?: Float32Array;
  targetInfo?: TargetInfo;
  /** 0 = train, 1 = test. */
  split: Uint8Array;
  /** Owner of each sample ("one user's data"), e.g. 'u17'. */
  group: string[];
  size: number;
  /** A derived data set (corrective unlearning): which train samples were manipulated, and how. */
  manipulation?: Manipulation;
  /** A protected copy (lethe protect): how its train images were made unlearnable. */
  protection?: Protection;
}

/** A regression target's column and the train split's mean and sd: the model's output z means z·sd + mean in the column's units. */
export interface TargetInfo {
  column: string;
  mean: number;
  sd: number;
}

/** The data set a derived one (manipulated, protected) was made from, as `--data` named it, and its content hash. */
export interface DerivedSource {
  name: string;
  trainSize?: number;
  labelColumn?: string;
  hash: string;
}

/** A materialised selection of samples: contiguous features, ready for batching. */
export interface Subset {
  ids: Int32Array;
  x: Float32Array;
  y: Int32Array;
  /** Regression only: the targets in the column's units (Dataset.target), and how the model standardises them. */
  target?: Float32Array;
  targetInfo?: TargetInfo;
  inputShape: number[];
  numClasses: number;
}

export const featureSize = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function subset(ds: Dataset, ids: ArrayLike<number>): Subset {
  const d = featureSize(ds.inputShape);
  const x = new Float32Array(ids.length * d);
  const y = new Int32Array(ids.length);
  const target = ds.target && new Float32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    x.set(ds.x.subarray(id * d, (id + 1) * d), i * d);
    y[i] = ds.y[id];
    if (target) target[i] = ds.target![id];
  }
  return { ids: Int32Array.from(ids), x, y, ...(target ? { target, targetInfo: ds.targetInfo } : {}), inputShape: ds.inputShape, numClasses: ds.numClasses };
}

export function idsOfSplit(ds: Dataset, split: Split): Int32Array {
  const want = split === 'train' ? 0 : 1;
  const out: number[] = [];
  for (let i = 0; i < ds.size; i++) if (ds.split[i] === want) out.push(i);
  return Int32Array.from(out);
}

/** Keeps the first `trainSize` train samples (in id order) and every test sample. */
export function limitTrain(ds: Dataset, trainSize: number | undefined): Dataset {
  if (trainSize === undefined) return ds;
  const train = idsOfSplit(ds, 'train');
  if (!Number.isInteger(trainSize) || trainSize < 1 || trainSize > train.length) {
    throw new Error(`train size ${trainSize} is out of range: ${ds.name} has ${train.length} train samples`);
  }
  // Ids stay stable: dropped samples keep their ids out of use rather than renumbering.
  const split = Uint8Array.from(ds.split);
  for (let i = trainSize; i < train.length; i++) split[train[i]] = 2;
  return { ...ds, split };
}

/** A stable fingerprint of an id set (FNV-1a over the sorted ids), stored in checkpoints. */
export function hashIds(ids: ArrayLike<number>): string {
  const sorted = Int32Array.from(ids).sort();
  let h1 = 0x811c9dc5;
  let h2 = 0x1000193;
  for (const id of sorted) {
    h1 = Math.imul(h1 ^ id, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ (id + 0x9e37), 2246822519) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0') + ':' + sorted.length;
}
