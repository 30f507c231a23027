import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describeSpec, resolveForget, SPEC_HELP } from '../../data/forget/index.ts';
import { loadData } from '../../data/registry.ts';
import { forgetSpec } from '../args.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { addDataOptions, dataRef } from './data-options.ts';

export function define(cmd: Command) {
  addDataOptions(cmd, true)
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--out <file>', 'write the forget ids, one a line (default: stdout, unless --json)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (g.json && !o.out) throw new Error('--json needs --out FILE (stdout carries the JSON summary)');
      const sets = resolveForget(loadData(dataRef(o)), o.forget);
      const text = Array.from(sets.forget).join('\n') + '\n';
      if (!o.out) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(o.out, text);
      emit(g, { spec: describeSpec(o.forget), forget: sets.forget.length, retain: sets.retain.length, test: sets.test.length, out: o.out },
        () => `${describeSpec(o.forget)}: forget ${sets.forget.length}, retain ${sets.retain.length} -> ${o.out}`);
    });
}
