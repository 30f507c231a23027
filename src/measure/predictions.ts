// Outputs measured elsewhere: the exchange CSV `id,label,split,p0..pK-1` that `lethe predict` writes and any
// framework can write (one row per sample, softmax probabilities), or a regressor's `id,target,split,prediction`
// (in the target's units). Every problem names the file and the line.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface Predictions {
  file: string;
  numClasses: number;
  /** Rows in file order. */
  ids: Int32Array;
  labels: Int32Array;
  /** 0 = train, 1 = test. */
  split: Uint8Array;
  /** n × k, row-major. */
  probs: Float32Array;
  /** Row of each id. */
  row: Map<number, number>;
  /** A regressor's file: each row's target (its prediction is `probs`, numClasses 1, labels 0). */
  target?: Float32Array;
}

/** The exchange file's header: a classifier's k probability columns, or a regressor's one prediction. */
export const REGRESSION_HEADER = ['id', 'target', 'split', 'prediction'];
export const classHeader = (k: number) => ['id', 'label', 'split', ...Array.from({ length: k }, (_, c) => `p${c}`)];

/** Probabilities of a row may be off by rounding in the writer, not by more. */
const SUM_TOLERANCE = 1e-3;

function records(file: string): { record: string[]; line: number }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const rs = parse(text, { skip_empty_lines: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return rs.map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (e) {
    throw new Error(`${file}: not valid CSV (${(e as Error).message})`);
  }
}

export function readPredictions(file: string): Predictions {
  const rs = records(file);
  if (rs.length < 2) throw new Error(`${file}: needs the header id,label,split,p0,…,pK-1 and at least one row`);
  const header = rs[0].record;
  if (header[1] === 'target') return readRegression(file, rs);
  const k = header.length - 3;
  const want = classHeader(Math.max(k, 0));
  if (k < 2 || header.some((h, i) => h !== want[i])) throw new Error(`${file}:1: the header must be id,label,split,p0,…,pK-1 (K ≥ 2), got ${header.join(',')}`);
  const n = rs.length - 1;
  const p: Predictions = { file, numClasses: k, ids: new Int32Array(n), labels: new Int32Array(n), split: new Uint8Array(n), probs: new Float32Array(n * k), row: new Map() };
  for (let i = 0; i < n; i++) {
    const { record, line } = rs[i + 1];
    const at = `${file}:${line}`;
    checkRow(p, record, at, k + 3, k);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const v = Number(record[3 + c]);
      if (record[3 + c] === '' || !Number.isFinite(v) || v < 0 || v > 1) throw new Error(`${at}: p${c} "${record[3 + c]}" is not a probability`);
      p.probs[i * k + c] = v;
      sum += v;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) throw new Error(`${at}: the probabilities sum to ${sum.toPrecision(6)}, not 1 (softmax outputs are expected, not logits)`);
    p.labels[i] = Number(record[1]);
    keep(p, i, record);
  }
  return p;
}

/**
 * The checks every row of either form gets, in this order: its width, its id, a classifier's label (one of `classes`
 * classes; a regressor's file has none), its split, and no id twice.
 */
function checkRow(p: Predictions, record: string[], at: string, width: number, classes?: number) {
  if (record.length !== width) throw new Error(`${at}: ${record.length} columns, the header has ${width}`);
  const [id, label, split] = record;
  if (!/^\d+$/.test(id)) throw new Error(`${at}: id "${id}" is not a non-negative integer`);
  if (classes !== undefined && (!/^\d+$/.test(label) || Number(label) >= classes)) throw new Error(`${at}: label "${label}" is not a class 0..${classes - 1}`);
  if (split !== 'train' && split !== 'test') throw new Error(`${at}: split "${split}" is neither train nor test`);
  if (p.row.has(Number(id))) throw new Error(`${at}: id ${id} appears twice`);
}

