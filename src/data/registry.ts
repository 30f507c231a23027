// Resolves `--data NAME|PATH` into a data set. A checkpoint stores the DataRef it was trained on.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitTrain, type Dataset } from './dataset.ts';
import { fashionMnistDir, hasIdxFiles, loadFashionMnist } from './fashion-mnist.ts';
import { formatOf, FORMATS_SENTENCE } from './formats/index.ts';
import { loadCsv } from './formats/csv.ts';
import { synthetic } from './synthetic.ts';
import type { TaskName } from './tasks.ts';

export interface DataRef {
  /** A built-in name (fashion-mnist, fashion-mnist-mini, synthetic) or a path to a CSV file or IDX folder. */
  name: string;
  /** Train on the first N train samples only (a smaller set that a model can memorise). */
  trainSize?: number;
  labelColumn?: string;
  /** A CSV file's numeric target column: a regression data set. */
  targetColumn?: string;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MINI_DIR = join(REPO_ROOT, 'data/fashion-mnist-mini');
export const DIABETES_CSV = join(REPO_ROOT, 'data/diabetes/diabetes.csv');

export interface BuiltinData {
  description: string;
  load(): Dataset;
  /** Whether `load` would find its files (the full Fashion-MNIST is an optional system package). */
  available(): boolean;
  /** What its models predict, when not classes. */
  task?: TaskName;
}

/** The one map of built-in data sets, by the name `--data` takes. */
export const DATA_SETS = {
  'fashion-mnist': {
    description: 'Fashion-MNIST, 60k train + 10k test 28x28 images (Debian dataset-fashion-mnist or LETHE_DATA_DIR)',
    load: () => loadFashionMnist(fashionMnistDir(), 'fashion-mnist'),
    available: () => hasIdxFiles(fashionMnistDir()),
  },
  'fashion-mnist-mini': {
    description: 'a committed 3k train + 1k test subset of Fashion-MNIST, for tests',
    load: () => loadFashionMnist(MINI_DIR, 'fashion-mnist-mini'),
    available: () => hasIdxFiles(MINI_DIR),
  },
  diabetes: {
    description: 'the diabetes data of Efron et al. 2004 (committed, data/diabetes): 442 patients, 10 features, regression of disease progression; 354 train + 88 test',
    load: () => ({ ...loadCsv(DIABETES_CSV, { targetColumn: 'progression' }), name: 'diabetes' }),
    available: () => existsSync(DIABETES_CSV),
    task: 'regression',
  },
  synthetic: {
    description: 'seeded synthetic 8x8 images, 4 classes, 1200 train + 400 test, for tests',
    load: () => synthetic(),
    available: () => true,
  },
} satisfies Record<string, BuiltinData>;

export type DataSetName = keyof typeof DATA_SETS;

/** Name → description of each built-in data set (derived from DATA_SETS). */
export const BUILTIN_DATA = Object.fromEntries(
  Object.entries(DATA_SETS).map(([name, d]) => [name, d.description]),
) as { readonly [K in DataSetName]: string };

export function isDataSet(name: string): name is DataSetName {
  return Object.hasOwn(DATA_SETS, name);
}

/** The task of the data a DataRef names, without loading it: a target column or a built-in regression set. */
export function refTask(ref: DataRef): TaskName {
  if (ref.targetColumn) return 'regression';
  return (isDataSet(ref.name) && (DATA_SETS[ref.name] as BuiltinData).task) || 'classification';
}

/** Whether a built-in data set's files are there; false for a name that is not built in. */
export function dataAvailable(name: string): boolean {
  return isDataSet(name) && DATA_SETS[name].available();
}

const cache = new Map<string, Dataset>();

function loadBase(ref: DataRef): Dataset {
  if (isDataSet(ref.name)) return DATA_SETS[ref.name].load();
  const path = resolve(ref.name);
  if (!existsSync(path)) {
    throw new Error(`unknown data set "${ref.name}": not one of ${Object.keys(DATA_SETS).join(', ')}, and no such file or folder`);
  }
  const format = formatOf(path, statSync(path));
  if (!format) throw new Error(`${ref.name}: ${FORMATS_SENTENCE}`);
  return format.load(path, ref, loadData);
}

/** Loads (and caches per process) the data set a DataRef names. */
export function loadData(ref: DataRef): Dataset {
  const key = JSON.stringify([ref.name, ref.labelColumn ?? null, ref.targetColumn ?? null]);
  let base = cache.get(key);
  if (!base) cache.set(key, (base = loadBase(ref)));
  return limitTrain(base, ref.trainSize);
}
