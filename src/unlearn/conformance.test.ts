// One suite, every registered method that takes single networks: the contract of src/unlearn/method.ts on a tiny
// seeded data set. Methods for other model kinds pass ./conformance-analytic.test.ts and ./conformance-sharded.test.ts.
import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAbortsPromptly } from '../../test/support/unlearn.ts';
import { idsOfSplit, subset } from '../data/dataset.ts';
import { resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { synthetic } from '../data/synthetic.ts';
import { initBackend } from '../engine/backend.ts';
import type { Meta } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import { CancelledError, type Progress } from '../train/progress.ts';
import { train } from '../train/train.ts';
import type { UnlearnContext } from './method.ts';
import { getMethod, METHOD_NAMES } from './registry.ts';

const ds = synthetic({ train: 240, test: 80, classes: 4, seed: 3 });
const recipe = { epochs: 2, batchSize: 32, optimizer: 'adam' as const, lr: 3e-3, weightDecay: 0, momentum: 0.9 };
const meta: Meta = {
  id: 'orig', parent: null, kind: 'single', arch: 'mlp', dataset: { name: 'synthetic' }, inputShape: ds.inputShape, task: 'classification', numClasses: ds.numClasses,
  seed: 1, trainHash: '', recipe, method: 'train', params: {}, forget: null, metrics: {}, created: '', version: '',
};
let original: Model;

function context(spec: ForgetSpec, extra: Partial<UnlearnContext> = {}): UnlearnContext {
  const sets = resolveForget(ds, spec);
  return { original, meta, data: meta.dataset, dataset: ds, sets, forget: subset(ds, sets.forget), retain: subset(ds, sets.retain), seed: 7, ...extra };
}

const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.dataSync()));

beforeAll(async () => {
  await initBackend();
  original = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
  await train(original, subset(ds, idsOfSplit(ds, 'train')), recipe, { seed: 1 });
});

const specs: ForgetSpec[] = [
  { kind: 'class', classes: [1] },
  { kind: 'random', fraction: 0.1, seed: 1 },
  { kind: 'ids', ids: [0, 5, 9, 13] },
  { kind: 'group', groups: [ds.group[0]] },
];

const SINGLE = METHOD_NAMES.filter((name) => getMethod(name).accepts.includes('single'));

it('every method takes single networks, analytic or sharded models (the kinds a conformance suite covers)', () => {
  for (const name of METHOD_NAMES) expect(getMethod(name).accepts.some((k) => k === 'single' || k === 'analytic' || k === 'sharded'), name).toBe(true);
});

describe.each(SINGLE)('method %s', (name) => {
  const method = getMethod(name);
  const defaults = method.params.parse({});

  it('has a paper, a summary and defaults for every parameter', () => {
    expect(method.paper.length).toBeGreaterThan(10);
    expect(method.summary.length).toBeGreaterThan(5);
    expect(method.params.safeParse({ noSuchParam: 1 }).success).toBe(false);
  });

  it.each(specs)('serves $kind requests, never changes the original, keeps the architecture', async (spec) => {
    const before = weightsOf(original);
    const ctx = context(spec);
    const out = await method.run(ctx, defaults);
    try {
      expect(weightsOf(original)).toEqual(before);
      expect(out).not.toBe(original);
      expect(out.layers.map((l) => l.getClassName())).toEqual(original.layers.map((l) => l.getClassName()));
      expect(out.getWeights().map((w) => w.shape)).toEqual(original.getWeights().map((w) => w.shape));
      for (const w of out.getWeights()) expect(Array.from(w.dataSync()).every(Number.isFinite)).toBe(true);
    } finally {
      out.dispose();
    }
  });

  it('gives the same weights for the same seed, and reports progress', async () => {
    const events: Progress[] = [];
    const spec: ForgetSpec = { kind: 'random', count: 24, seed: 2 };
    const a = await method.run(context(spec, { onProgress: (p) => events.push(p) }), defaults);
    const b = await method.run(context(spec), defaults);
    try {
      expect(weightsOf(a)).toEqual(weightsOf(b));
      expect(events.length).toBeGreaterThan(0);
      const last = events.at(-1)!;
      expect(last.done).toBe(last.total);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('stops promptly when aborted and leaves no tensors behind', async () => {
    await expectAbortsPromptly((extra) => method.run(context({ kind: 'class', classes: [2] }, extra), defaults));
  });
});
