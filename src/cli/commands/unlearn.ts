import type { Command } from 'commander';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { forgetSpec, paramValue } from '../args.ts';
import { addDataOptions, dataFlags } from './data-options.ts';
import { emit, pct, type GlobalOpts } from '../output.ts';
import { number, runCli } from '../run.ts';

/** `--param key=value`, repeatable; the method's schema validates. */
export function collectParam(value: string, acc: Record<string, unknown>): Record<string, unknown> {
  const m = /^([A-Za-z][\w-]*)=(.*)$/.exec(value);
  if (!m) throw new Error(`--param expects key=value, got "${value}"`);
  return { ...acc, [m[1]]: paramValue(m[2]) };
}

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--model <dir>', 'checkpoint of the trained model')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .requiredOption('--method <name>', METHOD_NAMES.join(', '))
    .option('--param <key=value>', 'method parameter (repeatable; see `lethe methods`)', collectParam, {})
    .option('--seed <n>', "random seed (default: the original's)", number)
    .requiredOption('--out <dir>', 'checkpoint folder for the result')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const r = await runCli('unlearn', { model: o.model, forget: o.forget, method: o.method, params: o.param, seed: o.seed, ...dataFlags(o) }, o.out);
      emit(g, r, () => [
        `${r.method} on ${r.forget} (${r.forgetCount} samples) in ${r.seconds.toFixed(2)} s -> ${r.checkpoint}`,
        'forgetL1' in r
          ? `forget L1 ${r.forgetL1.toFixed(2)}  retain L1 ${r.retainL1.toFixed(2)}  test L1 ${r.testL1.toFixed(2)}` +
            (r.forgetTestL1 !== undefined ? `  forget-test L1 ${r.forgetTestL1.toFixed(2)}  retain-test L1 ${r.retainTestL1!.toFixed(2)}` : '')
          : `forget ${pct(r.forgetAcc)}  retain ${pct(r.retainAcc)}  test ${pct(r.testAcc)}` +
            (r.forgetTestAcc !== undefined ? `  forget-test ${pct(r.forgetTestAcc)}  retain-test ${pct(r.retainTestAcc!)}` : ''),
        ...(r.state ?? []),
      ].join('\n'));
    });
}
