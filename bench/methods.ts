// npm run bench:methods — every method on full Fashion-MNIST, side by side with retrain in one run.
// Checks the methods issue's claims: class forgetting (forget-test < 10%, retain-test within 3 points of the
// original) and speed (every approximate method at most a third of retrain's time on random 10% forgetting).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeSpec } from '../src/data/forget/index.ts';
import { parseForgetSpecFromCli as parseForgetSpec } from '../src/data/forget/read.ts';
import { initBackend } from '../src/engine/backend.ts';
import { loadCheckpoint } from '../src/models/checkpoint.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import { accuracies, prepareContext, runMethod } from '../src/unlearn/run.ts';
import { METHOD_NAMES } from '../src/unlearn/registry.ts';
import { classSummary } from './summary.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    forget: { type: 'string', multiple: true },
    methods: { type: 'string', default: 'all' },
    dir: { type: 'string', default: 'runs/bench-methods' },
    out: { type: 'string', default: 'bench/results/methods.json' },
  },
});
const epochs = Number(values.epochs);
const forgets = values.forget ?? ['random:0.1:seed=1', 'class:0', 'class:2', 'class:4', 'class:6', 'class:9'];
const methods = values.methods === 'all' ? METHOD_NAMES : values.methods.split(',');
const info = await initBackend();
mkdirSync(values.dir, { recursive: true });
const base = `${values.dir}/base-mlp-e${epochs}`;
if (!existsSync(`${base}/meta.json`)) {
  console.error(`training the base MLP on full Fashion-MNIST for ${epochs} epochs ...`);
  await trainTask(TrainArgs.parse({ data: 'fashion-mnist', model: 'mlp', epochs, seed: 1 }), { out: base });
}
const original = await loadCheckpoint(base);
const f = (v: number | undefined, d = 2) => (v === undefined ? '—' : v.toFixed(d));
const results: Record<string, unknown>[] = [];
console.log(`backend ${info.backend} (SIMD ${info.simd}); base: mlp, full Fashion-MNIST, ${epochs} epochs\n`);
for (const spec of forgets) {
  const ctx = prepareContext(original, parseForgetSpec(spec), 1);
  const orig = accuracies(original.model, ctx);
  console.log(`### ${describeSpec(ctx.sets.spec)} (${ctx.sets.forget.length} forget samples)\n`);
  console.log('| method | seconds | time / retrain | forget acc | retain acc | test acc | forget-test acc | retain-test acc |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(`| original | — | — | ${f(orig.forgetAcc)} | ${f(orig.retainAcc)} | ${f(orig.testAcc)} | ${f(orig.forgetTestAcc)} | ${f(orig.retainTestAcc)} |`);
  let retrainSeconds = NaN;
  for (const name of methods) {
    const r = await runMethod(ctx, name, {});
    const acc = accuracies(r.model, ctx);
    r.model.dispose();
    if (name === 'retrain') retrainSeconds = r.seconds;
    const ratio = r.seconds / retrainSeconds;
    console.log(`| ${name} | ${f(r.seconds, 1)} | ${f(ratio, 3)} | ${f(acc.forgetAcc)} | ${f(acc.retainAcc)} | ${f(acc.testAcc)} | ${f(acc.forgetTestAcc)} | ${f(acc.retainTestAcc)} |`);
    results.push({ forget: spec, method: name, seconds: r.seconds, ratio, ...acc, original: orig });
  }
  console.log('');
}
const summary = classSummary(results, methods, forgets);
if (summary) console.log(summary + '\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out, JSON.stringify({ backend: info, epochs, results }, null, 2));
original.model.dispose();
