// Resolves `--data NAME|PATH` into a data set. A checkpoint stores the DataRef it was trained on.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCsv } from './csv.ts';
import { limitTrain, type Dataset } from './dataset.ts';
import { FASHION_CLASSES, fashionMnistDir, loadIdxDir } from './fashion-mnist.ts';
import { synthetic } from './synthetic.ts';

export interface DataRef {
  /** A built-in name (fashion-mnist, fashion-mnist-mini, synthetic) or a path to a CSV file or IDX folder. */
  name: string;
  /** Train on the first N train samples only (a smaller set that a model can memorise). */
  trainSize?: number;
  labelColumn?: string;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MINI_DIR = join(REPO_ROOT, 'data/fashion-mnist-mini');

export const BUILTIN_DATA = {
  'fashion-mnist': 'Fashion-MNIST, 60k train + 10k test 28x28 images (Debian dataset-fashion-mnist or LETHE_DATA_DIR)',
  'fashion-mnist-mini': 'a committed 3k train + 1k test subset of Fashion-MNIST, for tests',
  synthetic: 'seeded synthetic 8x8 images, 4 classes, 1200 train + 400 test, for tests',
} as const;

const cache = new Map<string, Dataset>();

function loadBase(ref: DataRef): Dataset {
  switch (ref.name) {
    case 'fashion-mnist':
      return loadIdxDir(fashionMnistDir(), 'fashion-mnist', FASHION_CLASSES);
    case 'fashion-mnist-mini':
      return loadIdxDir(MINI_DIR, 'fashion-mnist-mini', FASHION_CLASSES);
    case 'synthetic':
      return synthetic();
  }
  const path = resolve(ref.name);
  if (!existsSync(path)) {
    throw new Error(`unknown data set "${ref.name}": not one of ${Object.keys(BUILTIN_DATA).join(', ')}, and no such file or folder`);
  }
  if (statSync(path).isDirectory()) return loadIdxDir(path, ref.name);
  if (!path.toLowerCase().endsWith('.csv')) throw new Error(`${ref.name}: data files must be .csv, or a folder of IDX files`);
  if (!ref.labelColumn) throw new Error(`${ref.name}: a CSV data set needs --label-column NAME`);
  return loadCsv(path, { labelColumn: ref.labelColumn });
}

/** Loads (and caches per process) the data set a DataRef names. */
export function loadData(ref: DataRef): Dataset {
  const key = JSON.stringify([ref.name, ref.labelColumn ?? null]);
  let base = cache.get(key);
  if (!base) cache.set(key, (base = loadBase(ref)));
  return limitTrain(base, ref.trainSize);
}
