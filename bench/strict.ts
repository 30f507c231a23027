// npm run bench:strict — a small published protocol of the field's strictest evaluations on Fashion-MNIST:
//   1. the demo's memorising MLP (first 2,000 training images, 40 epochs); on a random and on a worst-case 10% forget
//      set, the comparison (every approximate method, the demo's 3 seeds) and a bank of N = 32 runs per method against
//      N = 32 retrained models (the NeurIPS 2023 challenge's forgetting quality ε and KLOM), ranked beside avgGap;
//   2. one corrective sweep: a 3x3 patch backdoor on 1% of the training images (600, target class 0), an MLP trained
//      10 epochs on all of it, and ft, ssd, scrub and bad-teacher at 10%, 25%, 50% and 100% of the poison identified.
// It prints the tables, writes bench/results/strict.json, and says how long each part took. Everything is kept in
// runs/bench-strict (bank members and comparisons by content hash in its lethe.db), so a rerun after an interruption
// computes only what is missing.
//
//   npm run bench:strict [-- --n 32 --methods all --forgets random:0.1:seed=1,worst:0.1:seed=1 --no-sweep --parallel 2]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { banksMarkdown } from '../src/cli/commands/bank.ts';
import { bankedMethods } from '../src/cli/commands/compare.ts';
import { terminalProgress } from '../src/cli/progress.ts';
import { datasetHash, writeManipulated } from '../src/data/formats/manipulated.ts';
import { manipulationOf, parsePoison } from '../src/data/manipulation.ts';
import { loadData } from '../src/data/registry.ts';
import { initBackend } from '../src/engine/backend.ts';
import { sweepMarkdown } from '../src/eval/sweep.ts';
import { tableMarkdown } from '../src/eval/table.ts';
import { DEMO_SETTING } from '../src/jobs/demo-task.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import type { ApiBank } from '../src/shared/http.ts';
import { Store } from '../src/store/store.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'runs/bench-strict' },
    n: { type: 'string', default: '32' },
    methods: { type: 'string', default: 'all' },
    forgets: { type: 'string', default: 'random:0.1:seed=1,worst:0.1:seed=1' },
    sweep: { type: 'boolean', default: true },
    'sweep-methods': { type: 'string', default: 'ft,ssd,scrub,bad-teacher' },
    parallel: { type: 'string' },
  },
  allowNegative: true,
});

const started = performance.now();
const seconds = (t0: number) => Math.round((performance.now() - t0) / 1000);
const info = await initBackend();
mkdirSync(values.dir, { recursive: true });
const store = new Store(join(values.dir, 'lethe.db'));
const progress = terminalProgress();
const ctx = (out: string) => ({ out: join(values.dir, out), store, modelDir: (d: string) => d, onProgress: progress });
const methods = values.methods === 'all' ? 'all' : values.methods.split(',');
const n = Number(values.n);
const parallel = values.parallel ? { parallel: Number(values.parallel) } : {};
const lines: string[] = [`backend: ${info.summary}; N = ${n} models per side`, ''];
const results: Record<string, unknown>[] = [];

/** Trains `args` into `dir` once; a later run reuses the checkpoint. */
async function base(dir: string, args: Record<string, unknown>): Promise<{ dir: string; seconds: number }> {
  const t0 = performance.now();
  if (!existsSync(join(values.dir, dir, 'meta.json'))) await runTask('train', parseTaskArgs('train', args, cliEnv), ctx(dir));
  return { dir: join(values.dir, dir), seconds: seconds(t0) };
}

// 1. The demo's memorising setting, on each forget set: one comparison and a bank per method.
const demo = await base('base-demo', DEMO_SETTING.train);
for (const forget of values.forgets.split(',')) {
  const t0 = performance.now();
  const tag = forget.replace(/[:=.]/g, '-');
  const c = await runTask('compare', parseTaskArgs('compare', { original: demo.dir, forget, methods, seeds: DEMO_SETTING.seeds }, cliEnv), ctx(`compare-${tag}`));
  const compareSeconds = seconds(t0);
  const banks: ApiBank[] = [];
  for (const method of bankedMethods(c)) {
    banks.push(await runTask('bank', parseTaskArgs('bank', { original: demo.dir, forget, method, n, csv: true, ...parallel }, cliEnv), ctx(`compare-${tag}`)));
  }
  const took = { compare: compareSeconds, banks: seconds(t0) - compareSeconds };
  lines.push(`## ${c.forgetText} (${c.forgetCount} samples)`, '', tableMarkdown(c, 'default'), '', banksMarkdown(banks, c), '',
    `comparison ${took.compare} s, banks ${took.banks} s`, '');
  results.push({ part: 'bank', forget: c.forgetText, comparison: c.id, table: c.table, banks, seconds: took });
}

// 2. One corrective sweep on a poisoned copy of the full training set.
if (values.sweep) {
  const t0 = performance.now();
  const poisoned = join(values.dir, 'poisoned');
  const poison = 'patch:count=600:target=0:seed=1';
  if (!existsSync(join(poisoned, 'manipulation.json'))) {
    const src = loadData({ name: 'fashion-mnist' });
    writeManipulated(poisoned, manipulationOf(src, parsePoison(poison), { name: 'fashion-mnist', hash: datasetHash(src) }));
  }
  const original = await base('base-poisoned', { data: poisoned, model: 'mlp', epochs: 10, seed: 1 });
  const r = await runTask('sweep', parseTaskArgs('sweep', {
    original: original.dir, sweep: 'manipulated:0.1,0.25,0.5,1.0:seed=1', methods: values['sweep-methods'].split(','), seeds: 1,
  }, cliEnv), ctx('sweep'));
  const took = { train: original.seconds, sweep: seconds(t0) - original.seconds };
  lines.push(`## corrective sweep: ${poison} on fashion-mnist, MLP 10 epochs`, '', sweepMarkdown(r.sweep), '', `training ${took.train} s, sweep ${took.sweep} s`, '');
  results.push({ part: 'sweep', poison, sweep: r.sweep, seconds: took });
}

progress.stop();
store.close();
const total = seconds(started);
lines.push(`bench:strict took ${total} s (${(total / 60).toFixed(1)} min) on ${info.backend}`);
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/strict.json', JSON.stringify({ date: new Date().toISOString(), backend: info, n, seconds: total, results }, null, 2) + '\n');
