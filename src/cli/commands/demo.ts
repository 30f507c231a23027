import type { Command } from 'commander';
import { demoTask, DEMO_SETTING } from '../../jobs/demo-task.ts';
import { tableMarkdown } from '../../jobs/table.ts';
import { num } from '../args.ts';
import { emit, pct, withContext, type GlobalOpts } from '../output.ts';
import { serveCommand } from './serve.ts';

export function registerDemo(program: Command) {
  program.command('demo').description('train on Fashion-MNIST, compare every method against retraining, then serve the UI')
    .option('--out <dir>', 'folder for models, tables and the report', 'runs/demo')
    .option('--seeds <n>', 'seeds per method', num({ int: true, min: 1, max: 10 }), DEMO_SETTING.seeds)
    .option('--methods <list>', 'all, or a comma list', 'all')
    .option('--no-serve', 'stop after the tables')
    .option('--port <n>', 'port of the UI', num({ int: true, min: 0, max: 65535 }), 8080)
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const r = await withContext((ctx) => demoTask({ out: o.out, seeds: o.seeds, methods: o.methods === 'all' ? ['all'] : o.methods.split(',') }, ctx));
      emit(g, { base: r.base, report: r.report, comparisons: r.comparisons.map((c) => ({ id: c.id, forget: c.forget, table: c.table })) }, () => [
        `base model: train ${pct(r.base.trainAcc)}, test ${pct(r.base.testAcc)} (${r.base.seconds.toFixed(1)} s)`,
        '',
        ...r.comparisons.map((c) => tableMarkdown(c) + '\n'),
        `report: ${r.report}`,
      ].join('\n'));
      if (o.serve) await serveCommand({ port: o.port, host: '127.0.0.1', json: g.json });
    });
}
