import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeManifest, hashIdSet, MANIFEST_FILE, readManifest } from './manifest.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training manifests', () => {
  it('hold the ids ascending as 4-byte little-endian integers, hashed uncompressed', () => {
    const { info, file } = encodeManifest([7, 1, 300]);
    // By hand: 01 00 00 00 | 07 00 00 00 | 2c 01 00 00.
    const raw = Buffer.from([1, 0, 0, 0, 7, 0, 0, 0, 0x2c, 1, 0, 0]);
    expect(info).toEqual({ count: 3, sha256: createHash('sha256').update(raw).digest('hex') });
    expect(hashIdSet([300, 7, 1])).toBe(info.sha256);
    writeFileSync(join(dir, MANIFEST_FILE), file);
    expect(Array.from(readManifest(dir, info))).toEqual([1, 7, 300]);
  });

  it('refuse repeated or negative ids', () => {
    expect(() => encodeManifest([1, 1])).toThrow(/distinct non-negative ids, got 1 twice/);
    expect(() => encodeManifest([-2])).toThrow(/got -2/);
  });

  it('a missing, corrupt or edited manifest is an error naming the file', () => {
    const { info } = encodeManifest([1, 2]);
    const sub = join(dir, 'c');
    expect(() => readManifest(sub, info)).toThrow(/missing manifest\.bin/);
    writeFileSync(join(dir, MANIFEST_FILE), Buffer.from('not gzip'));
    expect(() => readManifest(dir, info)).toThrow(/manifest\.bin is corrupt/);
    writeFileSync(join(dir, MANIFEST_FILE), gzipSync(Buffer.alloc(5)));
    expect(() => readManifest(dir, info)).toThrow(/not a whole number of ids/);
    writeFileSync(join(dir, MANIFEST_FILE), encodeManifest([1, 3]).file);
    expect(() => readManifest(dir, info)).toThrow(/does not match meta\.json .*it was edited/);
  });
});
