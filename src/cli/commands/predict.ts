import type { Command } from 'commander';
import { predictTask } from '../../jobs/predict-task.ts';
import { readMeta } from '../../models/checkpoint.ts';
import { currentPath } from '../../deletion/records.ts';
import { oneOf } from '../args.ts';
import { emit, withStore, type GlobalOpts } from '../output.ts';
import { addDataOptions, dataRef } from './data-options.ts';

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .option('--model <dir>', 'checkpoint folder')
    .option('--deployment <name>', "a deployment's current version (instead of --model)")
    .option('--split <which>', 'train, test or all', oneOf(['train', 'test', 'all'] as const), 'all')
    .option('--out <file>', 'CSV file (default: stdout, unless --json)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (g.json && !o.out) throw new Error('--json needs --out FILE (stdout carries the JSON summary)');
      if (Boolean(o.model) === Boolean(o.deployment)) throw new Error('predict needs one of --model DIR or --deployment NAME');
      const model: string = o.model ?? withStore((store) => currentPath(store, o.deployment));
      const data = dataRef(o, readMeta(model).dataset);
      const result = await predictTask({ model, data, split: o.split, out: o.out ?? process.stdout });
      if (o.out) emit(g, result, () => `wrote ${result.rows} rows to ${result.out}`);
    });
}
