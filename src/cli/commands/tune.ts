import type { Command } from 'commander';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { TuneArgs, TUNABLE } from '../../jobs/tune-task.ts';
import type { ApiTuning } from '../../shared/http.ts';
import { forgetSpec } from '../args.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { defaultOf, number, runCli } from '../run.ts';
import { addDataOptions, dataFlags } from './data-options.ts';
import { methodList } from './compare.ts';

const show = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(3))) : String(v));

/** The tuning as a Markdown table: per method, the defaults' and the choice's validation score, and what changed. */
export function tuningMarkdown(t: ApiTuning): string {
  const rows = t.methods.map((m) => {
    const c = m.configs[m.chosen];
    const changed = Object.keys(m.space).filter((k) => c.params[k] !== m.defaults[k]).map((k) => `${k}=${show(c.params[k])}${m.edges[k] ? ` (${m.edges[k]} edge)` : ''}`);
    return `| ${m.method} | ${m.configs[0].mean.toFixed(2)} | ${c.mean.toFixed(2)} | ${m.chosen === 0 ? 'the defaults' : changed.join(', ')} | ${m.configs.length} |`;
  });
  return [
    `Tuned for ${t.forgetText} (${t.forgetCount} samples in the tuning pool); validation: ${t.protocol.validation.count} training samples (seed ${t.protocol.validation.seed}), never the test set.`,
    `Score: ${t.protocol.metric ?? 'avgGap'} to the same seed's retrain on the validation split, mean over ${t.protocol.seeds.length} seed${t.protocol.seeds.length > 1 ? 's' : ''}` +
      (t.floor === null ? '.' : `; retrain noise floor ${t.floor.toFixed(2)}.`),
    '',
    '| method | defaults | tuned | chosen (differs from the defaults) | configurations |',
    '|---|---:|---:|---|---:|',
    ...rows,
  ].join('\n');
}

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--original <dir>', 'checkpoint of the trained model')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--methods <list>', `all, or a comma list of ${TUNABLE.join(', ')}`, 'all')
    .option('--budget <n>', `configurations per method, the defaults included${defaultOf(TuneArgs, 'budget')}`, number)
    .option('--seeds <n>', `seeds a surviving configuration is scored on${defaultOf(TuneArgs, 'seeds')}`, number)
    .option('--eta <x>', `successive halving: keep 1/eta per rung${defaultOf(TuneArgs, 'eta')}`, number)
    .option('--validation <size>', `validation split carved from the training data: a fraction below 1 or a count${defaultOf(TuneArgs, 'validation')}`, number)
    .option('--validation-seed <n>', `seed of the validation split${defaultOf(TuneArgs, 'validationSeed')}`, number)
    .option('--parallel <n>', 'trial workers (threads); default one per core', number)
    .option('--out <file>', 'also write the whole tuning (every trial) as JSON')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const t = await runCli('tune', {
        original: o.original, forget: o.forget, methods: methodList(o.methods), budget: o.budget, seeds: o.seeds, eta: o.eta,
        validation: o.validation, validationSeed: o.validationSeed, parallel: o.parallel, ...dataFlags(o),
      }, o.out ? dirname(o.out) : '.');
      if (o.out) {
        mkdirSync(dirname(o.out), { recursive: true });
        writeFileSync(o.out, JSON.stringify(t, null, 2) + '\n');
      }
      emit(g, t, () => `${tuningMarkdown(t)}\n\ntuning ${t.id}: \`lethe compare --original ${o.original} --forget … --tuned\` runs with it`);
    });
}
