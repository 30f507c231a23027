import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { METRIC_KEYS, type MetricKey } from '../../eval/metrics.ts';
import { sweepMarkdown } from '../../eval/sweep.ts';
import { tableMarkdown, tunedRanksMarkdown, type ColumnChoice } from '../../eval/table.ts';
import { CompareArgs } from '../../jobs/compare-task.ts';
import type { TaskResult } from '../../jobs/tasks.ts';
import type { Comparison } from '../../shared/contract.ts';
import type { ApiBank, ApiUlira } from '../../shared/http.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { banksMarkdown } from './bank.ts';
import { uliraMarkdown } from './ulira.ts';
import { forgetSpec, paramValue } from '../args.ts';
import { addDataOptions, dataFlags } from './data-options.ts';
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

/** The methods of a comparison that `--bank` evaluates by a bank each: every compared method at its own parameters. */
export const bankedMethods = (c: Comparison) => [...new Set(c.table.filter((r) => r.role === 'method' && r.label === r.method).map((r) => r.method))];

export const methodList = (v: string) => (v === 'all' ? 'all' : v.split(',').map((s) => s.trim()));

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--original <dir>', 'checkpoint of the trained model')
    .option('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--sweep <spec>', 'instead of --forget, corrective unlearning on a data set written by lethe manipulate: manipulated:0.1,0.25,0.5,1.0[:seed=S] runs every method at each identified fraction (1 is always added: retraining on fully cleaned data is the target line)')
    .option('--methods <list>', `all, or a comma list of ${METHOD_NAMES.join(', ')}`, 'all')
    .option('--seeds <n>', `seeds per method${defaultOf(CompareArgs, 'seeds')}`, number)
    .option('--param <method.key=value>', 'a method parameter (repeatable)', collectMethodParam, {})
    .option('--exact <dirs>', 'comma list of exactly deletable checkpoints of the same data (sharded, analytic): their exact method runs beside the others', (v: string) => v.split(',').map((d) => d.trim()).filter(Boolean))
    .option('--tuned [tuning]', 'also run each method with the parameters lethe tune chose for this model and forget request (the newest tuning, or the one named)')
    .option('--bank <n>', 'also evaluate every method by a bank of N runs against N retrained models (lethe bank): the challenge\'s forgetting quality and KLOM, ranked beside avgGap; members are kept in the store and reused', number)
    .option('--ulira <k>', 'also run U-LiRA (lethe ulira) for every method with K shadow models: the per-example unlearning attack\'s accuracy (50% = ideal) on its own seeded target examples (not --forget); shadows are kept in the store and reused', number)
    .option('--parallel <n>', 'worker threads for --bank and --ulira; default one per core', number)
    .option('--columns <which>', 'metric columns of the printed table: default, all, or a comma list', columnChoice, 'default')
    .option('--out <dir>', 'folder for checkpoints and table.md/.csv/comparison.json (default: runs/compare-<time>)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (Boolean(o.forget) === Boolean(o.sweep)) throw new Error('compare needs exactly one of --forget SPEC or --sweep manipulated:FRACTIONS');
      const out = o.out ?? `runs/${o.sweep ? 'sweep' : 'compare'}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const common = { original: o.original, methods: methodList(o.methods), seeds: o.seeds, params: o.param, exact: o.exact, tuned: o.tuned, ...dataFlags(o) };
      if (o.sweep) {
        const r = await runCli('sweep', { ...common, sweep: o.sweep }, out);
        emit(g, r, () => `${sweepMarkdown(r.sweep)}\n\nper fraction: ${r.comparisons.map((c) => `${c.out}/table.md`).join(', ')}`);
        return;
      }
      const c = await runCli('compare', { ...common, forget: o.forget }, out);
      // --bank and --ulira: one run of the task per compared method, at its own parameters, all kept in OUT/<file>.
      const perMethod = async <K extends 'bank' | 'ulira'>(kind: K, extra: Record<string, unknown>, file: string) => {
        const results: TaskResult<K>[] = [];
        for (const method of bankedMethods(c)) {
          results.push(await runCli(kind, {
            original: o.original, method, params: o.param[method] ?? {}, parallel: o.parallel,
            ...dataFlags(o), ...extra,
          }, out));
        }
        writeFileSync(join(out, file), JSON.stringify(results, null, 2) + '\n');
        return results;
      };
      const banks: ApiBank[] = o.bank === undefined ? [] : await perMethod('bank', { forget: o.forget, n: o.bank, csv: true }, 'banks.json');
      const uliras: ApiUlira[] = o.ulira === undefined ? [] : await perMethod('ulira', { shadows: o.ulira }, 'ulira.json');
      const uliraText = uliras.length
        ? `U-LiRA (Hayes et al. 2024): per method, K = ${uliras[0].shadows} shadow models on random halves, the method unlearning the targets each holds (U-LiRA accuracy: balanced, 50% = ideal)\n\n${uliraMarkdown(uliras)}\n\n`
        : '';
      emit(g, { id: c.id, out, forget: c.forgetText, seeds: c.seeds, table: c.table, ...(banks.length ? { banks } : {}), ...(uliras.length ? { ulira: uliras } : {}) },
        () => `${tableMarkdown(c, o.columns)}\n\n${c.tuning ? `${tunedRanksMarkdown(c)}\n\n` : ''}${banks.length ? `${banksMarkdown(banks, c, uliras)}\n\n` : ''}${uliraText}`
          + `written to ${out}/table.md, table.csv, comparison.json${banks.length ? ', banks.json and each method\'s bank-<method>-confidences.csv and -epsilon.csv' : ''}${uliras.length ? ', ulira.json' : ''}`);
    });
}
