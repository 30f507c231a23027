import type { Command } from 'commander';
import { emit, type GlobalOpts } from '../output.ts';
import { runCli } from '../run.ts';
import { requestLine } from '../deletion-text.ts';

export function define(cmd: Command) {
  cmd
    .requiredOption('--deployment <name>', 'the deployment whose open requests to apply')
    .option('--retrain-now', "run an approximate policy's pending exact retrain now, not at its due time")
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const r = await runCli('deletions', { deployment: o.deployment, ...(o.retrainNow ? { retrainNow: true } : {}) }, '');
      if (r.busy) throw new Error(`another process (${r.busy}) is applying ${o.deployment}'s requests`);
      emit(g, r, () => [
        ...r.ended.map(requestLine),
        r.retrained !== undefined ? `exact retrain -> version ${r.retrained}` : '',
        !r.ended.length && r.retrained === undefined ? `${o.deployment}: nothing to do` : '',
      ].filter(Boolean).join('\n'));
    });
}
