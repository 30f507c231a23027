// Tabular data from CSV: numeric feature columns, a label column (classification) or a numeric target column
// (regression), optional id/split/group columns.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Dataset } from '../dataset.ts';
import { rng } from '../../shared/random.ts';
import type { DataFormat } from './format.ts';

export interface CsvOptions {
  /** Exactly one of the two: the class label column, or the numeric target column of a regression set. */
  labelColumn?: string;
  targetColumn?: string;
  /** Share of rows put in the test split when the file has no `split` column. */
  testFraction?: number;
  seed?: number;
}

const RESERVED = new Set(['id', 'split', 'group']);

export function loadCsv(path: string, { labelColumn, targetColumn, testFraction = 0.2, seed = 0 }: CsvOptions): Dataset {
  if (Boolean(labelColumn) === Boolean(targetColumn)) throw new Error(`${path}: name exactly one of --label-column (classification) and --target-column (regression)`);
  const column = (labelColumn ?? targetColumn)!;
  const what = labelColumn ? 'label' : 'target';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let rows: string[][];
  let lines: number[];
  try {
    // `info` gives each record's line number: row index + 2 is wrong once blank lines are skipped.
    const records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as
      { record: string[]; info: { lines: number } }[];
    rows = records.map((r) => r.record);
    lines = records.map((r) => r.info.lines);
  } catch (e) {
    throw new Error(`${path}: not valid CSV (${(e as Error).message})`);
  }
  if (rows.length < 2) throw new Error(`${path}: needs a header row and at least one data row`);
  const header = rows[0];
  const labelAt = header.indexOf(column);
  if (labelAt < 0) throw new Error(`${path}: no ${what} column "${column}" (columns: ${header.join(', ')})`);
  const splitAt = header.indexOf('split');
  const groupAt = header.indexOf('group');
  const featureCols = header.map((h, i) => i).filter((i) => i !== labelAt && !RESERVED.has(header[i]));
  if (featureCols.length === 0) throw new Error(`${path}: no feature columns besides "${column}"`);
  const body = rows.slice(1);
  const d = featureCols.length;
  const size = body.length;
  const x = new Float32Array(size * d);
  const rawLabels: string[] = [];
  const split = new Uint8Array(size);
  const random = rng(seed);
  const group: string[] = [];
  body.forEach((row, r) => {
    const line = lines[r + 1];
    if (row.length !== header.length) throw new Error(`${path}:${line}: ${row.length} fields, header has ${header.length}`);
    featureCols.forEach((c, j) => {
      const v = Number(row[c]);
      if (row[c] === '' || !Number.isFinite(v)) throw new Error(`${path}:${line}: column "${header[c]}" is not a number: "${row[c]}"`);
      x[r * d + j] = v;
    });
    if (row[labelAt] === '') throw new Error(`${path}:${line}: empty ${what}`);
    if (targetColumn && !Number.isFinite(Number(row[labelAt]))) throw new Error(`${path}:${line}: target column "${column}" is not a number: "${row[labelAt]}"`);
    rawLabels.push(row[labelAt]);
    if (splitAt >= 0) {
      const s = row[splitAt];
      if (s !== 'train' && s !== 'test') throw new Error(`${path}:${line}: split must be "train" or "test", got "${s}"`);
      split[r] = s === 'train' ? 0 : 1;
    } else {
      split[r] = random() < testFraction ? 1 : 0;
    }
    group.push(groupAt >= 0 && row[groupAt] !== '' ? row[groupAt] : `row${r}`);
  });
  if (!split.includes(0) || !split.includes(1)) throw new Error(`${path}: needs both train and test rows`);
  minMaxScale(x, split, d);
  const base = { name: basename(path), inputShape: [d], x, split, group, size };
  if (targetColumn) return { ...base, ...standardTarget(rawLabels.map(Number), split, column, path), numClasses: 1, classNames: [column], y: new Int32Array(size) };
  // Numeric labels keep their order; other labels are sorted by name.
  const names = [...new Set(rawLabels)];
  const numeric = names.every((n) => /^-?\d+$/.test(n));
  names.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const index = new Map(names.map((n, i) => [n, i]));
  const y = Int32Array.from(rawLabels, (l) => index.get(l)!);
  if (names.length < 2) throw new Error(`${path}: label column "${labelColumn}" has fewer than two classes`);
  return { ...base, numClasses: names.length, classNames: names, y };
}

/** The mean and sd (over n) of training targets: what a regressor's target is standardised by. */
export function targetStats(train: ArrayLike<number>): { mean: number; sd: number } {
  let mean = 0;
  for (let i = 0; i < train.length; i++) mean += train[i];
  mean /= train.length;
  let ss = 0;
  for (let i = 0; i < train.length; i++) ss += (train[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / train.length) };
}

/** The target and the train rows' mean and sd, which the model standardises it with (the test rows never leak into them). */
function standardTarget(values: number[], split: Uint8Array, column: string, path: string): Pick<Dataset, 'target' | 'targetInfo'> {
  const { mean, sd } = targetStats(values.filter((_, i) => split[i] === 0));
  if (!(sd > 0)) throw new Error(`${path}: target column "${column}" has the same value in every train row`);
  return { target: Float32Array.from(values), targetInfo: { column, mean, sd } };
}

/** Scales each column to [0, 1] with the train rows' range, so that the test rows never leak into it. */
function minMaxScale(x: Float32Array, split: Uint8Array, d: number) {
  for (let j = 0; j < d; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < split.length; i++) {
      if (split[i] !== 0) continue;
      lo = Math.min(lo, x[i * d + j]);
      hi = Math.max(hi, x[i * d + j]);
    }
    const span = hi > lo ? hi - lo : 1;
    for (let i = 0; i < split.length; i++) x[i * d + j] = (x[i * d + j] - lo) / span;
  }
}

export const csv = {
  name: 'csv',
  summary: 'a .csv file: numeric feature columns, a label column (--label-column) or a numeric target column (--target-column, regression), optional split and group columns',
  accepts: '.csv',
  detect: (path, stat) => !stat.isDirectory() && path.toLowerCase().endsWith('.csv'),
  load(path, ref) {
    if (!ref.labelColumn && !ref.targetColumn) throw new Error(`${ref.name}: a CSV data set needs --label-column NAME (classification) or --target-column NAME (regression)`);
    return loadCsv(path, { labelColumn: ref.labelColumn, targetColumn: ref.targetColumn });
  },
} satisfies DataFormat;
