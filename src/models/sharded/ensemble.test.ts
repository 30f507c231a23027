import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashIds, idsOfSplit, subset } from '../../data/dataset.ts';
import { synthetic } from '../../data/synthetic.ts';
import { initBackend } from '../../engine/backend.ts';
import { predictProbs } from '../../train/predict.ts';
import { loadCheckpoint, saveCheckpoint, type NewMeta } from '../checkpoint.ts';
import type { Model } from '../layers.ts';
import { mlp } from '../mlp.ts';
import { buildModel } from '../registry.ts';
import { ensembleArch, ensembleOf, MeanSoftmax, parseEnsembleArch } from './ensemble.ts';

const root = mkdtempSync(join(tmpdir(), 'lethe-ensemble-'));
const ds = synthetic();
const trainIds = idsOfSplit(ds, 'train');
const N = 32;
const probe = subset(ds, Int32Array.from({ length: N }, (_, i) => 1200 + i));
const K = ds.numClasses;

let members: Model[] = [];
beforeAll(async () => {
  await initBackend();
  members = [1, 2, 3].map((seed) => mlp(ds.inputShape, K, seed));
});
afterAll(() => {
  members.forEach((m) => m.dispose());
  rmSync(root, { recursive: true, force: true });
});

/** The raw logits of `model` on `x`, as rows. */
function logits(model: Model, x: tfc.Tensor): number[][] {
  const out = model.predict(x) as tfc.Tensor;
  const rows = out.arraySync() as number[][];
  out.dispose();
  return rows;
}

/** softmax of one row in float64, by hand. */
function softmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** The mean over models of softmax(logits), by hand. */
function meanSoftmax(models: Model[], x: tfc.Tensor): number[][] {
  const per = models.map((m) => logits(m, x).map(softmax));
  return per[0].map((_, i) => per[0][i].map((_, k) => per.reduce((s, p) => s + p[i][k], 0) / per.length));
}

function probeTensor(): tfc.Tensor {
  return tfc.tensor(probe.x, [N, ...ds.inputShape]);
}

function expectClose(got: ArrayLike<number>, want: number[][], tol = 1e-6) {
  expect(got.length).toBe(want.length * want[0].length);
  let worst = 0;
  want.flat().forEach((w, i) => { worst = Math.max(worst, Math.abs(got[i] - w)); });
  expect(worst).toBeLessThan(tol);
}

function meta(arch: string): NewMeta {
  return {
    parent: null, kind: 'single', arch, dataset: { name: 'synthetic' }, inputShape: ds.inputShape, numClasses: K, seed: 1,
    trainHash: hashIds(trainIds), recipe: { epochs: 1, batchSize: 32, optimizer: 'adam', lr: 0.01, weightDecay: 0, momentum: 0.9 },
    method: 'train', params: {}, forget: null, metrics: {},
  };
}

const denseCount = (m: Model) => m.layers.filter((l) => l.getClassName() === 'Dense').length;

