// A derived data set on disk: a folder holding one JSON record of how a source data set was changed (a
// manipulation by lethe manipulate, a protection by lethe protect). Loading it loads the source, checks the
// source's content hash, and applies the record; the source itself is never changed. Each kind of record is one
// Derivation; derivations.ts holds the one map of them and the data format that reads any of them.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z, type ZodType } from 'zod';
import type { Dataset, DerivedSource } from '../dataset.ts';
import type { DataRef } from '../registry.ts';

/** One kind of derived data set: where its record lives, what it is called, how it applies to its source. */
export interface Derivation<R extends { source: DerivedSource }> {
  /** The record's key in the JSON file and its noun in errors: "not a manipulation record". */
  key: string;
  /** The record's file name in the folder, e.g. manipulation.json. */
  file: string;
  /** The file's `format` tag, e.g. lethe-manipulation. */
  format: string;
  version: number;
  /** The command that writes it, for help texts: "lethe manipulate". */
  command: string;
  /** Past participle for "the source has changed since it was …". */
  verb: string;
  schema: ZodType<R>;
  /** Checks the schema cannot express (lengths that must agree); throws with `file` in the message. */
  check?(r: R, file: string): void;
  /** The derived data set; checks that the record fits the source. */
  apply(source: Dataset, r: R, name: string, file: string): Dataset;
}

/** A content hash of what training reads: shape, classes, features, labels and split. */
export function datasetHash(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ inputShape: ds.inputShape, numClasses: ds.numClasses, size: ds.size }));
  for (const a of [ds.x, ds.y, ds.split]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return `sha256:${h.digest('hex')}`;
}

const int = z.number().int();
export const SourceSchema = z.object({ name: z.string().min(1), trainSize: int.positive().optional(), labelColumn: z.string().optional(), hash: z.string().min(1) }).strict();

/** Writes the record (through a temporary file and a rename: never half a record); returns its path. */
export function writeDerived<R extends { source: DerivedSource }>(dir: string, d: Derivation<R>, r: R): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, d.file);
  const tmp = `${file}.tmp`;
  // One key a line, but each list of numbers on one line (600 ids are one line, not 600).
  const text = JSON.stringify({ format: d.format, version: d.version, created: new Date().toISOString(), [d.key]: r }, null, 1)
    .replace(/\[\s*(-?\d[\d.,\se+-]*?)\s*\]/g, (_, nums: string) => `[${nums.split(/,\s*/).join(',')}]`);
  writeFileSync(tmp, text + '\n');
  renameSync(tmp, file);
  return file;
}

function readDerived<R extends { source: DerivedSource }>(dir: string, d: Derivation<R>): R {
  const file = join(dir, d.file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable JSON record (${(e as Error).message})`);
  }
  const schema = z.object({ format: z.literal(d.format), version: z.literal(d.version), created: z.string(), [d.key]: d.schema }).strict();
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${file}: not a ${d.key} record: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const rec = (r.data as Record<string, unknown>)[d.key] as R;
  d.check?.(rec, file);
  return rec;
}

/** The source a record names, as a DataRef. */
export const sourceRef = (s: DerivedSource): DataRef => ({
  name: s.name,
  ...(s.trainSize !== undefined ? { trainSize: s.trainSize } : {}),
  ...(s.labelColumn !== undefined ? { labelColumn: s.labelColumn } : {}),
});

/** A path source is recorded as an absolute path, so the folder loads from anywhere; built-in names stay names. */
export const recordedName = (name: string, builtin: boolean) => (builtin ? name : resolve(name));

/** Loads a derived folder: its record, its source (hash-checked), the record applied. */
export function loadDerived<R extends { source: DerivedSource }>(path: string, d: Derivation<R>, loadSource: (ref: DataRef) => Dataset): Dataset {
  const r = readDerived(path, d);
  const file = join(path, d.file);
  const source = loadSource(sourceRef(r.source));
  const hash = datasetHash(source);
  if (hash !== r.source.hash) {
    throw new Error(`${file}: the source ${r.source.name} has changed since it was ${d.verb} (content hash ${hash}, recorded ${r.source.hash})`);
  }
  return d.apply(source, r, basename(resolve(path)), file);
}
