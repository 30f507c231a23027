// Fashion-MNIST (Xiao et al. 2017) from Debian's dataset-fashion-mnist package or LETHE_DATA_DIR.
import type { Dataset } from './dataset.ts';
import { loadIdxDir } from './formats/idx.ts';

export { hasIdxFiles, loadIdxDir } from './formats/idx.ts';

export const FASHION_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];
export const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

export function fashionMnistDir(): string {
  return process.env.LETHE_DATA_DIR ?? DEBIAN_DIR;
}

/** Fashion-MNIST's IDX folder with its class names; where Debian's package is expected, a missing file says how to install it. */
export function loadFashionMnist(dir: string, name: string): Dataset {
  const hint = dir === DEBIAN_DIR
    ? 'install it with: sudo apt-get install dataset-fashion-mnist (or set LETHE_DATA_DIR to a folder with the IDX files)'
    : undefined;
  return loadIdxDir(dir, name, FASHION_CLASSES, hint);
}
