import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { ContinualArgs } from '../../jobs/continual-task.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { forgetSpec } from '../args.ts';
import { emit, pct, type GlobalOpts } from '../output.ts';
import { defaultOf, number, runCli } from '../run.ts';
import { addDataOptions, dataFlags } from './data-options.ts';
import { collectParam } from './unlearn.ts';

/** A requests file: one forget spec per line, in arrival order; blank lines and # comments are skipped. */
function requestsFile(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidArgumentError(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split('\n').map((l, i) => ({ line: i + 1, spec: l.replace(/#.*/, '').trim() })).filter((l) => l.spec);
  if (!lines.length) throw new InvalidArgumentError(`${path} has no requests (one forget spec per line)`);
  return lines.map(({ line, spec }) => {
    try {
      return forgetSpec(spec);
    } catch (e) {
      throw new InvalidArgumentError(`${path} line ${line}: ${(e as Error).message}`);
    }
  });
}

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--model <dir>', 'checkpoint of the trained model')
    .requiredOption('--method <name>', METHOD_NAMES.join(', '))
    .option('--param <key=value>', 'method parameter (repeatable; see `lethe methods`)', collectParam, {})
    .option('--requests <file>', 'the requests, one forget spec per line, in arrival order')
    .option('--random <k>', 'instead of --requests: k single-sample requests drawn from what the model holds', number)
    .option('--together <n>', `requests arriving together, coalesced into one step${defaultOf(ContinualArgs, 'together')}`, number)
    .option('--seed <n>', "seed of the random requests and the method (default: the model's)", number)
    .requiredOption('--out <dir>', 'checkpoint folder for the final model')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const requests = o.requests === undefined ? undefined : requestsFile(o.requests);
      const r = await runCli('continual', {
        model: o.model, method: o.method, params: o.param, requests, random: o.random, together: o.together, seed: o.seed,
        ...dataFlags(o),
      }, o.out);
      emit(g, r, () => [
        '| step | requests | ids | seconds | test acc | state |',
        '|---:|---:|---:|---:|---:|---|',
        ...r.steps.map((s) => `| ${s.step} | ${s.requests.length} | ${s.ids} | ${s.seconds.toFixed(2)} | ${pct(s.testAcc)} | ${s.state.join('; ')} |`),
        '',
        `${r.method}: ${r.steps.length} steps, ${r.deleted} samples deleted in ${r.seconds.toFixed(2)} s -> ${r.checkpoint}`,
      ].join('\n'));
    });
}
