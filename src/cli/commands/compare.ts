import type { Command } from 'commander';
import { SPEC_HELP } from '../../data/forget-spec.ts';
import { compareTask } from '../../jobs/compare-task.ts';
import { evalTask } from '../../jobs/eval-task.ts';
import { tableMarkdown } from '../../jobs/table.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { forgetSpec, num } from '../args.ts';
import { emit, pct, withContext, type GlobalOpts } from '../output.ts';

/** `--param salun.lr=0.01`, repeatable. */
function collectMethodParam(value: string, acc: Record<string, Record<string, unknown>>) {
  const m = /^([\w-]+)\.([A-Za-z]\w*)=(.*)$/.exec(value);
  if (!m) throw new Error(`--param expects method.key=value, got "${value}"`);
  const [, method, key, raw] = m;
  const v = raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw === 'NaN' ? NaN : raw;
  return { ...acc, [method]: { ...acc[method], [key]: v } };
}

export function registerCompare(program: Command) {
  program.command('compare').description('run retrain and the chosen methods on one deletion request over several seeds; print the table')
    .requiredOption('--original <dir>', 'checkpoint of the trained model')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--methods <list>', `all, or a comma list of ${METHOD_NAMES.join(', ')}`, 'all')
    .option('--seeds <n>', 'seeds per method', num({ int: true, min: 1, max: 20 }), 3)
    .option('--param <method.key=value>', 'a method parameter (repeatable)', collectMethodParam, {})
    .option('--out <dir>', 'folder for checkpoints and table.md/.csv/comparison.json (default: runs/compare-<time>)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const out = o.out ?? `runs/compare-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const c = await withContext((ctx) => compareTask({
        original: o.original, forget: o.forget, methods: o.methods === 'all' ? ['all'] : o.methods.split(',').map((s: string) => s.trim()),
        seeds: o.seeds, out, params: o.param,
      }, ctx));
      emit(g, { id: c.id, out, forget: c.forget, seeds: c.seeds, table: c.table }, () => `${tableMarkdown(c)}\n\nwritten to ${out}/table.md, table.csv, comparison.json`);
    });

  program.command('eval').description('measure one model against a retrained reference')
    .requiredOption('--model <dir>', 'the model to measure')
    .requiredOption('--reference <dir>', 'the retrained model (gold standard)')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--original <dir>', "the do-nothing model, for gapClosed (default: the model's parent, from the store)")
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const m = await withContext((ctx) => evalTask({ model: o.model, reference: o.reference, forget: o.forget, original: o.original }, ctx));
      const rows: [string, string][] = [
        ['forget acc', pct(m.forgetAcc)], ['retain acc', pct(m.retainAcc)], ['test acc', pct(m.testAcc)],
        ...(m.forgetTestAcc !== undefined ? [['forget-test acc', pct(m.forgetTestAcc)], ['retain-test acc', pct(m.retainTestAcc)]] as [string, string][] : []),
        ['UA', pct(m.UA)], ['MIA (confidence)', pct(m.mia)], ['MIA (entropy)', pct(m.miaEntropy)],
        ['avgGap', m.avgGap.toFixed(2)], ['gap closed', Number.isNaN(m.gapClosed) ? '— (no original)' : pct(100 * m.gapClosed)],
        ['KL forget / test', `${m.klForget.toFixed(4)} / ${m.klTest.toFixed(4)}`], ['JS forget / test', `${m.jsForget.toFixed(4)} / ${m.jsTest.toFixed(4)}`],
        ['privacy score', m.privacy.toFixed(3)], ['relearn acc', pct(m.relearnAcc)],
        ['seconds / speedup', `${m.seconds.toFixed(2)} / ${m.speedup.toFixed(1)}x`],
      ];
      emit(g, m, () => rows.map(([k, v]) => `${k.padEnd(18)} ${v}`).join('\n'));
    });
}
