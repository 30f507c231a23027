import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { idsOfSplit } from './dataset.ts';
import { loadIdxDir } from './fashion-mnist.ts';
import { encodeIdx } from './idx.ts';
import { MINI_DIR, loadData } from './registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-fmnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the four IDX files of a tiny 4x4 image set: train files gzipped, test files plain. */
function writeIdxDir(name: string, train: number[], test: number[], trainImages = train.length): string {
  const d = join(dir, name);
  mkdirSync(d);
  const img = (n: number, base: number) => encodeIdx([n, 4, 4], Uint8Array.from({ length: n * 16 }, (_, i) => (base + i) % 256));
  writeFileSync(join(d, 'train-images-idx3-ubyte.gz'), gzipSync(img(trainImages, 0)));
  writeFileSync(join(d, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([train.length], Uint8Array.from(train))));
  writeFileSync(join(d, 't10k-images-idx3-ubyte'), img(test.length, 100));
  writeFileSync(join(d, 't10k-labels-idx1-ubyte'), encodeIdx([test.length], Uint8Array.from(test)));
  return d;
}

describe('loadIdxDir', () => {
  it('joins train and test into one table: train ids first, pixels / 255', () => {
    const d = writeIdxDir('tiny', [0, 2, 1], [2, 0]);
    const ds = loadIdxDir(d, 'tiny');
    expect(ds.size).toBe(5);
    expect(ds.inputShape).toEqual([4, 4, 1]);
    expect(ds.numClasses).toBe(3);
    expect(ds.classNames).toEqual(['0', '1', '2']);
    expect(Array.from(ds.y)).toEqual([0, 2, 1, 2, 0]);
    expect(Array.from(idsOfSplit(ds, 'train'))).toEqual([0, 1, 2]);
    expect(Array.from(idsOfSplit(ds, 'test'))).toEqual([3, 4]);
    // train pixel i is i % 256; test image 0 starts at 100
    expect(ds.x[17]).toBeCloseTo(17 / 255, 7);
    expect(ds.x[3 * 16]).toBeCloseTo(100 / 255, 7);
    expect(ds.group.length).toBe(5);
  });

  it('images and labels of different counts are an error', () => {
    const d = writeIdxDir('mismatch', [0, 1, 0], [1, 0], 2);
    expect(() => loadIdxDir(d, 'mismatch')).toThrow(/2 images but 3 labels/);
  });

  it('missing files are listed, with the names expected', () => {
    const d = join(dir, 'empty');
    mkdirSync(d);
    expect(() => loadIdxDir(d, 'empty')).toThrow(/^empty: no data in .* \(missing train-images-idx3-ubyte, .*t10k-labels-idx1-ubyte\); expected train-images-idx3-ubyte\[\.gz\]/);
  });
});

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
