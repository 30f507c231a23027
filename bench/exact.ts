// npm run bench:exact — exact deletion (SISA / S3T sharded ensembles, the analytic head) against the monolithic model
// trained on the same data, side by side in one run: accuracy, the time of a deletion against a full retrain (as
// ratios), accuracy after 1, 10 and 100 deletions, and S3T's deletion rate against its closed forms.
// Options: --epochs 3 (MLP), --cnn-epochs 1, --trials 10, --deletions 100, --dim 2048, --skip any of
// mlp,cnn,csv (settings) and sharded,analytic,backbone (sections), --out bench/results/exact.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { idsOfSplit } from '../src/data/dataset.ts';
import { resolveForget, type ForgetSpec } from '../src/data/forget/index.ts';
import { parseForgetSpecFromCli as parseForgetSpec } from '../src/data/forget/read.ts';
import { loadData } from '../src/data/registry.ts';
import type { DataRef } from '../src/data/registry.ts';

import { initBackend } from '../src/engine/backend.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import { loadCheckpoint, type Checkpoint } from '../src/models/checkpoint.ts';
import { deletionRate, harmonic, liveOf, planIds } from '../src/models/sharded/plan.ts';
import { shardsOf } from '../src/models/sharded/state.ts';
import { rng, sampleIndices, subSeed } from '../src/shared/random.ts';
import { deleteInSequence } from '../src/unlearn/continual.ts';
import { prepareContext, runMethod } from '../src/unlearn/run.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '3' },
    'cnn-epochs': { type: 'string', default: '1' },
    trials: { type: 'string', default: '10' },
    deletions: { type: 'string', default: '100' },
    dim: { type: 'string', default: '2048' },
    skip: { type: 'string', default: '' },
    /** The sharded models' slice schedule: budget (SISA's whole epochs) or steps (the same budget, unrounded). */
    schedule: { type: 'string', default: 'budget' },
    /** The analytic head keeps per-class statistics (recipe classStats=true): a whole class without its rows. */
    'class-stats': { type: 'boolean', default: false },
    dir: { type: 'string', default: 'runs/bench-exact' },
    out: { type: 'string', default: 'bench/results/exact.json' },
  },
});
const epochs = Number(values.epochs);
const cnnEpochs = Number(values['cnn-epochs']);
const trials = Number(values.trials);
const deletions = Number(values.deletions);
const dim = Number(values.dim);
const skip = new Set(values.skip.split(',').filter(Boolean));
for (const k of skip) if (!['mlp', 'cnn', 'csv', 'sharded', 'sisa10', 's3t', 'analytic', 'backbone'].includes(k)) throw new Error(`--skip: unknown part "${k}" (mlp, cnn, csv, sharded, sisa10, s3t, analytic, backbone)`);
const schedule = values.schedule;
if (!['budget', 'steps', 'stage'].includes(schedule)) throw new Error(`--schedule: budget, steps or stage, got "${schedule}"`);
const info = await initBackend();
const dir = values.dir;
mkdirSync(dir, { recursive: true });
const classStats = values['class-stats'];
const json: Record<string, unknown> = { backend: info, cores: availableParallelism(), epochs, cnnEpochs, trials, deletions, dim, schedule, classStats };
const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const print = (s = '') => console.log(s);

interface Setting { label: string; data: DataRef; arch: string; epochs: number }
const FASHION: DataRef = { name: 'fashion-mnist' };
const CSV: DataRef = { name: 'bench/data/digits.csv', labelColumn: 'digit' };
const settings: Setting[] = [
  ...(skip.has('mlp') ? [] : [{ label: 'Fashion-MNIST, mlp', data: FASHION, arch: 'mlp', epochs }]),
  ...(skip.has('cnn') ? [] : [{ label: 'Fashion-MNIST, small-cnn', data: FASHION, arch: 'small-cnn', epochs: cnnEpochs }]),
  ...(skip.has('csv') ? [] : [{ label: 'digits.csv (UCI, 8×8 digits, 64 columns), mlp', data: CSV, arch: 'mlp', epochs: 20 }]),
];

