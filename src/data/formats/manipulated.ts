// A derived data set written by `lethe manipulate`: a folder holding manipulation.json, the record of which train
// samples of a source data set were manipulated and how (corrective unlearning). Loading it loads the source,
// checks the source's content hash, and applies the record; the source itself is never changed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Dataset } from '../dataset.ts';
import { applyManipulation, type Manipulation } from '../manipulation.ts';
import type { DataRef } from '../registry.ts';
import type { DataFormat } from './format.ts';

export const MANIFEST = 'manipulation.json';
const VERSION = 1;

/** A content hash of what training reads: shape, classes, features, labels and split. */
export function datasetHash(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ inputShape: ds.inputShape, numClasses: ds.numClasses, size: ds.size }));
  for (const a of [ds.x, ds.y, ds.split]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return `sha256:${h.digest('hex')}`;
}

const int = z.number().int();
const common = {
  count: int.positive(),
  seed: int,
  ids: z.array(int.nonnegative()),
  trueLabels: z.array(int.nonnegative()),
  labels: z.array(int.nonnegative()),
  source: z.object({ name: z.string().min(1), trainSize: int.positive().optional(), labelColumn: z.string().optional(), hash: z.string().min(1) }).strict(),
};
const ManifestSchema = z.object({
  format: z.literal('lethe-manipulation'),
  version: z.literal(VERSION),
  created: z.string(),
  manipulation: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('poison'), target: int.nonnegative(),
      patch: z.object({ corner: z.literal('bottom-right'), size: int.positive(), top: int.nonnegative(), left: int.nonnegative(), value: z.number() }).strict(),
      ...common,
    }).strict(),
    z.object({ kind: z.literal('confuse'), classes: z.tuple([int.nonnegative(), int.nonnegative()]), ...common }).strict(),
  ]),
}).strict();

/** Writes the folder (the manifest through a temporary file and a rename: never half a record). */
export function writeManipulated(dir: string, m: Manipulation): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, MANIFEST);
  const tmp = `${file}.tmp`;
  // One key a line, but each list of numbers on one line (600 ids are one line, not 600).
  const text = JSON.stringify({ format: 'lethe-manipulation', version: VERSION, created: new Date().toISOString(), manipulation: m }, null, 1)
    .replace(/\[\s*(-?\d[\d.,\s-]*?)\s*\]/g, (_, nums: string) => `[${nums.split(/,\s*/).join(',')}]`);
  writeFileSync(tmp, text + '\n');
  renameSync(tmp, file);
  return file;
}

function readManifest(dir: string): Manipulation {
  const file = join(dir, MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable JSON record (${(e as Error).message})`);
  }
  const r = ManifestSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${file}: not a manipulation record: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const m = r.data.manipulation as Manipulation;
  if (m.ids.length !== m.trueLabels.length || m.ids.length !== m.labels.length) {
    throw new Error(`${file}: ${m.ids.length} ids but ${m.trueLabels.length} true labels and ${m.labels.length} labels`);
  }
  return m;
}

/** The source a record names, as a DataRef. */
export const sourceRef = (m: Manipulation): DataRef => ({
  name: m.source.name,
  ...(m.source.trainSize !== undefined ? { trainSize: m.source.trainSize } : {}),
  ...(m.source.labelColumn !== undefined ? { labelColumn: m.source.labelColumn } : {}),
});

/** A path source is recorded as an absolute path, so the folder loads from anywhere; built-in names stay names. */
export const recordedName = (name: string, builtin: boolean) => (builtin ? name : resolve(name));

export const manipulated = {
  name: 'manipulated',
  summary: `a folder written by lethe manipulate (${MANIFEST}: a source data set and the train samples manipulated in it)`,
  accepts: 'a folder written by lethe manipulate',
  detect: (path, stat) => stat.isDirectory() && existsSync(join(path, MANIFEST)),
  load(path, _ref, loadSource) {
    const m = readManifest(path);
    const source = loadSource(sourceRef(m));
    const hash = datasetHash(source);
    if (hash !== m.source.hash) {
      throw new Error(`${join(path, MANIFEST)}: the source ${m.source.name} has changed since it was manipulated (content hash ${hash}, recorded ${m.source.hash})`);
    }
    return applyManipulation(source, m, basename(resolve(path)));
  },
} satisfies DataFormat;
