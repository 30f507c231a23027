import type { Command } from 'commander';
import { deploymentView, drain, requestView } from '../../deletion/service.ts';
import { Store } from '../../store/store.ts';
import { emit, withContext, type GlobalOpts } from '../output.ts';
import { requestLine } from './delete.ts';

export function define(cmd: Command) {
  cmd
    .option('--name <name>', 'one deployment: its versions and requests (default: list them all)')
    .option('--run', "apply the deployment's open requests (a restart's leftovers, or --no-wait ones) and run a due exact retrain")
    .option('--retrain-now', "with --run: run an approximate policy's pending exact retrain now, not at its due time")
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if ((o.run || o.retrainNow) && !o.name) throw new Error('--run needs --name: the deployment whose requests to apply');
      if (o.retrainNow && !o.run) throw new Error('--retrain-now goes with --run');
      if (o.run) {
        const r = await withContext((ctx) => drain(ctx.store!, o.name, { signal: ctx.signal, onProgress: ctx.onProgress, retrainNow: o.retrainNow }));
        if (r.busy) throw new Error(`another process (${r.busy}) is applying ${o.name}'s requests`);
        emit(g, r, () => [
          ...r.ended.map(requestLine),
          r.retrained !== undefined ? `exact retrain -> version ${r.retrained}` : '',
          !r.ended.length && r.retrained === undefined ? `${o.name}: nothing to do` : '',
        ].filter(Boolean).join('\n'));
        return;
      }
      const store = new Store();
      try {
        if (o.name) {
          const d = deploymentView(store, o.name);
          const requests = store.deletions.requests(o.name).map(requestView);
          emit(g, { ...d, requests }, () => [
            `${d.name}: ${d.kind}, policy ${d.policy}, current version ${d.current} (${d.currentPath})${d.retrainDue ? `, exact retrain due ${d.retrainDue}` : ''}`,
            ...d.versions.map((v) => `  v${v.number}  ${v.exactness.padEnd(11)} ${v.method.padEnd(13)} ${v.manifestCount} samples  manifest ${v.manifestSha256.slice(0, 12)}…  ${v.created}`),
            ...(requests.length ? ['requests (newest first):', ...requests.map((r) => `  ${requestLine(r)}`)] : ['no requests yet']),
          ].join('\n'));
        } else {
          const all = store.deletions.listDeployments().map((d) => deploymentView(store, d.name));
          emit(g, all, () => (all.length ? all.map((d) => `${d.name.padEnd(16)} ${d.kind.padEnd(9)} v${d.current}  ${d.done} done, ${d.open} open, ${d.failed} failed  policy ${d.policy}`).join('\n')
            : 'no deployments yet: lethe deploy --name NAME --model DIR --policy POLICY'));
        }
      } finally {
        store.close();
      }
    });
}