async function trained(name: string, s: Setting, recipe?: string): Promise<{ ck: Checkpoint; seconds: number; testAcc: number }> {
  const out = `${dir}/${name}`;
  const r = await trainTask(TrainArgs.parse({ data: s.data.name, labelColumn: s.data.labelColumn, model: s.arch, epochs: s.epochs, seed: 1, ...(recipe ? { recipe } : {}) }), { out });
  return { ck: await loadCheckpoint(out), seconds: r.seconds, testAcc: r.testAcc! };
}

const ids = (...xs: number[]): ForgetSpec => ({ kind: 'ids', ids: xs });
/** One random training sample. */
const ONE: ForgetSpec = { kind: 'random', count: 1, seed: 5 };
/** `n` distinct ids the model holds, in a seeded random order. */
function randomHeld(ck: Checkpoint, n: number, seed: number): number[] {
  const held = planIds(ck.shards!.plan);
  const pick = Array.from(sampleIndices(held.length, n, rng(subSeed(seed, 'bench'))), (i) => held[i]);
  const r = rng(subSeed(seed, 'bench-order'));
  return pick.map((id) => ({ id, k: r() })).sort((a, b) => a.k - b.k).map((x) => x.id);
}

const accRows: string[] = [];
const timeRows: string[] = [];
const afterRows: string[] = [];
const results: Record<string, unknown>[] = [];

