// Tabular data from CSV: numeric feature columns, a label column, optional id/split/group columns.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Dataset } from '../dataset.ts';
import { rng } from '../../shared/random.ts';
import type { DataFormat } from './format.ts';

export interface CsvOptions {
  labelColumn: string;
  /** Share of rows put in the test split when the file has no `split` column. */
  testFraction?: number;
  seed?: number;
}

const RESERVED = new Set(['id', 'split', 'group']);

export function loadCsv(path: string, { labelColumn, testFraction = 0.2, seed = 0 }: CsvOptions): Dataset {
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
  const labelAt = header.indexOf(labelColumn);
  if (labelAt < 0) throw new Error(`${path}: no label column "${labelColumn}" (columns: ${header.join(', ')})`);
  const splitAt = header.indexOf('split');
  const groupAt = header.indexOf('group');
  const featureCols = header.map((h, i) => i).filter((i) => i !== labelAt && !RESERVED.has(header[i]));
  if (featureCols.length === 0) throw new Error(`${path}: no feature columns besides "${labelColumn}"`);
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
    if (row[labelAt] === '') throw new Error(`${path}:${line}: empty label`);
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
  // Numeric labels keep their order; other labels are sorted by name.
  const names = [...new Set(rawLabels)];
  const numeric = names.every((n) => /^-?\d+$/.test(n));
  names.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const index = new Map(names.map((n, i) => [n, i]));
  const y = Int32Array.from(rawLabels, (l) => index.get(l)!);
  if (names.length < 2) throw new Error(`${path}: label column "${labelColumn}" has fewer than two classes`);
  if (!split.includes(0) || !split.includes(1)) throw new Error(`${path}: needs both train and test rows`);
  minMaxScale(x, split, d);
  return { name: basename(path), inputShape: [d], numClasses: names.length, classNames: names, x, y, split, group, size };
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
  summary: 'a .csv file: numeric feature columns, a label column (--label-column), optional split and group columns',
  accepts: '.csv',
  detect: (path, stat) => !stat.isDirectory() && path.toLowerCase().endsWith('.csv'),
  load(path, ref) {
    if (!ref.labelColumn) throw new Error(`${ref.name}: a CSV data set needs --label-column NAME`);
    return loadCsv(path, { labelColumn: ref.labelColumn });
  },
} satisfies DataFormat;
