import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idsOfSplit } from './dataset.ts';
import { DEBIAN_DIR, loadFashionMnist } from './fashion-mnist.ts';
import { MINI_DIR, loadData } from './registry.ts';

describe('fashion-mnist-mini', () => {
  it('has 3000 train and 1000 test 28x28 images in 10 classes, matching the raw files', () => {
    const ds = loadData({ name: 'fashion-mnist-mini' });
    expect(idsOfSplit(ds, 'train').length).toBe(3000);
    expect(idsOfSplit(ds, 'test').length).toBe(1000);
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect(ds.numClasses).toBe(10);
    expect(ds.classNames[9]).toBe('Ankle boot');
    // independent route: decode the raw gzip files here (16/8-byte headers)
    const imgs = gunzipSync(readFileSync(join(MINI_DIR, 't10k-images-idx3-ubyte.gz'))).subarray(16);
    const labels = gunzipSync(readFileSync(join(MINI_DIR, 'train-labels-idx1-ubyte.gz'))).subarray(8);
    expect(Array.from(ds.y.subarray(0, 3000))).toEqual(Array.from(labels));
    const last = 999 * 784;
    for (let j = 0; j < 784; j += 37) expect(ds.x[(3000 + 999) * 784 + j]).toBeCloseTo(imgs[last + j] / 255, 7);
  });

  it('--train-size keeps the first N train ids', () => {
    const ds = loadData({ name: 'fashion-mnist-mini', trainSize: 500 });
    expect(Array.from(idsOfSplit(ds, 'train'))).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(idsOfSplit(ds, 'test')[0]).toBe(3000);
  });
});

describe('loadFashionMnist', () => {
  it.skipIf(existsSync(DEBIAN_DIR))('a missing Debian package says how to install it', () => {
    expect(() => loadFashionMnist(DEBIAN_DIR, 'fashion-mnist')).toThrow(
      /^fashion-mnist: no data in \/usr\/share\/datasets\/fashion-mnist \(missing train-images-idx3-ubyte, .*\); install it with: sudo apt-get install dataset-fashion-mnist/,
    );
  });

  it('elsewhere, a missing file lists the names expected', () => {
    expect(() => loadFashionMnist(join(MINI_DIR, 'nope'), 'x')).toThrow(/\); expected train-images-idx3-ubyte\[\.gz\]/);
  });
});
