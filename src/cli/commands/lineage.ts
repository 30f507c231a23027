import type { Command } from 'commander';
import { lineage } from '../../deletion/audit.ts';
import { Store } from '../../store/store.ts';
import { num } from '../args.ts';
import { emit, type GlobalOpts } from '../output.ts';

export function define(cmd: Command) {
  cmd
    .option('--sample <id>', 'a sample id', num({ int: true, min: 0 }))
    .option('--group <g>', "an owner: every sample of the group")
    .option('--deployment <name>', 'only the versions of this deployment (default: every deployment and every checkpoint in the store)')
    .action((o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const store = new Store();
      try {
        const r = lineage(store, { sample: o.sample, group: o.group, deployment: o.deployment });
        emit(g, r, () => [
          `${r.query} (${r.ids} sample${r.ids === 1 ? '' : 's'}): ${r.rows.length} of ${r.checked} versions and checkpoints were trained on ${r.ids === 1 ? 'it' : 'them'}`,
          ...r.rows.map((x) => `  ${(x.deployment ? `${x.deployment} v${x.version}` : 'checkpoint').padEnd(18)} ${x.status.padEnd(16)} holds ${x.contains}  ${x.path}`),
          ...(r.unknown.length ? [`  no training manifest (cannot say): ${r.unknown.join(', ')}`] : []),
        ].join('\n'));
      } finally {
        store.close();
      }
    });
}
