// Fashion-MNIST (Xiao et al. 2017) from Debian's dataset-fashion-mnist package or LETHE_DATA_DIR.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from './dataset.ts';
import { assignGroups } from './groups.ts';
import { readIdx } from './idx.ts';

export const FASHION_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];
export const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

function findFile(dir: string, base: string): string | undefined {
  for (const name of [`${base}.gz`, base]) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export function fashionMnistDir(): string {
  return process.env.LETHE_DATA_DIR ?? DEBIAN_DIR;
}

export function hasIdxFiles(dir: string): boolean {
  return FILES.every((f) => findFile(dir, f));
}

/** Loads a directory holding the four MNIST-style IDX files (gzipped or not). */
export function loadIdxDir(dir: string, name: string, classNames?: string[]): Dataset {
  const missing = FILES.filter((f) => !findFile(dir, f));
  if (missing.length) {
    const hint = dir === DEBIAN_DIR
      ? 'install it with: sudo apt-get install dataset-fashion-mnist (or set LETHE_DATA_DIR to a folder with the IDX files)'
      : `expected ${FILES.map((f) => f + '[.gz]').join(', ')}`;
    throw new Error(`${name}: no data in ${dir} (missing ${missing.join(', ')}); ${hint}`);
  }
  const [trX, trY, teX, teY] = FILES.map((f, i) => readIdx(findFile(dir, f)!, i % 2 === 0 ? 3 : 1));
  for (const [imgs, labels] of [[trX, trY], [teX, teY]]) {
    if (imgs.dims[0] !== labels.dims[0]) {
      throw new Error(`${dir}: ${imgs.dims[0]} images but ${labels.dims[0]} labels`);
    }
  }
  if (trX.dims[1] !== teX.dims[1] || trX.dims[2] !== teX.dims[2]) {
    throw new Error(`${dir}: train images are ${trX.dims.slice(1).join('x')} but test images ${teX.dims.slice(1).join('x')}`);
  }
  const [h, w] = trX.dims.slice(1);
  const nTrain = trX.dims[0];
  const size = nTrain + teX.dims[0];
  const x = new Float32Array(size * h * w);
  for (let i = 0; i < trX.data.length; i++) x[i] = trX.data[i] / 255;
  for (let i = 0; i < teX.data.length; i++) x[trX.data.length + i] = teX.data[i] / 255;
  const y = new Int32Array(size);
  y.set(trY.data);
  y.set(teY.data, nTrain);
  let numClasses = 0;
  for (const v of y) numClasses = Math.max(numClasses, v + 1);
  const split = new Uint8Array(size).fill(1, nTrain);
  const inputShape = [h, w, 1];
  return {
    name,
    inputShape,
    numClasses,
    classNames: classNames ?? Array.from({ length: numClasses }, (_, i) => String(i)),
    x,
    y,
    split,
    group: assignGroups(x, y, split, inputShape),
    size,
  };
}