for (const s of settings) {
  console.error(`\n== ${s.label}: ${s.epochs} epochs`);
  const mono = await trained(`${s.arch}-${s.data.name.replace(/\W/g, '_')}-mono`, s);
  const monoCtx = prepareContext(mono.ck, ONE, 1, {}, s.data);
  const monoRetrain = await runMethod(monoCtx, 'retrain', {});
  monoRetrain.model.dispose();
  const row: Record<string, unknown> = { setting: s.label, monolithic: { testAcc: mono.testAcc, trainSeconds: mono.seconds, retrainSeconds: monoRetrain.seconds } };
  accRows.push(`| ${s.label} | monolithic | ${f(mono.testAcc)} | ${f(mono.seconds, 1)} | — |`);

  for (const shards of skip.has('sharded') ? [] : skip.has('sisa10') ? [5] : [5, 10]) {
    const sh = await trained(`${s.arch}-${s.data.name.replace(/\W/g, '_')}-s${shards}${schedule === 'budget' ? '' : `-${schedule}`}`, s, `sharded:shards=${shards},slices=4,schedule=${schedule}`);
    accRows.push(`| ${s.label} | SISA S=${shards}, L=4 | ${f(sh.testAcc)} | ${f(sh.seconds, 1)} | ${f(sh.testAcc - mono.testAcc)} |`);
    row[`sisa${shards}`] = { testAcc: sh.testAcc, trainSeconds: sh.seconds };
    if (shards !== 5) {
      sh.ck.model.dispose();
      continue;
    }
    // One random id per trial, each from the original: the time of sisa against retraining the ensemble and the monolith.
    const times: number[] = [];
    for (const id of randomHeld(sh.ck, trials, 11)) {
      const r = await runMethod(prepareContext(sh.ck, ids(id), 1, {}, s.data), 'sisa', {});
      times.push(r.seconds);
      r.model.dispose();
    }
    // A request of 10 ids: sisa against the ensemble retrained from scratch without them (the same weights, checked).
    const ten = randomHeld(sh.ck, 10, 12);
    const tenCtx = prepareContext(sh.ck, ids(...ten), 1, {}, s.data);
    const sisaTen = await runMethod(tenCtx, 'sisa', {});
    const retrainTen = await runMethod(tenCtx, 'retrain', {});
    const same = sisaTen.model.getWeights().every((w, i) => {
      const a = w.dataSync();
      const b = retrainTen.model.getWeights()[i].dataSync();
      return a.length === b.length && a.every((v, j) => v === b[j]);
    });
    const touched = new Set(ten.map((id) => sh.ck.shards!.plan.shards.findIndex((x) => x.slices.some((sl) => sl.includes(id)))));
    const stages = shardsOf(sisaTen.model)!.fresh.size;
    sisaTen.model.dispose();
    retrainTen.model.dispose();
    const ensembleRetrain = retrainTen.seconds;
    timeRows.push(`| ${s.label} | SISA S=5, L=4: one random id (mean of ${trials}) | ${f(mean(times), 2)} | ${f(mean(times) / ensembleRetrain, 3)} | ${f(mean(times) / monoRetrain.seconds, 3)} |`);
    timeRows.push(`| ${s.label} | SISA S=5, L=4: 10 ids at once (${touched.size} shards, ${stages} stages trained; identical to retrain: ${same ? 'yes' : 'NO'}) | ${f(sisaTen.seconds, 2)} | ${f(sisaTen.seconds / ensembleRetrain, 3)} | ${f(sisaTen.seconds / monoRetrain.seconds, 3)} |`);
    timeRows.push(`| ${s.label} | retrain the S=5 ensemble from scratch | ${f(ensembleRetrain, 2)} | 1 | ${f(ensembleRetrain / monoRetrain.seconds, 3)} |`);
    timeRows.push(`| ${s.label} | retrain the monolithic model | ${f(monoRetrain.seconds, 2)} | — | 1 |`);
    row.sisaDeletion = { seconds: times, mean: mean(times), ensembleRetrainSeconds: ensembleRetrain, ten: { seconds: sisaTen.seconds, shards: touched.size, stages, identical: same } };

    // Accuracy after 1, 10 and 100 single-sample deletions, one after another (SISA, retrain mode).
    if (s.arch === 'mlp') {
      const at = new Map<number, number>();
      const seq = await deleteInSequence(sh.ck, randomHeld(sh.ck, deletions, 13).map((id) => [ids(id)]), {
        method: 'sisa', params: {}, data: s.data, onStep: (st) => { if ([1, 10, 100].includes(st.step)) at.set(st.step, st.testAcc); },
      });
      seq.model.dispose();
      afterRows.push(`| ${s.label} | SISA S=5, L=4 | ${f(sh.testAcc)} | ${[1, 10, 100].map((k) => f(at.get(k) ?? NaN)).join(' | ')} | ${f(mean(seq.steps.map((x) => x.seconds)), 2)} |`);
      row.sisaAfter = Object.fromEntries(at);
    }
    sh.ck.model.dispose();
  }

  // S3T, B = L = 4: each request served from the deepest surviving prefix; training only when a shard has none left.
  if (!skip.has('sharded') && !skip.has('s3t')) {
  const s3t = await trained(`${s.arch}-${s.data.name.replace(/\W/g, '_')}-s3t${schedule === 'budget' ? '' : `-${schedule}`}`, s, `sharded:shards=5,slices=4,orders=4,schedule=${schedule}`);
  accRows.push(`| ${s.label} | S3T S=5, L=4, B=4 | ${f(s3t.testAcc)} | ${f(s3t.seconds, 1)} | ${f(s3t.testAcc - mono.testAcc)} |`);
  {
    const n = s.arch === 'mlp' ? deletions : Math.min(deletions, 30);
    const times: number[] = [];
    let untrained = 0;
    let trainedSoFar = 0;
    const at = new Map<number, number>();
    const seq = await deleteInSequence(s3t.ck, randomHeld(s3t.ck, n, 13).map((id) => [ids(id)]), {
      method: 'sisa', params: { mode: 'prefix' }, data: s.data,
      onStep: (st, model) => {
        times.push(st.seconds);
        const stages = shardsOf(model)!.fresh.size;
        if (stages === trainedSoFar) untrained++;
        trainedSoFar = stages;
        if ([1, 10, 100].includes(st.step)) at.set(st.step, st.testAcc);
      },
    });
    const final = shardsOf(seq.model)!;
    const dead = final.plan.shards.filter((_, i) => !liveOf(final.plan, i)).length;
    seq.model.dispose();
    timeRows.push(`| ${s.label} | S3T S=5, L=4, B=4, mode=prefix: median of ${n} requests in sequence (${untrained} served with no training) | ${f(median(times), 3)} | — | ${f(median(times) / monoRetrain.seconds, 4)} |`);
    if (at.size) afterRows.push(`| ${s.label} | S3T S=5, L=4, B=4 (prefix) | ${f(s3t.testAcc)} | ${[1, 10, 100].map((k) => f(at.get(k) ?? NaN)).join(' | ')} | ${f(mean(times), 3)} |`);
    row.s3t = { testAcc: s3t.testAcc, trainSeconds: s3t.seconds, requestSeconds: times, after: Object.fromEntries(at), deadShards: dead };
  }
  s3t.ck.model.dispose();
  }

  // The analytic head: random ReLU features of dimension `dim`, ridge head in float64.
  if (!skip.has('analytic') && s.arch === 'mlp') {
    const an = await trained(`analytic-${s.data.name.replace(/\W/g, '_')}${classStats ? '-cs' : ''}`, s, `analytic:dim=${dim},gamma=0.1${classStats ? ',classStats=true' : ''}`);
    const anLabel = `analytic, random features D=${dim}${classStats ? ', classStats' : ''}`;
    accRows.push(`| ${s.label.replace(', mlp', '')} | ${anLabel} | ${f(an.testAcc)} | ${f(an.seconds, 1)} | ${f(an.testAcc - mono.testAcc)} |`);
    const one = await runMethod(prepareContext(an.ck, ONE, 1, {}, s.data), 'analytic', {});
    one.model.dispose();
    timeRows.push(`| ${s.label.replace(', mlp', '')} | analytic D=${dim}${classStats ? ', classStats' : ''}: one sample | ${f(one.seconds * 1000, 1)} ms | — | ${f(one.seconds / monoRetrain.seconds, 5)} |`);
    const big: [string, ForgetSpec][] = [['class 1', { kind: 'class', classes: [1] }]];
    if (s.data === FASHION) big.unshift(['1,000 random samples', { kind: 'random', count: 1000, seed: 1 }]);
    const an2: Record<string, unknown> = { testAcc: an.testAcc, oneSampleSeconds: one.seconds };
    for (const [what, spec] of big) {
      const ctx = prepareContext(an.ck, spec, 1, {}, s.data);
      const del = await runMethod(ctx, 'analytic', {});
      const refit = await runMethod(ctx, 'retrain', {});
      del.model.dispose();
      refit.model.dispose();
      timeRows.push(`| ${s.label.replace(', mlp', '')} | analytic D=${dim}${classStats ? ', classStats' : ''}: ${what} (${ctx.sets.forget.length} rows) against a refit of the head: ${f(refit.seconds / del.seconds, 1)}× faster | ${f(del.seconds, 2)} | ${f(del.seconds / refit.seconds, 3)} (refit) | ${f(del.seconds / monoRetrain.seconds, 3)} |`);
      an2[what] = { seconds: del.seconds, refitSeconds: refit.seconds };
    }
    row.analytic = an2;
    an.ck.model.dispose();
  }
  // The analytic head on a core-trained backbone: the MLP trained on a declared non-deletable 20% core only.
  if (!skip.has('backbone') && s.arch === 'mlp' && s.data === FASHION) {
    const coreSpec = 'random:0.2:seed=1';
    const coreDir = `${dir}/core-mlp`;
    const core = await trainTask(TrainArgs.parse({ data: s.data.name, model: 'mlp', epochs: s.epochs, seed: 1, core: coreSpec }), { out: coreDir });
    const bb = await trained('analytic-backbone', s, `analytic:backbone=${coreDir},dim=${dim},gamma=0.1`);
    accRows.push(`| Fashion-MNIST | the core backbone alone (mlp on ${coreSpec}) | ${f(core.testAcc!)} | ${f(core.seconds, 1)} | ${f(core.testAcc! - mono.testAcc)} |`);
    accRows.push(`| Fashion-MNIST | analytic, core-trained mlp backbone + D=${dim} | ${f(bb.testAcc)} | ${f(bb.seconds, 1)} | ${f(bb.testAcc - mono.testAcc)} |`);
    const data = loadData(s.data);
    const coreIds = new Set(resolveForget(data, parseForgetSpec(coreSpec)).forget);
    const free = idsOfSplit(data, 'train').filter((id) => !coreIds.has(id));
    const one = await runMethod(prepareContext(bb.ck, ids(free[0]), 1, {}, s.data), 'analytic', {});
    one.model.dispose();
    timeRows.push(`| Fashion-MNIST | analytic on the core backbone D=${dim}: one sample | ${f(one.seconds * 1000, 1)} ms | — | ${f(one.seconds / monoRetrain.seconds, 5)} |`);
    const pick = Array.from(sampleIndices(free.length, 1000, rng(7)), (i) => free[i]);
    const ctx = prepareContext(bb.ck, ids(...pick), 1, {}, s.data);
    const del = await runMethod(ctx, 'analytic', {});
    const refit = await runMethod(ctx, 'retrain', {});
    del.model.dispose();
    refit.model.dispose();
    timeRows.push(`| Fashion-MNIST | analytic on the core backbone D=${dim}: 1,000 random non-core samples against a refit: ${f(refit.seconds / del.seconds, 1)}× faster | ${f(del.seconds, 2)} | ${f(del.seconds / refit.seconds, 3)} (refit) | ${f(del.seconds / monoRetrain.seconds, 3)} |`);
    row.backbone = { coreTestAcc: core.testAcc, testAcc: bb.testAcc, oneSampleSeconds: one.seconds, thousand: { seconds: del.seconds, refitSeconds: refit.seconds } };
    bb.ck.model.dispose();
  }
  mono.ck.model.dispose();
  results.push(row);
}

