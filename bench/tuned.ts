// npm run bench:tuned — every approximate method at its defaults and tuned for the setting (lethe tune, on a validation
// split), side by side in one comparison on the test set, with the retrain noise floor. Two settings: the demo's
// memorising one (an MLP on the first 2,000 Fashion-MNIST images, 40 epochs) and an MLP trained 10 epochs on all of
// it. Trials are stored in runs/bench-tuned/lethe.db, so a second run measures only what changed.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { terminalProgress } from '../src/cli/progress.ts';
import { initBackend } from '../src/engine/backend.ts';
import { tableMarkdown, tunedRanks, tunedRanksMarkdown } from '../src/eval/table.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { DEMO_SETTING } from '../src/jobs/demo-task.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import { tuningMarkdown } from '../src/cli/commands/tune.ts';
import { Store } from '../src/store/store.ts';

const { values } = parseArgs({
  options: {
    settings: { type: 'string', default: 'demo,full' },
    forget: { type: 'string', default: 'random:0.1:seed=1' },
    methods: { type: 'string', default: 'all' },
    budget: { type: 'string', default: '12' },
    seeds: { type: 'string', default: '2' },
    dir: { type: 'string', default: 'runs/bench-tuned' },
    parallel: { type: 'string' },
  },
});

const SETTINGS = {
  demo: { label: "the demo's memorising setting (MLP, first 2,000 images, 40 epochs)", train: DEMO_SETTING.train },
  full: { label: 'MLP on all of Fashion-MNIST, 10 epochs', train: { data: 'fashion-mnist', model: 'mlp', epochs: 10, seed: 1 } },
} as const;

const info = await initBackend();
mkdirSync(values.dir, { recursive: true });
const store = new Store(join(values.dir, 'lethe.db'));
const progress = terminalProgress();
const ctx = (out: string) => ({ out: join(values.dir, out), store, modelDir: (d: string) => d, onProgress: progress });
const methods = values.methods === 'all' ? 'all' : values.methods.split(',');
const out: Record<string, unknown>[] = [];
const lines: string[] = [`backend: ${info.summary}; budget ${values.budget} configurations per method, ${values.seeds} seeds; forget ${values.forget}`, ''];

for (const name of values.settings.split(',') as (keyof typeof SETTINGS)[]) {
  const s = SETTINGS[name];
  if (!s) throw new Error(`unknown setting "${name}": use ${Object.keys(SETTINGS).join(', ')}`);
  const base = join(values.dir, `base-${name}`);
  if (!existsSync(join(base, 'meta.json'))) await runTask('train', parseTaskArgs('train', s.train, cliEnv), ctx(`base-${name}`));
  const t0 = performance.now();
  const tuning = await runTask('tune', parseTaskArgs('tune', {
    original: base, forget: values.forget, methods, budget: Number(values.budget), seeds: Number(values.seeds),
    ...(values.parallel ? { parallel: Number(values.parallel) } : {}),
  }, cliEnv), ctx(`tune-${name}`));
  const tuneSeconds = (performance.now() - t0) / 1000;
  const c = await runTask('compare', parseTaskArgs('compare', { original: base, forget: values.forget, methods, seeds: Number(values.seeds), tuned: tuning.id }, cliEnv), ctx(`compare-${name}`));
  const floor = c.table.find((r) => r.role === 'noise-floor')?.stats.avgGap?.mean ?? NaN;
  const ranks = tunedRanks(c);
  lines.push(`## ${s.label}`, '', tuningMarkdown(tuning), '', `tuning took ${tuneSeconds.toFixed(0)} s`, '',
    'On the test set (compare --tuned):', '', tunedRanksMarkdown(c), '', `retrain noise floor (avgGap, test set): ${floor.toFixed(2)}`, '',
    '<details><summary>the whole comparison</summary>', '', tableMarkdown(c, 'default'), '', '</details>', '');
  out.push({ setting: name, label: s.label, tuning: tuning.id, tuneSeconds, floor, ranks, validationFloor: tuning.floor });
}
progress.stop();
store.close();
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/tuned.json', JSON.stringify({ date: new Date().toISOString(), backend: info, forget: values.forget, budget: Number(values.budget), seeds: Number(values.seeds), settings: out }, null, 2) + '\n');
