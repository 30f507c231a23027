// The step before a request is resolved that only a task holding the original can take: a worst-case spec
// (src/data/forget/worst.ts) is searched for with the model (src/measure/worst-case.ts) once, cached beside the
// checkpoint under a content hash of everything that decides it, and returned with its ids in `selected`, so that
// resolving it anywhere after (worker threads, stored records) needs no model. Other kinds pass through unchanged.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { hashIds, idsOfSplit, subset, type Dataset } from '../data/dataset.ts';
import { describeSpec, resolveIds, type ForgetSpec } from '../data/forget/index.ts';
import { worstCount } from '../data/forget/worst.ts';
import { selectWorstCase, type WorkOptions, type WorstCaseOptions } from '../measure/worst-case.ts';
import type { Checkpoint } from '../models/checkpoint.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { checkDataFits } from '../unlearn/run.ts';

/** The lower level's batch size (the training default); part of the cache key. */
export const WORST_BATCH = 128;

/** Where a checkpoint keeps its worst-case selections: one JSON file per key. */
export const WORST_CACHE_DIR = 'worst-case';

interface CachedSelection {
  key: string;
  spec: string;
  model: string;
  m: number;
  options: WorstCaseOptions;
  backend: string;
  /** How many of the starting random set the search kept, and its objective per upper epoch. */
  kept: number;
  objective: number[];
  ids: number[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function readCached(file: string, key: string, m: number): number[] | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CachedSelection;
    return c.key === key && Array.isArray(c.ids) && c.ids.length === m ? c.ids : undefined;
  } catch {
    return undefined; // a damaged file is searched for again and overwritten
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a selection. */
function writeCached(file: string, c: CachedSelection) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    writeFileSync(tmp, JSON.stringify(c) + '\n');
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * `spec` ready to resolve against `dataset`: a worst-case spec gets the ids of its search with `original` (read from
 * the checkpoint's cache when this model, training set, size, seed, options and backend were searched before);
 * `selected` given by a caller is ignored, never trusted. Any other kind is returned as it is.
 */
export async function prepareForget(spec: ForgetSpec, original: Checkpoint, dataset: Dataset, work: WorkOptions = {}): Promise<ForgetSpec> {
  if (spec.kind !== 'worst') return spec;
  const { selected: _, ...request } = spec;
  const text = describeSpec(request);
  const kind = original.meta.kind;
  if (kind !== 'single') {
    throw new Error(`${text} is searched for with a single network's gradients, and ${original.dir} is ${kind === 'analytic' ? 'an' : 'a'} ${kind} model: search on a single network (lethe compare --exact serves exact models the same set)`);
  }
  checkDataFits(dataset, original.meta, original.dir);
  const train = idsOfSplit(dataset, 'train');
  const m = worstCount(request, train.length, `in ${dataset.name} (${train.length} train samples)`);
  const options: WorstCaseOptions = {
    epochs: request.epochs, inner: request.inner, lr: request.lr, lrw: request.lrw, gamma: request.gamma, batchSize: WORST_BATCH, seed: request.seed,
  };
  const backend = tfc.getBackend();
  const key = sha256(canonicalJson({ v: 1, model: original.meta.id, train: hashIds(train), m, method: request.method, options, backend }));
  const file = join(original.dir, WORST_CACHE_DIR, `${key.slice(0, 32)}.json`);
  const cached = readCached(file, key, m);
  if (cached) return { ...request, selected: cached };
  // The search starts from the random set of the same size and seed, so worst:m:seed=S is what it made of random:m:seed=S.
  const initial = [...resolveIds(dataset, { kind: 'random', count: m, seed: request.seed })].sort((a, b) => a - b);
  const r = await selectWorstCase(original.model, subset(dataset, train), initial, options, work);
  const ids = Array.from(r.ids);
  writeCached(file, { key, spec: text, model: original.meta.id, m, options, backend, kept: r.kept, objective: r.objective, ids });
  return { ...request, selected: ids };
}
