import type { Command } from 'commander';
import { deploy } from '../../deletion/service.ts';
import { POLICY_HELP } from '../../deletion/policy.ts';
import { Store } from '../../store/store.ts';
import { emit, type GlobalOpts } from '../output.ts';

export function define(cmd: Command) {
  cmd
    .requiredOption('--name <name>', 'the deployment: a named slot whose current version advances with each completed deletion request')
    .requiredOption('--model <dir>', 'checkpoint to deploy as version 0 (copied into the Lethe home)')
    .requiredOption('--policy <policy>', POLICY_HELP)
    .action((o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const store = new Store();
      try {
        const d = deploy(store, { name: o.name, model: o.model, policy: o.policy });
        emit(g, d, () => `deployed ${o.model} as "${d.name}" version 0 (${d.kind}, policy ${d.policy}) -> ${d.currentPath}`);
      } finally {
        store.close();
      }
    });
}
