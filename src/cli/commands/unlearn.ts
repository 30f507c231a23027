import type { Command } from 'commander';
import { SPEC_HELP } from '../../data/forget-spec.ts';
import { unlearnTask } from '../../jobs/unlearn-task.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { methodInfos, methodsMarkdown } from '../methods-table.ts';
import { forgetSpec, num, oneOf } from '../args.ts';
import { emit, pct, withContext, type GlobalOpts } from '../output.ts';

/** `--param key=value`, repeatable; numbers and booleans are converted, the method's schema validates. */
function collectParam(value: string, acc: Record<string, unknown>): Record<string, unknown> {
  const m = /^([A-Za-z][\w-]*)=(.*)$/.exec(value);
  if (!m) throw new Error(`--param expects key=value, got "${value}"`);
  const [, key, raw] = m;
  const v = raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw === 'NaN' ? NaN : raw;
  return { ...acc, [key]: v };
}

export function registerUnlearn(program: Command) {
  program.command('unlearn').description('remove the influence of a deletion request from a trained model')
    .requiredOption('--model <dir>', 'checkpoint of the trained model')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .requiredOption('--method <name>', METHOD_NAMES.join(', '), oneOf(METHOD_NAMES))
    .option('--param <key=value>', 'method parameter (repeatable; see `lethe methods`)', collectParam, {})
    .option('--seed <n>', "random seed (default: the original's)", num({ int: true }))
    .requiredOption('--out <dir>', 'checkpoint folder for the result')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const r = await withContext((ctx) => unlearnTask({ model: o.model, forget: o.forget, method: o.method, params: o.param, seed: o.seed, out: o.out }, ctx));
      emit(g, r, () => [
        `${r.method} on ${r.forget} (${r.forgetCount} samples) in ${r.seconds.toFixed(2)} s -> ${r.checkpoint}`,
        `forget ${pct(r.forgetAcc)}  retain ${pct(r.retainAcc)}  test ${pct(r.testAcc)}` +
          (r.forgetTestAcc !== undefined ? `  forget-test ${pct(r.forgetTestAcc)}  retain-test ${pct(r.retainTestAcc)}` : ''),
      ].join('\n'));
    });

  program.command('methods').description('list the unlearning methods with their parameters and defaults')
    .option('--markdown', "print the README's methods table")
    .action((o: { markdown?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const list = methodInfos();
      if (o.markdown) return void process.stdout.write(methodsMarkdown(list) + '\n');
      emit(g, list, () => list.map((m) =>
        `${m.name.padEnd(13)} ${m.kind.padEnd(11)} ${m.summary}\n${''.padEnd(26)}${m.paper}\n` +
        m.params.map((p) => `${''.padEnd(26)}--param ${p.key}=${p.default ?? '(unset)'}${p.description ? `  ${p.description}` : ''}`).join('\n')).join('\n'));
    });
}
