import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodeGrayPng, scaleNearest } from './png.ts';

/** Splits a PNG into its chunks. */
function chunks(png: Buffer) {
  const out: { type: string; data: Buffer }[] = [];
  let at = 8;
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    out.push({ type, data: png.subarray(at + 8, at + 8 + len) });
    at += 12 + len;
  }
  return out;
}

describe('png', () => {
  it('computes the standard CRC-32 check value', () => {
    // The check value of CRC-32/ISO-HDLC for the ASCII digits 1..9.
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes signature, IHDR, IDAT with unfiltered scanlines, IEND', () => {
    const png = encodeGrayPng(Uint8Array.from([0, 128, 255, 10, 20, 30]), 3, 2);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = cs[0].data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).toEqual([3, 2, 8, 0, 0, 0, 0]);
    expect([...inflateSync(cs[1].data)]).toEqual([0, 0, 128, 255, 0, 10, 20, 30]);
    let at = 8;
    for (const c of cs) {
      const whole = png.subarray(at + 4, at + 8 + c.data.length);
      expect(png.readUInt32BE(at + 8 + c.data.length)).toBe(crc32(whole));
      at += 12 + c.data.length;
    }
  });

  it('scales by an integer factor, nearest neighbour', () => {
    expect([...scaleNearest(Uint8Array.from([1, 2, 3, 4]), 2, 2, 2)]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});