describe('ensembleOf', () => {
  it('members with different seeds really differ (so the mean is a real test)', () => {
    const x = probeTensor();
    const [a, b] = members.map((m) => logits(m, x));
    x.dispose();
    expect(Math.max(...a.flat().map((v, i) => Math.abs(v - b.flat()[i])))).toBeGreaterThan(1e-3);
  });

  it('softmax of its output is the mean of the members\' softmax', () => {
    const x = probeTensor();
    const want = meanSoftmax(members, x);
    const ens = ensembleOf(members);
    try {
      expect(ens.outputs[0].shape).toEqual([null, K]);
      const out = ens.predict(x) as tfc.Tensor;
      const probs = tfc.softmax(out);
      expectClose(probs.dataSync(), want);
      // the output is already log(mean): exp of it sums to one and is the mean too
      const e = tfc.exp(out);
      expectClose(e.dataSync(), want);
      // and predictProbs (the path predict/eval use) agrees
      expectClose(predictProbs(ens, probe), want);
      tfc.dispose([out, probs, e]);
    } finally {
      ens.dispose();
      x.dispose();
    }
  });

  it('has each member\'s layers renamed m<i>_ and one MeanSoftmax joining them', () => {
    const ens = ensembleOf(members);
    try {
      expect(denseCount(ens)).toBe(9);
      const names = ens.layers.map((l) => l.name);
      for (const i of [0, 1, 2]) for (const n of ['flatten', 'dense1', 'dense2', 'logits']) expect(names).toContain(`m${i}_${n}`);
      expect(names).toContain('logits');
      expect(ens.getLayer('logits')).toBeInstanceOf(MeanSoftmax);
      // weights are copied: member 1's first kernel is m1_dense1's kernel
      const want = members[1].getLayer('dense1').getWeights()[0].dataSync();
      const got = ens.getLayer('m1_dense1').getWeights()[0].dataSync();
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      // the members are left alone and still work
      const x = probeTensor();
      expect(logits(members[0], x)).toHaveLength(N);
      x.dispose();
    } finally {
      ens.dispose();
    }
  });

  it('a one-member ensemble reproduces the member\'s softmax', () => {
    const x = probeTensor();
    const want = logits(members[2], x).map(softmax);
    const ens = ensembleOf([members[2]]);
    try {
      expect(denseCount(ens)).toBe(3);
      expectClose(predictProbs(ens, probe), want);
    } finally {
      ens.dispose();
      x.dispose();
    }
  });

  it('no members is an error', () => {
    expect(() => ensembleOf([])).toThrow('an ensemble needs at least one live constituent');
  });

  it('saves and loads as a checkpoint with the same predictions, bit for bit', async () => {
    const ens = ensembleOf(members);
    const dir = join(root, 'ck');
    try {
      await saveCheckpoint(dir, ens, meta(ensembleArch(3, 'mlp')));
      expect(readdirSync(dir).sort()).toEqual(['meta.json', 'model.json', 'weights.bin']);
      const loaded = await loadCheckpoint(dir);
      try {
        expect(loaded.meta.arch).toBe('ensemble-3-mlp');
        expect(denseCount(loaded.model)).toBe(9);
        const want = predictProbs(ens, probe);
        const got = predictProbs(loaded.model, probe);
        expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
        const x = probeTensor();
        expectClose(got, meanSoftmax(members, x));
        x.dispose();
      } finally {
        loaded.model.dispose();
      }
    } finally {
      ens.dispose();
    }
  });
});

describe('ensemble architectures', () => {
  it('ensembleArch and parseEnsembleArch', () => {
    expect(ensembleArch(3, 'mlp')).toBe('ensemble-3-mlp');
    expect(parseEnsembleArch('ensemble-3-mlp')).toEqual({ live: 3, arch: 'mlp' });
    expect(parseEnsembleArch('ensemble-12-small-cnn')).toEqual({ live: 12, arch: 'small-cnn' });
    expect(parseEnsembleArch('ensemble-0-mlp')).toBeUndefined();
    expect(parseEnsembleArch('mlp')).toBeUndefined();
  });

  it('buildModel("ensemble-2-mlp") has two mlp branches, seeded seed and seed + 1', () => {
    const shape = [28, 28, 1];
    const ens = buildModel('ensemble-2-mlp', shape, 10, 1);
    const a = mlp(shape, 10, 1);
    const b = mlp(shape, 10, 2);
    const x = tfc.randomUniform([4, ...shape], 0, 1, 'float32', 5);
    try {
      expect(denseCount(ens)).toBe(6);
      expect(ens.inputs[0].shape).toEqual([null, 28, 28, 1]);
      expect(ens.outputs[0].shape).toEqual([null, 10]);
      // built members are disposed by buildModel; the ensemble's copied weights still predict their mean
      const out = ens.predict(x) as tfc.Tensor;
      const probs = tfc.softmax(out);
      expectClose(probs.dataSync(), meanSoftmax([a, b], x));
      tfc.dispose([out, probs]);
    } finally {
      [ens, a, b].forEach((m) => m.dispose());
      x.dispose();
    }
  });
});
