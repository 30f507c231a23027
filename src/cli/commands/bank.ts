import type { Command } from 'commander';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { BankArgs } from '../../jobs/bank-task.ts';
import type { ApiBank, Spread } from '../../shared/http.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { forgetSpec } from '../args.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { defaultOf, number, runCli } from '../run.ts';
import { addDataOptions } from './data-options.ts';
import { collectParam } from './unlearn.ts';

const sp = (s: Spread, d = 3) => `mean ${s.mean.toFixed(d)}, median ${s.median.toFixed(d)}, p90 ${s.p90.toFixed(d)}`;

export function bankText(b: ApiBank): string {
  const pc = (v: number) => `${v.toFixed(2)}%`;
  return [
    `${b.method} on ${b.forgetText} (${b.forgetCount} samples): a bank of N = ${b.n} runs against N = ${b.n} retrained models (${b.computed} computed now, ${b.stored} from the store)`,
    '',
    '| side | forget acc | retain acc | test acc | seconds |',
    '|---|---:|---:|---:|---:|',
    `| ${b.method} | ${pc(b.unlearned.forgetAcc)} | ${pc(b.unlearned.retainAcc)} | ${pc(b.unlearned.testAcc)} | ${b.unlearned.seconds.toFixed(2)} |`,
    `| retrain | ${pc(b.retrained.forgetAcc)} | ${pc(b.retrained.retainAcc)} | ${pc(b.retrained.testAcc)} | ${b.retrained.seconds.toFixed(2)} |`,
    '',
    `forgetting quality (NeurIPS 2023 challenge, N = ${b.n}, δ = 1e-5): forget score ${b.epsilon.forgetScore.toFixed(4)}, final score ${b.epsilon.score.toFixed(4)}`,
    `  per-example ε: ${sp(b.epsilon, 2)}; ${b.epsilon.capped} of ${b.forgetCount} at or above the top bucket ε = ${b.epsilon.maxEpsilon} (scored 0)`,
    `KLOM (binned KL of margins, ${b.method} ‖ retrain): forget ${sp(b.klom.forget)}; retain sample ${sp(b.klom.retain)}; test sample ${sp(b.klom.test)}`,
  ].join('\n');
}

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--original <dir>', 'checkpoint of the trained model')
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .requiredOption('--method <name>', METHOD_NAMES.filter((m) => m !== 'retrain').join(', '))
    .option('--param <key=value>', 'method parameter (repeatable)', collectParam, {})
    .option('--n <n>', `models per side${defaultOf(BankArgs, 'n')}; ε's top bucket is ceil(ln(N − 1))`, number)
    .option('--samples <n>', `retain and test samples kept per member, for KLOM${defaultOf(BankArgs, 'samples')}`, number)
    .option('--parallel <n>', 'worker threads; default one per core', number)
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const b = await runCli('bank', {
        original: o.original, forget: o.forget, method: o.method, params: o.param, n: o.n, samples: o.samples, parallel: o.parallel,
        data: o.data, trainSize: o.trainSize, labelColumn: o.labelColumn,
      }, '.');
      emit(g, b, () => bankText(b));
    });
}
