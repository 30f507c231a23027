// The contract of src/unlearn/method.ts for every method that takes analytic models, on a tiny seeded data set:
// never changes the original (weights or head state), deterministic, honours cancel, keeps the architecture.
import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAbortsPromptly } from '../../test/support/unlearn.ts';
import { idsOfSplit, subset } from '../data/dataset.ts';
import { resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { synthetic } from '../data/synthetic.ts';
import { initBackend } from '../engine/backend.ts';
import { fitHead } from '../models/analytic/fit.ts';
import { analyticArch } from '../models/analytic/model.ts';
import { cloneHead, type Head } from '../models/analytic/ridge.ts';
import { headOf } from '../models/analytic/state.ts';
import type { Meta } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import { DEFAULT_RECIPE } from '../train/train.ts';
import { CancelledError } from '../train/progress.ts';
import type { UnlearnContext } from './method.ts';
import { getMethod, METHOD_NAMES } from './registry.ts';

// More train samples than one 256-row batch, so a class request takes several downdates.
const ds = synthetic({ train: 1200, test: 200, classes: 4, seed: 3 });
const dim = 48;
const meta: Meta = {
  id: 'orig', parent: null, kind: 'analytic', arch: analyticArch(dim), dataset: { name: 'synthetic' }, inputShape: ds.inputShape,
  task: 'classification',   numClasses: ds.numClasses, seed: 1, trainHash: '', recipe: DEFAULT_RECIPE, head: { dim, gamma: 0.1, featureSeed: 1, rows: 1200 },
  method: 'train', params: {}, forget: null, metrics: {}, created: '', version: '',
};
let original: Model;
let head: Head;

function context(spec: ForgetSpec, extra: Partial<UnlearnContext> = {}): UnlearnContext {
  const sets = resolveForget(ds, spec);
  return { original, meta, head, data: meta.dataset, dataset: ds, sets, forget: subset(ds, sets.forget), retain: subset(ds, sets.retain), seed: 7, ...extra };
}

const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.dataSync()));

beforeAll(async () => {
  await initBackend();
  original = buildModel(meta.arch, ds.inputShape, ds.numClasses, 1);
  head = await fitHead(original, subset(ds, idsOfSplit(ds, 'train')), dim, 0.1);
});

const ANALYTIC = METHOD_NAMES.filter((name) => getMethod(name).accepts.includes('analytic'));

it('analytic models are served by the analytic method and by retrain (the reference)', () => {
  expect(ANALYTIC.sort()).toEqual(['analytic', 'retrain']);
});

describe.each(ANALYTIC)('method %s on an analytic model', (name) => {
  const method = getMethod(name);
  const defaults = method.params.parse({});

  it.each<ForgetSpec>([{ kind: 'class', classes: [1] }, { kind: 'ids', ids: [0, 5, 9, 13] }, { kind: 'random', fraction: 0.1, seed: 1 }])(
    'serves $kind requests, never changes the original or its head, returns an analytic model with a head', async (spec) => {
      const before = { w: weightsOf(original), head: cloneHead(head) };
      const out = await method.run(context(spec), defaults);
      try {
        expect(weightsOf(original)).toEqual(before.w);
        expect(head.R).toEqual(before.head.R);
        expect(head.W).toEqual(before.head.W);
        expect(out).not.toBe(original);
        expect(out.getWeights().map((w) => w.shape)).toEqual(original.getWeights().map((w) => w.shape));
        const h = headOf(out)!;
        expect(h.rows).toBe(1200 - resolveForget(ds, spec).forget.length);
        expect(Array.from(h.W).every(Number.isFinite)).toBe(true);
      } finally {
        out.dispose();
      }
    });

  it('gives the same head for the same request', async () => {
    const spec: ForgetSpec = { kind: 'random', count: 24, seed: 2 };
    const a = await method.run(context(spec), defaults);
    const b = await method.run(context(spec), defaults);
    expect(headOf(a)!.W).toEqual(headOf(b)!.W);
    expect(weightsOf(a)).toEqual(weightsOf(b));
    a.dispose();
    b.dispose();
  });

  it('stops promptly when aborted and leaves no tensors behind', async () => {
    await expectAbortsPromptly((extra) => method.run(context({ kind: 'class', classes: [2] }, extra), defaults));
  });
});
