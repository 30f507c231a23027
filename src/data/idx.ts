// IDX files (LeCun's MNIST format), plain or gzipped: magic 0x00000803 = uint8 images, 0x00000801 = uint8 labels.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_UINT8 = 0x08;

function load(path: string): Buffer {
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
  return parseIdx(load(path), path, expectDims);
}

/** Encodes uint8 data as IDX (used to write the committed test subset and in tests). */
export function encodeIdx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = TYPE_UINT8;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}
