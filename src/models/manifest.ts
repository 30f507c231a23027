// A checkpoint's training manifest: the ascending ids of every sample its weights were derived from, kept beside
// the weights as manifest.bin (gzip of 4-byte little-endian integers) with their count and SHA-256 in meta.json.
// Lineage ("which versions contain sample 123?") and the ledger's exactness check read it; the hash is over the
// uncompressed bytes, so anyone can recompute it from the id list alone.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.bin';

export const ManifestSchema = z.object({ count: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type ManifestInfo = z.infer<typeof ManifestSchema>;

/** The ids as the manifest holds them: ascending, without repeats, each a non-negative integer. */
export function sortedIds(ids: ArrayLike<number>): Int32Array {
  const sorted = Int32Array.from(ids).sort();
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] < 0 || (i > 0 && sorted[i] === sorted[i - 1])) throw new Error(`a training manifest holds distinct non-negative ids, got ${sorted[i]} ${sorted[i] < 0 ? '' : 'twice'}`.trim());
  }
  return sorted;
}

/** The bytes the hashes cover: each id as a 4-byte little-endian integer, ascending. */
export function idBytes(sorted: Int32Array): Buffer {
  const b = Buffer.alloc(sorted.length * 4);
  sorted.forEach((id, i) => b.writeInt32LE(id, i * 4));
  return b;
}

/** Hex SHA-256 of a set of ids in manifest form: what the ledger records of a request's ids too. */
export function hashIdSet(ids: ArrayLike<number>): string {
  return createHash('sha256').update(idBytes(sortedIds(ids))).digest('hex');
}

export function encodeManifest(ids: ArrayLike<number>): { info: ManifestInfo; file: Uint8Array } {
  const sorted = sortedIds(ids);
  const raw = idBytes(sorted);
  return { info: { count: sorted.length, sha256: createHash('sha256').update(raw).digest('hex') }, file: gzipSync(raw) };
}

/** The manifest of the checkpoint at `dir`, checked against the count and hash its meta.json records. */
export function readManifest(dir: string, info: ManifestInfo): Int32Array {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new Error(`checkpoint ${dir}: missing ${MANIFEST_FILE} (its meta.json records a training manifest)`);
  let raw: Buffer;
  try {
    raw = gunzipSync(readFileSync(path));
  } catch (e) {
    throw new Error(`checkpoint ${dir}: ${MANIFEST_FILE} is corrupt (${(e as Error).message})`);
  }
  if (raw.length % 4 !== 0) throw new Error(`checkpoint ${dir}: ${MANIFEST_FILE} is corrupt (${raw.length} bytes is not a whole number of ids)`);
  const sha = createHash('sha256').update(raw).digest('hex');
  if (raw.length / 4 !== info.count || sha !== info.sha256) {
    throw new Error(`checkpoint ${dir}: ${MANIFEST_FILE} does not match meta.json (${raw.length / 4} ids, SHA-256 ${sha.slice(0, 12)}…; meta.json says ${info.count} ids, ${info.sha256.slice(0, 12)}…): it was edited`);
  }
  const ids = new Int32Array(raw.length / 4);
  for (let i = 0; i < ids.length; i++) ids[i] = raw.readInt32LE(i * 4);
  return ids;
}
