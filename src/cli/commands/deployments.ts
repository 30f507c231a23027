import type { Command } from 'commander';
import { deploymentView, requestView } from '../../deletion/records.ts';
import { Store } from '../../store/store.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { requestLine } from '../deletion-text.ts';

export function define(cmd: Command) {
  cmd
    .option('--name <name>', 'one deployment: its versions and requests (default: list them all)')
    .action((o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
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
