// `npx tsx bench/profile.ts [--model small-cnn] [--steps 20] [--backend native]`: where one training
// step's time goes, kernel by kernel (tf.profile around our own train()), grouped by kernel name
// and input shapes, largest first. The wall time of the steps is printed beside the kernels' sum:
// the difference is the tfjs engine's own bookkeeping (tape, allocation, disposal).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { idsOfSplit, subset } from '../src/data/dataset.ts';
import { loadData } from '../src/data/registry.ts';
import { switchBackend, tf, type BackendName } from '../src/engine/backend.ts';
import { buildModel } from '../src/models/registry.ts';
import { DEFAULT_RECIPE, train } from '../src/train/train.ts';

const { values } = parseArgs({
  options: { model: { type: 'string', default: 'small-cnn' }, steps: { type: 'string', default: '20' }, backend: { type: 'string', default: 'native' }, top: { type: 'string', default: '25' } },
});
const steps = Number(values.steps);
const BATCH = DEFAULT_RECIPE.batchSize;
await switchBackend(values.backend as BackendName);
const ds = loadData({ name: 'fashion-mnist' });
const ids = idsOfSplit(ds, 'train').slice(0, (steps + 3) * BATCH);
const warm = subset(ds, ids.slice(0, 3 * BATCH));
const timed = subset(ds, ids.slice(3 * BATCH));
const net = buildModel(values.model as never, ds.inputShape, ds.numClasses, 0);
await train(net, warm, { ...DEFAULT_RECIPE, epochs: 1 }, { seed: 0 });

const t0 = performance.now();
await train(net, timed, { ...DEFAULT_RECIPE, epochs: 1 }, { seed: 1 });
const plain = (performance.now() - t0) / steps;

const info = await tf.profile(() => train(net, timed, { ...DEFAULT_RECIPE, epochs: 1 }, { seed: 2 }) as never);
const byKey = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`;
  const e = byKey.get(key) ?? { ms: 0, calls: 0 };
  e.ms += Number(k.kernelTimeMs);
  e.calls++;
  byKey.set(key, e);
}
const rows = [...byKey].sort((a, b) => b[1].ms - a[1].ms);
const kernelSum = rows.reduce((s, [, e]) => s + e.ms, 0) / steps;
console.log(`${values.model} on ${values.backend}, batch ${BATCH}: ${plain.toFixed(1)} ms per step unprofiled; kernels ${kernelSum.toFixed(1)} ms per step, ${(info.kernels.length / steps).toFixed(0)} calls`);
for (const [key, e] of rows.slice(0, Number(values.top))) console.log(`${(e.ms / steps).toFixed(2).padStart(8)} ms  ${String(e.calls / steps).padStart(3)}×  ${key}`);
