// npm run bench:sam — sharpness-aware forgetting (--param sharpness=ρ) against the plain gradient, on the methods
// that optimise a forget loss: forget, retain and test accuracy after unlearning, and forget accuracy after the
// relearning attack (32 forget samples, 10 Adam steps at 1e-3: src/measure/relearn.ts). The claim (Fan et al.,
// ICML 2025) is that SAM's forgetting survives relearning: a lower relearn accuracy at a similar forget accuracy.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseForgetSpecFromCli as parseForgetSpec } from '../src/data/forget/read.ts';
import { initBackend } from '../src/engine/backend.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { DEMO_SETTING } from '../src/jobs/demo-task.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import { relearnAttack } from '../src/measure/relearn.ts';
import { copyOf } from '../src/models/graph.ts';
import { loadCheckpoint } from '../src/models/checkpoint.ts';
import { accuracies, prepareContext, runMethod } from '../src/unlearn/run.ts';

const { values } = parseArgs({
  options: {
    methods: { type: 'string', default: 'ga,neggrad-plus,scrub' },
    rho: { type: 'string', default: '0,0.01,0.05,0.1' },
    forget: { type: 'string', multiple: true },
    seeds: { type: 'string', default: '3' },
    dir: { type: 'string', default: 'runs/bench-sam' },
  },
});
const info = await initBackend();
const base = join(values.dir, 'base-demo');
if (!existsSync(join(base, 'meta.json'))) await runTask('train', parseTaskArgs('train', DEMO_SETTING.train, cliEnv), { out: base, modelDir: (d) => d });
const original = await loadCheckpoint(base);
const scratch = copyOf(original.model);
const rhos = values.rho.split(',').map(Number);
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => 1001 + i);
const f = (v: number) => v.toFixed(2);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const lines = [`backend: ${info.summary}; base: the demo's MLP (first 2,000 images, 40 epochs); mean over seeds ${seeds.join(', ')}`, ''];
const results: Record<string, unknown>[] = [];
for (const spec of values.forget ?? ['class:4', 'random:0.1:seed=1']) {
  lines.push(`### ${spec}`, '', '| method | ρ | forget acc | retain acc | test acc | forget acc after relearning | seconds |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const method of values.methods.split(',')) {
    for (const rho of rhos) {
      const rows: { forgetAcc: number; retainAcc: number; testAcc: number; relearn: number; seconds: number }[] = [];
      for (const seed of seeds) {
        const ctx = prepareContext(original, parseForgetSpec(spec), seed);
        const r = await runMethod(ctx, method, { sharpness: rho });
        rows.push({ ...accuracies(r.model, ctx), relearn: relearnAttack(r.model, scratch, ctx.forget, ctx.dataset, { seed }), seconds: r.seconds });
        r.model.dispose();
      }
      const m = (k: 'forgetAcc' | 'retainAcc' | 'testAcc' | 'relearn' | 'seconds') => mean(rows.map((x) => x[k]));
      lines.push(`| ${method} | ${rho} | ${f(m('forgetAcc'))} | ${f(m('retainAcc'))} | ${f(m('testAcc'))} | ${f(m('relearn'))} | ${f(m('seconds'))} |`);
      results.push({ forget: spec, method, rho, rows });
      console.error(lines[lines.length - 1]);
    }
  }
  lines.push('');
}
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/sam.json', JSON.stringify({ date: new Date().toISOString(), backend: info, results }, null, 2) + '\n');
scratch.dispose();
original.model.dispose();
