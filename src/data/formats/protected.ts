// A protected copy written by `lethe protect`: a folder holding protection.json, the record of how the train images
// of a source data set were made unlearnable (method, parameters, key, the source's hash and the result's hash).
// Read through derived.ts: loading recomputes the protection from the record and checks it gives the recorded hash.
import type { Progress } from '../../shared/http.ts';
import { z } from 'zod';
import type { Dataset, DerivedSource } from '../dataset.ts';
import { applyProtection, PROTECTION_NAMES, protectionOf, type Protection, type ProtectionSpec } from '../protect/index.ts';
import { datasetHash, SourceSchema, writeDerived, type Derivation } from './derived.ts';

export const PROTECTION_FILE = 'protection.json';

export const protection: Derivation<Protection> = {
  key: 'protection',
  file: PROTECTION_FILE,
  format: 'lethe-protection',
  version: 1,
  command: 'lethe protect',
  verb: 'protected',
  schema: z.object({
    method: z.enum(PROTECTION_NAMES),
    params: z.record(z.string(), z.unknown()),
    key: z.unknown(),
    count: z.number().int().positive(),
    hash: z.string().min(1),
    source: SourceSchema,
  }).strict() as z.ZodType<Protection>,
  apply(source, p, name, file) {
    let ds: Dataset;
    try {
      ds = applyProtection(source, p, name);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message.replace(/^--method: /, '')}`);
    }
    const hash = datasetHash(ds);
    if (hash !== p.hash) throw new Error(`${file}: the record applied to ${p.source.name} gives content hash ${hash}, but it records ${p.hash}`);
    return ds;
  },
};

/** A data set protected by a spec, with its complete record. */
export async function protect(ds: Dataset, spec: ProtectionSpec, source: DerivedSource, name: string, onProgress?: (p: Progress) => void): Promise<Dataset & { protection: Protection }> {
  const partial = await protectionOf(ds, spec, source, onProgress);
  const out = applyProtection(ds, partial, name);
  const p: Protection = { ...partial, hash: datasetHash(out) };
  return { ...out, protection: p };
}

/** Writes the folder; returns the record's path. */
export const writeProtected = (dir: string, p: Protection) => writeDerived(dir, protection, p);
