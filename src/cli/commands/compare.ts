import { InvalidArgumentError, type Command } from 'commander';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { METRIC_KEYS, type MetricKey } from '../../eval/metrics.ts';
import { tableMarkdown, tunedRanksMarkdown, type ColumnChoice } from '../../eval/table.ts';
import { CompareArgs } from '../../jobs/compare-task.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { forgetSpec, paramValue } from '../args.ts';
import { addDataOptions } from './data-options.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { defaultOf, number, runCli } from '../run.ts';

/** `--param salun.lr=0.01`, repeatable. */
function collectMethodParam(value: string, acc: Record<string, Record<string, unknown>>) {
  const m = /^([\w-]+)\.([A-Za-z]\w*)=(.*)$/.exec(value);
  if (!m) throw new Error(`--param expects method.key=value, got "${value}"`);
  const [, method, key, raw] = m;
  return { ...acc, [method]: { ...acc[method], [key]: paramValue(raw) } };
}

/** `--columns default|all|UA,mia,…`: the metric columns of the Markdown table (CSV and JSON always have all). */
export function columnChoice(value: string): ColumnChoice {
  if (value === 'default' || value === 'all') return value;
  const keys = value.split(',').map((s) => s.trim());
  const bad = keys.find((k) => !(METRIC_KEYS as string[]).includes(k));
  if (bad) throw new InvalidArgumentError(`unknown metric "${bad}": use default, all, or a comma list of ${METRIC_KEYS.join(', ')}.`);
  return keys as MetricKey[];
}

export const methodList = (v: string) => (v === 'all' ? 'all' : v.split(',').map((s) => s.trim()));

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--original <dir>', 'checkpoint of the trained model')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--methods <list>', `all, or a comma list of ${METHOD_NAMES.join(', ')}`, 'all')
    .option('--seeds <n>', `seeds per method${defaultOf(CompareArgs, 'seeds')}`, number)
    .option('--param <method.key=value>', 'a method parameter (repeatable)', collectMethodParam, {})
    .option('--exact <dirs>', 'comma list of exactly deletable checkpoints of the same data (sharded, analytic): their exact method runs beside the others', (v: string) => v.split(',').map((d) => d.trim()).filter(Boolean))
    .option('--tuned [tuning]', 'also run each method with the parameters lethe tune chose for this model and forget request (the newest tuning, or the one named)')
    .option('--columns <which>', 'metric columns of the printed table: default, all, or a comma list', columnChoice, 'default')
    .option('--out <dir>', 'folder for checkpoints and table.md/.csv/comparison.json (default: runs/compare-<time>)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const out = o.out ?? `runs/compare-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const c = await runCli('compare', { original: o.original, forget: o.forget, methods: methodList(o.methods), seeds: o.seeds, params: o.param, exact: o.exact, tuned: o.tuned, data: o.data, trainSize: o.trainSize, labelColumn: o.labelColumn }, out);
      emit(g, { id: c.id, out, forget: c.forgetText, seeds: c.seeds, table: c.table },
        () => `${tableMarkdown(c, o.columns)}\n\n${c.tuning ? `${tunedRanksMarkdown(c)}\n\n` : ''}written to ${out}/table.md, table.csv, comparison.json`);
    });
}
