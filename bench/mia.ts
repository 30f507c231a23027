// npm run bench:mia — how noisy MIA-efficacy is at the attack's sample size, and how much of the retrain noise
// floor that noise makes. On an MLP trained 10 epochs on all of Fashion-MNIST with forget random:0.1:seed=1 (the
// setting where the noise was found), for the original and two retrained models (seeds 1, 2): MIA-efficacy with
// 2,000 shadow samples per class (Lethe's old default) and with the reference's sizes (every test sample, as many
// retain samples), over several shadow seeds; then the retrain-vs-retrain avgGap (|dUA|, |dRA|, |dTA|, |dMIA|
// averaged) at each size. The attack's time (fit and predictions, median over its runs) is printed for information.
//
//   npx tsx bench/mia.ts [--dir runs/bench-mia] [--shadow-seeds 5] [--out bench/results/mia.json]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { terminalProgress } from '../src/cli/progress.ts';
import { parseForgetSpec } from '../src/data/forget/index.ts';
import { initBackend } from '../src/engine/backend.ts';
import { accuracy } from '../src/eval/accuracy.ts';
import { trueClassConfidence } from '../src/eval/features.ts';
import { miaEfficacy } from '../src/eval/mia.ts';
import type { Evidence } from '../src/eval/metrics.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import { measureEvidence } from '../src/measure/measure.ts';
import { loadCheckpoint } from '../src/models/checkpoint.ts';
import { Store } from '../src/store/store.ts';
import { prepareContext } from '../src/unlearn/run.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'runs/bench-mia' },
    forget: { type: 'string', default: 'random:0.1:seed=1' },
    'shadow-seeds': { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results/mia.json' },
  },
});
const info = await initBackend();
mkdirSync(values.dir, { recursive: true });
const store = new Store(join(values.dir, 'lethe.db'));
const progress = terminalProgress();
const ctx = (out: string) => ({ out: join(values.dir, out), store, modelDir: (d: string) => d, onProgress: progress });
const base = join(values.dir, 'base');
if (!existsSync(join(base, 'meta.json'))) await runTask('train', parseTaskArgs('train', { data: 'fashion-mnist', model: 'mlp', epochs: 10, seed: 1 }, cliEnv), ctx('base'));
const models: Record<string, string> = { original: base };
for (const seed of [1, 2]) {
  const out = join(values.dir, `retrain-${seed}`);
  if (!existsSync(join(out, 'meta.json'))) await runTask('unlearn', parseTaskArgs('unlearn', { model: base, forget: values.forget, method: 'retrain', seed }, cliEnv), ctx(`retrain-${seed}`));
  models[`retrain seed ${seed}`] = out;
}

const evidence: Record<string, Evidence> = {};
for (const [name, dir] of Object.entries(models)) {
  const c = await loadCheckpoint(dir);
  evidence[name] = measureEvidence(c.model, prepareContext(c, parseForgetSpec(values.forget), 1));
  c.model.dispose();
}

const SIZES = [{ label: '2,000 per class (old default)', max: 2000 }, { label: "reference's sizes", max: Infinity }];
const seeds = Array.from({ length: Number(values['shadow-seeds']) }, (_, i) => i + 1);
const conf = (x: Evidence, set: 'retain' | 'test' | 'forget') => trueClassConfidence(x[set].probs, x[set].labels, x.numClasses);
const mia = (x: Evidence, seed: number, max: number) => {
  const t = performance.now();
  const r = miaEfficacy({ retain: conf(x, 'retain'), test: conf(x, 'test'), forget: conf(x, 'forget') }, { seed, maxPerClass: max });
  return { ...r, seconds: (performance.now() - t) / 1000 };
};
const acc = (x: Evidence, set: 'retain' | 'test' | 'forget') => accuracy(x[set].probs, x[set].labels, x.numClasses);
const stats = (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) });
const fmt = (s: { mean: number; min: number; max: number }, d = 2) => `${s.mean.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;

const [r1, r2] = [evidence['retrain seed 1'], evidence['retrain seed 2']];
const fixedGap = Math.abs((100 - acc(r1, 'forget')) - (100 - acc(r2, 'forget'))) + Math.abs(acc(r1, 'retain') - acc(r2, 'retain')) + Math.abs(acc(r1, 'test') - acc(r2, 'test'));
const rows: Record<string, unknown>[] = [];
const lines = [
  `backend: ${info.summary}; forget ${values.forget}; ${seeds.length} shadow seeds; MIA-efficacy in %, mean (min–max over shadow seeds)`, '',
  `| shadow samples | members / non-members | ${Object.keys(models).map((m) => `MIA ${m}`).join(' | ')} | retrain floor avgGap | one attack, s (median) |`,
  `|---|---:|${Object.keys(models).map(() => '---:').join('|')}|---:|---:|`,
];
for (const size of SIZES) {
  const per: Record<string, number[]> = {};
  let m = 0;
  const times: number[] = [];
  for (const [name, x] of Object.entries(evidence)) {
    per[name] = seeds.map((s) => {
      const r = mia(x, s, size.max);
      m = r.shadowPerClass;
      times.push(r.seconds);
      return r.mia;
    });
  }
  const floors = seeds.map((_, k) => (fixedGap + Math.abs(per['retrain seed 1'][k] - per['retrain seed 2'][k])) / 4);
  const seconds = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  const row = { size: size.label, perClass: m, mia: Object.fromEntries(Object.entries(per).map(([k, v]) => [k, stats(v)])), floor: stats(floors), fitSeconds: seconds };
  rows.push(row);
  lines.push(`| ${size.label} | ${m.toLocaleString('en-US')} | ${Object.keys(models).map((k) => fmt(stats(per[k]))).join(' | ')} | ${fmt(row.floor)} | ${seconds.toFixed(2)} |`);
}
lines.push('', `retrain seed 1 vs seed 2 without MIA: |dUA| + |dRA| + |dTA| = ${fixedGap.toFixed(2)} points`);
console.log(lines.join('\n'));
writeFileSync(values.out, JSON.stringify({ backend: info.summary, forget: values.forget, shadowSeeds: seeds, rows, fixedGap }, null, 2) + '\n');
console.log(`results written to ${values.out}`);
store.close();
