import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { idsOfSplit } from '../dataset.ts';
import { encodeIdx, loadIdxDir, parseIdx, readIdx } from './idx.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (...b: number[]) => Buffer.from(b);
// Labels file with three labels 7, 8, 9: magic 0x00000801, dim 3, then the data.
const LABELS = bytes(0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9);

describe('parseIdx', () => {
  it('reads a hand-built 1-d label buffer', () => {
    const a = parseIdx(LABELS, 'labels', 1);
    expect(a.dims).toEqual([3]);
    expect(Array.from(a.data)).toEqual([7, 8, 9]);
  });

  it('reads a hand-built 3-d image buffer (big-endian dims)', () => {
    // 2 images of 1x3: dims 2, 1, 3 as uint32 big-endian; dim 0x0102 checks byte order.
    const buf = bytes(0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6);
    const a = parseIdx(buf, 'images', 3);
    expect(a.dims).toEqual([2, 1, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const big = Buffer.concat([bytes(0, 0, 8, 1, 0, 0, 1, 2), Buffer.alloc(0x102, 5)]);
    expect(parseIdx(big, 'big', 1).dims).toEqual([258]);
  });

  it('encodeIdx writes exactly the hand-built bytes and round-trips', () => {
    expect(encodeIdx([3], Uint8Array.of(7, 8, 9)).equals(LABELS)).toBe(true);
    const data = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const a = parseIdx(encodeIdx([2, 3, 2], data), 'x', 3);
    expect(a.dims).toEqual([2, 3, 2]);
    expect(Array.from(a.data)).toEqual(Array.from(data));
  });

  it('encodes a subarray view, not its whole backing buffer', () => {
    const whole = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const a = parseIdx(encodeIdx([2], whole.subarray(3, 5)), 'x', 1);
    expect(Array.from(a.data)).toEqual([4, 5]);
  });

  it('rejects a labels magic (0x801) where images (3 dims) are expected', () => {
    expect(() => parseIdx(LABELS, 'imgs.idx', 3)).toThrow(/imgs\.idx: .*0x801.*1 dimensions, expected 3/);
  });

  it('rejects a magic number that does not start with two zero bytes', () => {
    expect(() => parseIdx(bytes(0x1f, 0x8b, 8, 1, 0, 0, 0, 1, 0), 'a.idx', 1)).toThrow(/a\.idx: bad IDX magic number 0x1f8b0801/);
    expect(() => parseIdx(bytes(0, 1, 8, 1, 0, 0, 0, 1, 0), 'b.idx', 1)).toThrow(/b\.idx: bad IDX magic/);
  });

  it('rejects a data type other than uint8', () => {
    expect(() => parseIdx(bytes(0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0), 'f.idx', 1)).toThrow(/f\.idx: .*data type 0xd is not supported/);
  });

  it('rejects a wrong number of dims', () => {
    const two = encodeIdx([2, 2], Uint8Array.of(1, 2, 3, 4));
    expect(() => parseIdx(two, 'two.idx', 1)).toThrow(/two\.idx: .*2 dimensions, expected 1/);
    expect(() => parseIdx(two, 'two.idx', 3)).toThrow(/two\.idx: .*2 dimensions, expected 3/);
  });

  it('rejects a file too short for the header or with a truncated dims table', () => {
    expect(() => parseIdx(bytes(0, 0), 's.idx', 1)).toThrow(/s\.idx: too short .*2 bytes/);
    expect(() => parseIdx(bytes(0, 0, 8, 3, 0, 0, 0, 2), 'h.idx', 3)).toThrow(/h\.idx: truncated IDX header/);
  });

  it('rejects truncated data, naming the sizes', () => {
    const full = encodeIdx([2, 3], Uint8Array.of(1, 2, 3, 4, 5, 6));
    // header of 2 dims is 12 bytes; keep 4 of the 6 data bytes
    expect(() => parseIdx(full.subarray(0, 16), 't.idx', 2)).toThrow(/t\.idx: truncated: header says 2x3 = 6 bytes of data, file has 4/);
  });

  it('rejects extra trailing bytes', () => {
    const extra = Buffer.concat([LABELS, bytes(0, 0)]);
    expect(() => parseIdx(extra, 'e.idx', 1)).toThrow(/e\.idx: 2 unexpected bytes after the 3 data/);
  });
});

describe('readIdx', () => {
  const data = Uint8Array.from({ length: 2 * 4 * 4 }, (_, i) => (i * 37) % 256);
  const idx = encodeIdx([2, 4, 4], data);

  it('reads plain and gzipped files, with or without the .gz name', () => {
    const plain = join(dir, 'plain-idx3-ubyte');
    const gz = join(dir, 'img-idx3-ubyte.gz');
    const gzNoExt = join(dir, 'gz-without-ext');
    writeFileSync(plain, idx);
    writeFileSync(gz, gzipSync(idx));
    writeFileSync(gzNoExt, gzipSync(idx));
    for (const p of [plain, gz, gzNoExt]) {
      const a = readIdx(p, 3);
      expect(a.dims).toEqual([2, 4, 4]);
      expect(Array.from(a.data)).toEqual(Array.from(data));
    }
  });

  it('a .gz path that is not gzip says so', () => {
    const p = join(dir, 'fake-labels.gz');
    writeFileSync(p, LABELS);
    expect(() => readIdx(p, 1)).toThrow(/fake-labels\.gz: not a gzip file/);
  });

  it('a truncated gzip file says so', () => {
    const z = gzipSync(Buffer.concat([idx, Buffer.alloc(4000, 3)]));
    const p = join(dir, 'cut-idx3-ubyte.gz');
    writeFileSync(p, z.subarray(0, Math.floor(z.length / 2)));
    expect(() => readIdx(p, 3)).toThrow(/cut-idx3-ubyte\.gz: corrupt or truncated gzip/);
  });

  it('a gzip file whose content is truncated IDX names the file', () => {
    const p = join(dir, 'short-idx3-ubyte.gz');
    writeFileSync(p, gzipSync(idx.subarray(0, idx.length - 5)));
    expect(() => readIdx(p, 3)).toThrow(/short-idx3-ubyte\.gz: truncated: .*32 bytes of data, file has 27/);
  });

  it('a missing file says it cannot be read', () => {
    expect(() => readIdx(join(dir, 'nope.gz'), 1)).toThrow(/nope\.gz: cannot read \(ENOENT\)/);
  });
});

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
