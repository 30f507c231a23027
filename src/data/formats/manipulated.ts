// A derived data set written by `lethe manipulate`: a folder holding manipulation.json, the record of which train
// samples of a source data set were manipulated and how (corrective unlearning). Read through derived.ts.
import { z } from 'zod';
import { applyManipulation, type Manipulation } from '../manipulation.ts';
import { SourceSchema, writeDerived, type Derivation } from './derived.ts';

export { datasetHash, recordedName } from './derived.ts';

export const MANIFEST = 'manipulation.json';

const int = z.number().int();
const common = {
  count: int.positive(),
  seed: int,
  ids: z.array(int.nonnegative()),
  trueLabels: z.array(int.nonnegative()),
  labels: z.array(int.nonnegative()),
  source: SourceSchema,
};

export const manipulation: Derivation<Manipulation> = {
  key: 'manipulation',
  file: MANIFEST,
  format: 'lethe-manipulation',
  version: 1,
  command: 'lethe manipulate',
  verb: 'manipulated',
  schema: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('poison'), target: int.nonnegative(),
      patch: z.object({ corner: z.literal('bottom-right'), size: int.positive(), top: int.nonnegative(), left: int.nonnegative(), value: z.number() }).strict(),
      ...common,
    }).strict(),
    z.object({ kind: z.literal('confuse'), classes: z.tuple([int.nonnegative(), int.nonnegative()]), ...common }).strict(),
  ]) as z.ZodType<Manipulation>,
  check(m, file) {
    if (m.ids.length !== m.trueLabels.length || m.ids.length !== m.labels.length) {
      throw new Error(`${file}: ${m.ids.length} ids but ${m.trueLabels.length} true labels and ${m.labels.length} labels`);
    }
  },
  apply: (source, m, name) => applyManipulation(source, m, name),
};

/** Writes the folder; returns the record's path. */
export const writeManipulated = (dir: string, m: Manipulation) => writeDerived(dir, manipulation, m);
