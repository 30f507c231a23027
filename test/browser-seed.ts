// Seeds a store for the browser tests with a real comparison: a small MLP trained on the committed
// Fashion-MNIST subset (and a sharded ensemble of the same data), then compareTask (retrain + a few methods, two
// seeds) on one forgotten class.
import { join } from 'node:path';
import { CompareArgs, compareTask } from '../src/jobs/compare-task.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import type { Comparison } from '../src/shared/contract.ts';
import type { Store } from '../src/store/store.ts';

export const SEED_DATA = process.env.LETHE_BROWSER_DATA ?? 'fashion-mnist-mini';
export const SEED_METHODS = ['ft', 'ga', 'rl'];

export async function seedComparison(store: Store, home: string): Promise<Comparison> {
  const base = join(home, 'base');
  // A small training set and enough epochs that the original memorises it (train accuracy well above test).
  await trainTask(TrainArgs.parse({ data: SEED_DATA, trainSize: 600, model: 'mlp', epochs: 8, batchSize: 32, seed: 1 }), { store, out: base });
  // An exactly deletable model of the same data, for the compare form's "beside" choice.
  await trainTask(TrainArgs.parse({ data: SEED_DATA, trainSize: 600, model: 'mlp', epochs: 8, batchSize: 32, seed: 1, recipe: 'sharded:shards=2,slices=2' }), { store, out: join(home, 'sharded') });
  const args = CompareArgs.parse({ original: base, forget: { kind: 'class', classes: [1] }, methods: SEED_METHODS, seeds: 2 });
  const c = await compareTask(args, { store, out: join(home, 'compare'), modelDir: (d) => d });
  const full = store.getComparison(c.id);
  if (!full) throw new Error('the comparison was not stored');
  return full;
}
