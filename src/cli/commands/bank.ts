import type { Command } from 'commander';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { BankArgs } from '../../jobs/bank-task.ts';
import type { Comparison } from '../../shared/contract.ts';
import type { ApiBank, ApiUlira, Spread } from '../../shared/http.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { forgetSpec } from '../args.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { defaultOf, number, runCli } from '../run.ts';
import { addDataOptions, dataFlags } from './data-options.ts';
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
    `stored as bank ${b.id}: lethe serve, Forgetting quality tab (GET /api/banks/${b.id})`,
  ].join('\n');
}

/**
 * `lethe compare --bank N`: one row per method of its bank beside its single-model avgGap, each with its rank
 * (ε-based: the challenge's final score, higher is better; avgGap: lower is better).
 */
export function banksMarkdown(banks: ApiBank[], c: Comparison, uliras: ApiUlira[] = []): string {
  const ulira = (m: string) => uliras.find((u) => u.method === m);
  const gap = (m: string) => c.table.find((r) => r.role === 'method' && r.label === m)?.stats.avgGap?.mean ?? NaN;
  const rank = (xs: number[], better: 'high' | 'low') => xs.map((x) => 1 + xs.filter((y) => (better === 'high' ? y > x : y < x)).length);
  const byScore = rank(banks.map((b) => b.epsilon.score), 'high');
  const byGap = rank(banks.map((b) => gap(b.method)), 'low');
  const n = banks[0]?.n;
  return [
    `Many-model evaluation: for each method a bank of N = ${n} runs against N = ${n} retrained models (NeurIPS 2023 challenge's forgetting quality, δ = 1e-5; KLOM of Georgiev et al.)`,
    '',
    `| method | forget score F | final score | score rank | avgGap (single model) | avgGap rank | median ε | ε at the cap | KLOM forget (median) |${uliras.length ? ` U-LiRA accuracy (K = ${uliras[0].shadows}) |` : ''}`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|${uliras.length ? '---:|' : ''}`,
    ...banks.map((b, i) => `| ${b.method} | ${b.epsilon.forgetScore.toFixed(4)} | ${b.epsilon.score.toFixed(4)} | ${byScore[i]} | ${gap(b.method).toFixed(2)} | ${byGap[i]} | ${b.epsilon.median.toFixed(2)} | ${b.epsilon.capped} of ${b.forgetCount} | ${b.klom.forget.median.toFixed(3)} |`
      + (uliras.length ? ` ${ulira(b.method) ? `${ulira(b.method)!.forget.accuracy.toFixed(1)}%` : '—'} |` : '')),
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
    .option('--csv <dir>', 'also write bank-<method>-confidences.csv (model,role,seed,id,confidence) and bank-<method>-epsilon.csv there')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const b = await runCli('bank', {
        original: o.original, forget: o.forget, method: o.method, params: o.param, n: o.n, samples: o.samples, parallel: o.parallel,
        ...dataFlags(o), csv: o.csv !== undefined,
      }, o.csv ?? '.');
      emit(g, b, () => bankText(b));
    });
}