// S3T's deletion rate: requests until no shard has a live model, against the closed forms.
const rateRows: string[] = [];
const rates: Record<string, unknown>[] = [];
for (const [S, L] of [[5, 4], [5, 6], [10, 4]]) {
  for (let B = 1; B <= L; B++) {
    const counts = deletionRate(S, L, B, 2000, 1);
    const closed = B === 1 ? S * L * harmonic(S) : B === L ? S * L * harmonic(S * L) : NaN;
    const sd = Math.sqrt(mean(counts.map((c) => (c - mean(counts)) ** 2)));
    rateRows.push(`| ${S} | ${L} | ${B} | ${f(mean(counts), 1)} ± ${f(sd, 1)} | ${Number.isFinite(closed) ? `${f(closed, 1)} (${B === 1 ? 'S·L·H(S)' : 'S·L·H(S·L)'})` : '—'} |`);
    rates.push({ S, L, B, mean: mean(counts), sd, closed });
  }
}

print(`backend ${info.backend}, ${availableParallelism()} cores, one process; epochs: MLP ${epochs}, small-cnn ${cnnEpochs}, digits.csv 20; sharded models spend the same epoch budget (SISA's schedule over their slice stages)\n`);
print('#### Accuracy against the monolithic model on the same data\n');
print('| data, model | kind | test acc % | train s | vs monolithic (points) |');
print('|---|---|---:|---:|---:|');
accRows.forEach((r) => print(r));
print('\n#### The time of one deletion\n');
print('| data, model | deletion | seconds | / ensemble retrain | / monolithic retrain |');
print('|---|---|---:|---:|---:|');
timeRows.forEach((r) => print(r));
print(`\n#### Test accuracy after k single-sample deletions, one after another\n`);
print('| data, model | kind | before | k=1 | k=10 | k=100 | mean s per request |');
print('|---|---|---:|---:|---:|---:|---:|');
afterRows.forEach((r) => print(r));
print('\n#### S3T deletion rate: requests until no shard has a live model (2,000 random sequences)\n');
print('| S | L | B | simulated | closed form |');
print('|---:|---:|---:|---:|---|');
rateRows.forEach((r) => print(r));
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out, JSON.stringify({ ...json, skip: [...skip], results, rates }, null, 2));
print(`\nwritten to ${values.out}`);
