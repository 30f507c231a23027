// The interface every data format implements; `index.ts` holds the one map of them.
import type { Stats } from 'node:fs';
import type { Dataset } from '../dataset.ts';
import type { DataRef } from '../registry.ts';

export interface DataFormat {
  name: string;
  /** One line for help texts. */
  summary: string;
  /** What `--data` must be for this format, as the "data files must be …" error lists it. */
  accepts: string;
  /** Whether the existing file or folder at `path` is in this format. */
  detect(path: string, stat: Stats): boolean;
  /** `loadSource` loads another data set, for a format that derives from one (a manipulated or protected folder). */
  load(path: string, ref: DataRef, loadSource: (ref: DataRef) => Dataset): Dataset;
}
