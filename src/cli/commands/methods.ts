import type { Command } from 'commander';
import { methodInfos, methodsMarkdown } from '../methods-table.ts';
import { emit, type GlobalOpts } from '../output.ts';

export function define(cmd: Command) {
  cmd
    .option('--markdown', "print the README's methods table")
    .action((o: { markdown?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const list = methodInfos();
      if (o.markdown) return void process.stdout.write(methodsMarkdown(list) + '\n');
      emit(g, list, () => list.map((m) =>
        `${m.name.padEnd(13)} ${m.kind.padEnd(11)} ${m.summary}\n${''.padEnd(26)}${m.paper}\n${''.padEnd(26)}tasks: ${m.tasks.join(', ')}\n` +
        m.params.map((p) => `${''.padEnd(26)}--param ${p.key}=${p.default ?? '(unset)'}${p.description ? `  ${p.description}` : ''}`).join('\n') +
        (m.tune.length ? `\n${''.padEnd(26)}tune: ${m.tune.join(', ')}` : '')).join('\n'));
    });
}
