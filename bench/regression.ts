// npm run bench:regression — every method that serves regression on the committed diabetes set (Efron et al. 2004),
// side by side with retraining in one comparison per request: an MLP regressor trained 60 epochs at batch 32 (seed 1),
// target-range forgetting (progression ≥ 250, the analogue of Blindspot's "ages ≤ 30") and a random 10%, five seeds.
// Prints `lethe compare`'s regression table for each and checks the regression issue's ordering: Blindspot's forget-set
// L1 closer to retraining's than the original's and fine-tuning's. `--readme` writes the tables into README.md.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { terminalProgress } from '../src/cli/progress.ts';
import { initBackend } from '../src/engine/backend.ts';
import { tableMarkdown } from '../src/eval/table.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import { REGRESSION_SETTING } from '../src/jobs/demo-task.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'runs/bench-regression' },
    seeds: { type: 'string', default: '5' },
    forget: { type: 'string', multiple: true },
    readme: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/regression.json' },
  },
});
const info = await initBackend();
rmSync(values.dir, { recursive: true, force: true });
mkdirSync(values.dir, { recursive: true });
const progress = terminalProgress();
const ctx = (out: string) => ({ out: join(values.dir, out), modelDir: (d: string) => d, onProgress: progress });
const base = join(values.dir, 'base');
const trained = await runTask('train', parseTaskArgs('train', REGRESSION_SETTING.train, cliEnv), ctx('base'));
const blocks = [`Base: mlp on diabetes, ${REGRESSION_SETTING.train.epochs} epochs at batch ${REGRESSION_SETTING.train.batchSize}: train L1 ${trained.trainL1!.toFixed(2)}, test L1 ${trained.testL1!.toFixed(2)} (backend ${info.backend}).`];
const results: unknown[] = [];
let ordered = true;
for (const forget of values.forget ?? [REGRESSION_SETTING.forget, 'random:0.1:seed=1']) {
  const c = await runTask('compare', parseTaskArgs('compare', { original: base, forget, seeds: Number(values.seeds) }, cliEnv), ctx(`compare-${forget.replace(/[:=.]/g, '-')}`));
  blocks.push(tableMarkdown(c));
  const mean = (label: string) => c.table.find((r) => r.label === label)?.stats.forgetL1?.mean ?? NaN;
  const ref = c.table.find((r) => r.role === 'noise-floor')!.stats.forgetL1!.mean;
  const gap = (label: string) => Math.abs(mean(label) - ref);
  const line = `forget L1 (mean over ${c.seeds.length} seeds): original ${mean('original (do nothing)').toFixed(2)}, ft ${mean('ft').toFixed(2)}, blindspot ${mean('blindspot').toFixed(2)}, retrain ${ref.toFixed(2)}`;
  const ok = gap('blindspot') < gap('ft') && gap('blindspot') < gap('original (do nothing)');
  if (forget === REGRESSION_SETTING.forget) ordered &&= ok;
  blocks.push(`${line}: Blindspot ${ok ? 'is' : 'is NOT'} closer to retraining than the original and fine-tuning.`);
  results.push({ forget, table: c.table, seeds: c.seeds });
}
const text = blocks.join('\n\n');
console.log(`\n${text}\n`);
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out, JSON.stringify({ backend: info, setting: REGRESSION_SETTING, results }, null, 2) + '\n');
if (values.readme) {
  const block = /(<!-- REGRESSION-TABLES -->\n)[\s\S]*?(\n<!-- \/REGRESSION-TABLES -->)/;
  const readme = readFileSync('README.md', 'utf8');
  if (!block.test(readme)) throw new Error('README.md has no <!-- REGRESSION-TABLES --> markers');
  writeFileSync('README.md', readme.replace(block, (_, a: string, b: string) => a + text + b));
}
if (!ordered) process.exitCode = 1;
