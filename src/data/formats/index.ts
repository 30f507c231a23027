// The one map of data formats a `--data PATH` may be in. Help texts and errors list them from here.
import type { Stats } from 'node:fs';
import { csv } from './csv.ts';
import type { DataFormat } from './format.ts';
import { idx } from './idx.ts';
import { derived } from './derivations.ts';

export type { DataFormat } from './format.ts';

// Map order is detection order: a derived folder (manipulated, protected) is a folder too, so it comes before idx.
export const FORMATS = { csv, derived, idx } satisfies Record<string, DataFormat>;

export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

/** "data files must be .csv, or a folder of IDX files" */
export const FORMATS_SENTENCE = `data files must be ${FORMAT_NAMES.map((n) => FORMATS[n].accepts).join(', or ')}`;

/** The format of an existing file or folder, if it is in one. */
export function formatOf(path: string, stat: Stats): DataFormat | undefined {
  return FORMAT_NAMES.map((n): DataFormat => FORMATS[n]).find((f) => f.detect(path, stat));
}
