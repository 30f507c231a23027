// IDX files (LeCun's MNIST format), plain or gzipped: magic 0x00000803 = uint8 images, 0x00000801 = uint8 labels.
// The format is a folder of the four MNIST-style files: train and t10k images and labels.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Dataset } from '../dataset.ts';
import { assignGroups } from '../groups.ts';
import type { DataFormat } from './format.ts';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_UINT8 = 0x08;

function readBytes(path: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  if (path.endsWith('.gz') && !gzipped) throw new Error(`${path}: not a gzip file (bad gzip header)`);
  if (!gzipped) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new Error(`${path}: corrupt or truncated gzip data (${(e as Error).message})`);
  }
}

/** Parses an IDX buffer; `expectDims` is the number of dimensions the caller needs (3 for images, 1 for labels). */
export function parseIdx(buf: Buffer, path: string, expectDims: number): IdxArray {
  if (buf.length < 4) throw new Error(`${path}: too short for an IDX header (${buf.length} bytes)`);
  if (buf[0] !== 0 || buf[1] !== 0) throw new Error(`${path}: bad IDX magic number 0x${buf.readUInt32BE(0).toString(16)}`);
  if (buf[2] !== TYPE_UINT8) throw new Error(`${path}: IDX data type 0x${buf[2].toString(16)} is not supported (only uint8, 0x08)`);
  const nd = buf[3];
  if (nd !== expectDims) {
    throw new Error(`${path}: IDX magic 0x${buf.readUInt32BE(0).toString(16)} has ${nd} dimensions, expected ${expectDims}`);
  }
  const header = 4 + 4 * nd;
  if (buf.length < header) throw new Error(`${path}: truncated IDX header`);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const have = buf.length - header;
  if (have < count) throw new Error(`${path}: truncated: header says ${dims.join('x')} = ${count} bytes of data, file has ${have}`);
  if (have > count) throw new Error(`${path}: ${have - count} unexpected bytes after the ${dims.join('x')} data`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + header, count) };
}

export function readIdx(path: string, expectDims: number): IdxArray {
  return parseIdx(readBytes(path), path, expectDims);
}

/** Encodes uint8 data as IDX (used to write the committed test subset and in tests). */
export function encodeIdx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = TYPE_UINT8;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

export const IDX_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

function findFile(dir: string, base: string): string | undefined {
  for (const name of [`${base}.gz`, base]) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export function hasIdxFiles(dir: string): boolean {
  return IDX_FILES.every((f) => findFile(dir, f));
}

/**
 * Loads a directory holding the four MNIST-style IDX files (gzipped or not). `missingHint` replaces
 * the list of expected names when files are missing (a built-in data set says how to install it).
 */
export function loadIdxDir(dir: string, name: string, classNames?: string[], missingHint?: string): Dataset {
  const missing = IDX_FILES.filter((f) => !findFile(dir, f));
  if (missing.length) {
    const hint = missingHint ?? `expected ${IDX_FILES.map((f) => f + '[.gz]').join(', ')}`;
    throw new Error(`${name}: no data in ${dir} (missing ${missing.join(', ')}); ${hint}`);
  }
  const [trX, trY, teX, teY] = IDX_FILES.map((f, i) => readIdx(findFile(dir, f)!, i % 2 === 0 ? 3 : 1));
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

export const idx = {
  name: 'idx',
  summary: 'a folder of train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz)',
  accepts: 'a folder of IDX files',
  detect: (_path, stat) => stat.isDirectory(),
  load: (path, ref) => loadIdxDir(path, ref.name),
} satisfies DataFormat;
