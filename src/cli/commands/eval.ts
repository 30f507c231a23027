import type { Command } from 'commander';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { formatValue, METRIC_KEYS, metricInfo } from '../../eval/metrics.ts';
import { forgetSpec } from '../args.ts';
import { addDataOptions, dataFlags } from './data-options.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { runCli } from '../run.ts';

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--model <dir>', 'the model to measure')
    .requiredOption('--reference <dir>', 'the retrained model (gold standard)')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--original <dir>', "the do-nothing model, for gapClosed (default: the model's parent, from the store)")
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const m = await runCli('eval', { model: o.model, reference: o.reference, forget: o.forget, original: o.original, ...dataFlags(o) }, '.');
      // Every metric of the map that this evaluation has, as the tables label and format it.
      const rows = METRIC_KEYS.filter((k) => m[k] !== undefined).map((k) => `${metricInfo(k).label.padEnd(18)} ${formatValue(k, m[k])}`);
      emit(g, m, () => rows.join('\n'));
    });
}
