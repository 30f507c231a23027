// The float64 head state beside an analytic checkpoint's weights: head.bin holds R (p×p) then W (p×c),
// little-endian float64, with p = dim + 1 and c = numClasses taken from meta.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../layers.ts';
import type { Head } from './ridge.ts';

export const HEAD_FILE = 'head.bin';

/** What meta.json records of an analytic head. */
export interface HeadMeta {
  dim: number;
  gamma: number;
  featureSeed: number;
  rows: number;
}

export const headMetaOf = (h: Head, featureSeed: number): HeadMeta => ({ dim: h.p - 1, gamma: h.gamma, featureSeed, rows: h.rows });

/** The checkpoint files of a head, for saveCheckpoint's `files`. */
export function headFiles(h: Head): Record<string, Uint8Array> {
  const out = new Float64Array(h.R.length + h.W.length);
  out.set(h.R);
  out.set(h.W, h.R.length);
  return { [HEAD_FILE]: new Uint8Array(out.buffer) };
}

export function readHead(dir: string, m: HeadMeta, numClasses: number): Head {
  const path = join(dir, HEAD_FILE);
  if (!existsSync(path)) throw new Error(`checkpoint ${dir}: missing ${HEAD_FILE} (an analytic checkpoint keeps its head state there)`);
  const p = m.dim + 1;
  const buf = readFileSync(path);
  const expected = (p * p + p * numClasses) * 8;
  if (buf.length !== expected) throw new Error(`checkpoint ${dir}: ${HEAD_FILE} has ${buf.length} bytes, dim ${m.dim} and ${numClasses} classes need ${expected}`);
  const all = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  return { p, c: numClasses, gamma: m.gamma, R: all.subarray(0, p * p), W: all.subarray(p * p), rows: m.rows };
}

// A method returns a Model (src/unlearn/method.ts); an analytic result carries its exact float64 state with it,
// so the task that saves the model saves the state. Keyed weakly: a disposed, dropped model frees its head.
const HEADS = new WeakMap<Model, Head>();

export function attachHead(model: Model, h: Head): Model {
  HEADS.set(model, h);
  return model;
}

export const headOf = (model: Model): Head | undefined => HEADS.get(model);

/**
 * The kind fields and extra files of a checkpoint derived from `original` (an unlearned model): an analytic result
 * keeps its kind, its feature seed and the new head state; anything else is a single network.
 */
export function derivedKind(original: { kind: string; head?: HeadMeta }, model: Model) {
  const h = headOf(model);
  if (!h || original.kind !== 'analytic' || !original.head) return { meta: {}, files: {} };
  return { meta: { kind: 'analytic' as const, head: headMetaOf(h, original.head.featureSeed) }, files: headFiles(h) };
}
