import type { Command } from 'commander';
import { prune } from '../../deletion/prune.ts';
import { deploymentView, requestView } from '../../deletion/records.ts';
import { Store } from '../../store/store.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { requestLine } from '../deletion-text.ts';

export function define(cmd: Command) {
  cmd
    .option('--name <name>', 'one deployment: its versions and requests (default: list them all)')
    .option('--prune', "with --name: remove the weights of superseded versions (v0 and the current one stay); their meta.json and manifest stay for lineage and verify")
    .action((o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (o.prune && !o.name) throw new Error('--prune needs --name: the deployment whose superseded versions to prune');
      const store = new Store();
      try {
        if (o.prune) {
          const r = prune(store, o.name);
          const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
          emit(g, r, () => (r.pruned.length
            ? `pruned ${r.pruned.map((n) => `v${n}`).join(', ')} of ${o.name}: ${mb(r.freedBytes)} freed${r.sharedBytes ? ` (${mb(r.sharedBytes)} more were links to files kept elsewhere)` : ''}; kept v${r.kept.join(' and v')}; their meta.json and manifest.bin stay for lineage and verify`
            : `${o.name}: nothing to prune (v${r.kept.join(' and v')} are kept)`));
          return;
        }
        if (o.name) {
          const d = deploymentView(store, o.name);
          const requests = store.deletions.requests(o.name).map(requestView);
          emit(g, { ...d, requests }, () => [
            `${d.name}: ${d.kind}, policy ${d.policy}, current version ${d.current} (${d.currentPath})${d.retrainDue ? `, exact retrain due ${d.retrainDue}` : ''}`,
            ...d.versions.map((v) => `  v${v.number}  ${v.exactness.padEnd(11)} ${v.method.padEnd(13)} ${v.manifestCount} samples  manifest ${v.manifestSha256.slice(0, 12)}…  ${v.created}${v.pruned ? '  (weights pruned)' : ''}`),
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
