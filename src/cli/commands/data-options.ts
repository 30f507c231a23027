// The --data family of flags, shared by every command that reads data.
import type { Command } from 'commander';
import { BUILTIN_DATA } from '../../data/registry.ts';
import { num } from '../args.ts';

export function addDataOptions(cmd: Command, required: boolean): Command {
  const help = `data set: ${Object.keys(BUILTIN_DATA).join(', ')}, a .csv file or a folder of IDX files`;
  return cmd
    .option('--data <name|path>', required ? help + ' (default: fashion-mnist)' : help + ' (default: the one in the checkpoint)')
    .option('--train-size <n>', 'use only the first N train samples', num({ int: true, min: 1 }))
    .option('--label-column <name>', 'label column of a CSV data set (classification)')
    .option('--target-column <name>', 'numeric target column of a CSV data set (regression)');
}

/** The data flags as a task's arguments take them (DataArgs). */
export const dataFlags = (o: { data?: string; trainSize?: number; labelColumn?: string; targetColumn?: string }) =>
  ({ data: o.data, trainSize: o.trainSize, labelColumn: o.labelColumn, targetColumn: o.targetColumn });

export { dataRefOf as dataRef } from '../../jobs/task.ts';
