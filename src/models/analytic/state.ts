// The float64 head state beside an analytic checkpoint's weights: head.bin holds R (p×p), W (p×c), then
// A = FᵀF + γI (p×p) and B = FᵀY (p×c), then (recipe classStats=true) each class's Gram (c blocks of p×p),
// little-endian float64, with p = dim + 1 and c = numClasses taken from meta.json. Files written before A and B
// were kept hold R and W only; they load without A and B (Woodbury only).
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
  backbone?: string;
}

export const headMetaOf = (h: Head, featureSeed: number, backbone?: string): HeadMeta =>
  ({ dim: h.p - 1, gamma: h.gamma, featureSeed, rows: h.rows, ...(backbone ? { backbone } : {}) });

/** The checkpoint files of a head, for saveCheckpoint's `files`. */
export function headFiles(h: Head): Record<string, Uint8Array> {
  const parts = h.A && h.B ? [h.R, h.W, h.A, h.B, ...(h.G ? [h.G] : [])] : [h.R, h.W];
  const out = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of parts) {
    out.set(a, at);
    at += a.length;
  }
  return { [HEAD_FILE]: new Uint8Array(out.buffer) };
}

export function readHead(dir: string, m: HeadMeta, numClasses: number): Head {
  const path = join(dir, HEAD_FILE);
  if (!existsSync(path)) throw new Error(`checkpoint ${dir}: missing ${HEAD_FILE} (an analytic checkpoint keeps its head state there)`);
  const p = m.dim + 1;
  const buf = readFileSync(path);
  const rw = p * p + p * numClasses;
  const withStats = 2 * rw + numClasses * p * p;
  if (buf.length !== rw * 8 && buf.length !== 2 * rw * 8 && buf.length !== withStats * 8) {
    throw new Error(`checkpoint ${dir}: ${HEAD_FILE} has ${buf.length} bytes; dim ${m.dim} and ${numClasses} classes need ${2 * rw * 8} (R, W, A, B), `
      + `${withStats * 8} with per-class statistics, or ${rw * 8} in the older layout without A and B`);
  }
  const all = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const at = (k: number) => k * p * p + k * p * numClasses;
  const head: Head = { p, c: numClasses, gamma: m.gamma, R: all.subarray(0, p * p), W: all.subarray(p * p, rw), rows: m.rows };
  if (all.length >= 2 * rw) {
    head.A = all.subarray(at(1), at(1) + p * p);
    head.B = all.subarray(at(1) + p * p, 2 * rw);
  }
  if (all.length === withStats) head.G = all.subarray(2 * rw);
  return head;
}

// A method returns a Model (src/unlearn/method.ts); an analytic result carries its exact float64 state with it,
// so the task that saves the model saves the state. Keyed weakly: a disposed, dropped model frees its head.
const HEADS = new WeakMap<Model, Head>();

export function attachHead(model: Model, h: Head): Model {
  HEADS.set(model, h);
  return model;
}

export const headOf = (model: Model): Head | undefined => HEADS.get(model);
