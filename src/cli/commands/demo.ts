import type { Command } from 'commander';
import { tableMarkdown } from '../../eval/table.ts';
import { demoData, demoTask, DEMO_SETTING } from '../../jobs/demo-task.ts';
import { emit, pct, withContext, type GlobalOpts } from '../output.ts';
import { flagOf, number } from '../run.ts';
import { num } from '../args.ts';
import { columnChoice, methodList } from './compare.ts';
import { serveCommand } from './serve.ts';

export function define(cmd: Command) {
  cmd
    .option('--out <dir>', 'folder for models, tables and the report', 'runs/demo')
    .option('--seeds <n>', `seeds per method (default ${DEMO_SETTING.seeds})`, number)
    .option('--methods <list>', 'all, or a comma list', 'all')
    .option('--columns <which>', 'metric columns of the printed tables: default, all, or a comma list', columnChoice, 'default')
    .option('--no-serve', 'stop after the tables')
    .option('--port <n>', 'port of the UI', num({ int: true, min: 0, max: 65535 }), 8080)
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const { data, note } = demoData();
      if (note) process.stderr.write(`lethe: ${note}\n`);
      const r = await withContext((ctx) => demoTask({ seeds: o.seeds, methods: methodList(o.methods), data }, { ...ctx, out: o.out }, flagOf));
      emit(g, { base: r.base, report: r.report, comparisons: r.comparisons.map((c) => ({ id: c.id, forget: c.forgetText, table: c.table })) }, () => [
        `base model on ${data}: train ${pct(r.base.trainAcc)}, test ${pct(r.base.testAcc)} (${r.base.seconds.toFixed(1)} s)`,
        '',
        ...r.comparisons.map((c) => tableMarkdown(c, o.columns) + '\n'),
        `report: ${r.report}`,
      ].join('\n'));
      if (o.serve) await serveCommand({ port: o.port, host: '127.0.0.1', json: g.json });
    });
}
