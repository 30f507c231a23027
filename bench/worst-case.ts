// npx tsx bench/worst-case.ts — what the worst-case search's upper step lr_w does on the demo's setting (the MLP
// trained 40 epochs on the first 2,000 Fashion-MNIST images): for random:0.1:seed=1 and worst:0.1:seed=1 at several
// lr_w, how many of the 200 random starting samples the search kept, the original's mean loss on the set, the share of
// its largest class, and retraining's UA on it (forget-set error, mean over the comparison seeds 1001-1003, each a
// `lethe unlearn --method retrain` run). Selections are cached beside the base checkpoint, so a rerun only retrains.
//
//   npx tsx bench/worst-case.ts [--dir runs/bench-worst] [--lrw 0.01,1,10,100]
import type { Accuracies } from '../src/unlearn/run.ts';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { terminalProgress } from '../src/cli/progress.ts';
import { idsOfSplit, subset } from '../src/data/dataset.ts';
import { describeSpec, parseForgetSpec, resolveForget, resolveIds } from '../src/data/forget/index.ts';
import { loadData } from '../src/data/registry.ts';
import { initBackend } from '../src/engine/backend.ts';
import { seedList } from '../src/jobs/compare-task.ts';
import { DEMO_SETTING } from '../src/jobs/demo-task.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { prepareForget } from '../src/jobs/prepare-forget.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import { sampleLosses } from '../src/measure/worst-case.ts';
import { loadCheckpoint } from '../src/models/checkpoint.ts';
import { Store } from '../src/store/store.ts';

const { values } = parseArgs({ options: { dir: { type: 'string', default: 'runs/bench-worst' }, lrw: { type: 'string', default: '0.01,1,10,100' } } });
const t0 = performance.now();
const info = await initBackend();
mkdirSync(values.dir, { recursive: true });
const store = new Store(join(values.dir, 'lethe.db'));
const progress = terminalProgress();
const ctx = (out: string) => ({ out: join(values.dir, out), store, modelDir: (d: string) => d, onProgress: progress });
const base = join(values.dir, 'base');
if (!existsSync(join(base, 'meta.json'))) await runTask('train', parseTaskArgs('train', DEMO_SETTING.train, cliEnv), ctx('base'));

const original = await loadCheckpoint(base);
const ds = loadData(original.meta.dataset);
const train = idsOfSplit(ds, 'train');
const losses = sampleLosses(original.model, subset(ds, train));
const lossOf = new Map(Array.from(train, (id, i) => [id, losses[i]]));
const start = new Set(resolveIds(ds, parseForgetSpec('random:0.1:seed=1')));
const specs = ['random:0.1:seed=1', ...values.lrw.split(',').map((v) => `worst:0.1:seed=1${Number(v) === 10 ? '' : `:lrw=${v}`}`)];

const rows: string[] = [];
for (const text of specs) {
  const spec = await prepareForget(parseForgetSpec(text), original, ds, { onProgress: progress });
  const forget = Array.from(resolveForget(ds, spec).forget);
  const classes = new Map<number, number>();
  for (const id of forget) classes.set(ds.y[id], (classes.get(ds.y[id]) ?? 0) + 1);
  const [top, topCount] = [...classes].sort((a, b) => b[1] - a[1])[0];
  const ua: number[] = [];
  for (const seed of seedList(DEMO_SETTING.seeds)) {
    const r = await runTask('unlearn', parseTaskArgs('unlearn', { model: base, forget: spec, method: 'retrain', seed }, cliEnv), ctx(`${text.replace(/[:=]/g, '-')}-retrain-${seed}`));
    ua.push(100 - (r as Accuracies).forgetAcc);
  }
  const mean = ua.reduce((a, b) => a + b, 0) / ua.length;
  const std = Math.sqrt(ua.reduce((a, b) => a + (b - mean) ** 2, 0) / (ua.length - 1));
  rows.push(`| \`${describeSpec(spec)}\` | ${forget.filter((id) => start.has(id)).length} | ${(forget.reduce((a, id) => a + lossOf.get(id)!, 0) / forget.length).toExponential(2)} `
    + `| ${ds.classNames[top]} ${topCount} | ${mean.toFixed(2)} ± ${std.toFixed(2)} |`);
}
original.model.dispose();
progress.stop();
store.close();
console.log(['| forget set | of the 200 random starters kept | original\'s mean loss on it | largest class | retrain UA |', '|---|---:|---:|---|---:|', ...rows].join('\n'));
console.log(`\n${info.backend} backend, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
