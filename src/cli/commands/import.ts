import type { Command } from 'commander';
import { tableMarkdown } from '../../eval/table.ts';
import { importPredictions } from '../../jobs/import-task.ts';
import { emit, withContext, type GlobalOpts } from '../output.ts';
import { columnChoice } from './compare.ts';

export function define(cmd: Command) {
  cmd
    .requiredOption('--predictions <dir>', 'folder of exchange CSVs (id,label,split,p0..pK-1): original.csv, retrain*.csv, <method>[-seedN].csv, and forget.txt')
    .option('--columns <which>', 'metric columns of the printed table: default, all, or a comma list', columnChoice, 'default')
    .option('--out <dir>', 'folder for table.md/.csv/comparison.json (default: the predictions folder)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const c = await withContext((ctx) => importPredictions({ dir: o.predictions }, { ...ctx, out: o.out ?? o.predictions }));
      emit(g, { id: c.id, forget: c.forgetText, models: c.models.length, table: c.table }, () =>
        `${tableMarkdown(c, o.columns)}\n\nstored as comparison ${c.id}: lethe serve shows it (layer similarity and the embedding need weights, which predictions do not carry)`);
    });
}