/** Stores row i's id and split, and indexes it by id. */
function keep(p: Predictions, i: number, [id, , split]: string[]) {
  p.ids[i] = Number(id);
  p.split[i] = split === 'train' ? 0 : 1;
  p.row.set(p.ids[i], i);
}

/** A regressor's file: a finite target and prediction per row. */
function readRegression(file: string, rs: { record: string[]; line: number }[]): Predictions {
  const header = rs[0].record;
  if (header.join(',') !== REGRESSION_HEADER.join(',')) throw new Error(`${file}:1: a regressor's header must be ${REGRESSION_HEADER.join(',')}, got ${header.join(',')}`);
  const n = rs.length - 1;
  const p: Predictions = { file, numClasses: 1, ids: new Int32Array(n), labels: new Int32Array(n), split: new Uint8Array(n), probs: new Float32Array(n), row: new Map(), target: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const { record, line } = rs[i + 1];
    const at = `${file}:${line}`;
    checkRow(p, record, at, REGRESSION_HEADER.length);
    const [, target, , prediction] = record;
    for (const [name, v] of [['target', target], ['prediction', prediction]] as const) {
      if (v === '' || !Number.isFinite(Number(v))) throw new Error(`${at}: ${name} "${v}" is not a finite number`);
    }
    p.target![i] = Number(target);
    p.probs[i] = Number(prediction);
    keep(p, i, record);
  }
  return p;
}

/** The rows of `ids` (which must all be present), as a model's outputs on that set. */
export function rowsOf(p: Predictions, ids: ArrayLike<number>): { probs: Float32Array; labels: Int32Array; target?: Float32Array } {
  const k = p.numClasses;
  const probs = new Float32Array(ids.length * k);
  const labels = new Int32Array(ids.length);
  const target = p.target && new Float32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const r = p.row.get(ids[i]);
    if (r === undefined) throw new Error(`${p.file}: no row for sample id ${ids[i]}`);
    probs.set(p.probs.subarray(r * k, (r + 1) * k), i * k);
    labels[i] = p.labels[r];
    if (target) target[i] = p.target![r];
  }
  return target ? { probs, labels, target } : { probs, labels };
}

/** The ids of a file the others must agree with: same samples, same labels, same split, same classes. */
export function checkSameSamples(reference: Predictions, other: Predictions) {
  const kind = (p: Predictions) => (p.target ? "a regressor's (id,target,split,prediction)" : "a classifier's (id,label,split,p0..pK-1)");
  if (!!other.target !== !!reference.target) throw new Error(`${other.file}: ${kind(other)} predictions, but ${reference.file} holds ${kind(reference)}`);
  if (other.numClasses !== reference.numClasses) throw new Error(`${other.file}: ${other.numClasses} classes, but ${reference.file} has ${reference.numClasses}`);
  if (other.ids.length !== reference.ids.length) throw new Error(`${other.file}: ${other.ids.length} samples, but ${reference.file} has ${reference.ids.length}`);
  for (let i = 0; i < reference.ids.length; i++) {
    const id = reference.ids[i];
    const r = other.row.get(id);
    if (r === undefined) throw new Error(`${other.file}: no row for sample id ${id}, which ${reference.file} has`);
    if (reference.target && (other.target![r] !== reference.target[i] || other.split[r] !== reference.split[i])) {
      throw new Error(`${other.file}: sample ${id} has target ${other.target![r]} (${other.split[r] ? 'test' : 'train'}), but ${reference.file} says ${reference.target[i]} (${reference.split[i] ? 'test' : 'train'})`);
    }
    if (other.labels[r] !== reference.labels[i] || other.split[r] !== reference.split[i]) {
      throw new Error(`${other.file}: sample ${id} has label ${other.labels[r]} (${other.split[r] ? 'test' : 'train'}), but ${reference.file} says ${reference.labels[i]} (${reference.split[i] ? 'test' : 'train'})`);
    }
  }
}
