// The worst-case search: its pure steps by hand, its lower level against an independent route, and the property
// that defines it (the set it picks is fitted better than the random set it starts from) on a trained model.
import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset, type Subset } from '../data/dataset.ts';
import { synthetic } from '../data/synthetic.ts';
import { initBackend } from '../engine/backend.ts';
import { copyOf } from '../models/graph.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import { pickSorted, rng } from '../shared/random.ts';
import { crossEntropy } from '../train/loss.ts';
import { predictProbs } from '../train/predict.ts';
import { CancelledError } from '../train/progress.ts';
import { trainableVars } from '../train/step.ts';
import { DEFAULT_RECIPE, train } from '../train/train.ts';
import { projectCapped, sampleLosses, selectWorstCase, topM, upperStep, weightedSignFt, type WorstCaseOptions } from './worst-case.ts';

const sum = (w: ArrayLike<number>) => Array.from(w).reduce((a, b) => a + b, 0);

describe('projectCapped: onto {0 ≤ w ≤ 1, Σw = m}', () => {
  it('hand-worked cases: a shift alone, and a shift with the cap at 1 active', () => {
    // μ = 0.35: 0.85 + 0.15 + 0 + 0 = 1.
    expect(Array.from(projectCapped(Float64Array.of(1.2, 0.5, 0.1, -0.3), 1))).toEqual([0.85, 0.15, 0, 0].map((v) => expect.closeTo(v, 12)));
    // μ = 0.3: 1 (capped) + 0.6 + 0.4 + 0 = 2.
    expect(Array.from(projectCapped(Float64Array.of(2, 0.9, 0.7, 0.1), 2))).toEqual([1, 0.6, 0.4, 0].map((v) => expect.closeTo(v, 12)));
    // Already feasible: unchanged.
    expect(Array.from(projectCapped(Float64Array.of(1, 0, 1, 0), 2))).toEqual([1, 0, 1, 0].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(projectCapped(Float64Array.of(0.3, 0.2), 0))).toEqual([0, 0]);
    expect(Array.from(projectCapped(Float64Array.of(0.3, 0.2), 2))).toEqual([1, 1]);
  });

  it('on random inputs: the sum is m, every weight in [0,1], and w = clip(a − μ) for one μ (the projection\'s optimality condition)', () => {
    const random = rng(7);
    for (let t = 0; t < 40; t++) {
      const n = 5 + Math.floor(random() * 60);
      const a = Float64Array.from({ length: n }, () => (random() - 0.3) * 3);
      const m = 1 + Math.floor(random() * (n - 1));
      const w = projectCapped(a, m);
      expect(sum(w)).toBeCloseTo(m, 9);
      for (const v of w) expect(v >= 0 && v <= 1).toBe(true);
      const shifts = Array.from(w).flatMap((v, i) => (v > 0 && v < 1 ? [a[i] - v] : []));
      const mu = shifts.length ? shifts[0] : NaN;
      for (const s of shifts) expect(s).toBeCloseTo(mu, 9);
      if (shifts.length) {
        w.forEach((v, i) => {
          if (v === 1) expect(a[i] - mu).toBeGreaterThanOrEqual(1 - 1e-9);
          if (v === 0) expect(a[i] - mu).toBeLessThanOrEqual(1e-9);
        });
      }
    }
  });

  it('a coarse tolerance leaves every weight within it of the exact projection (each w_i is 1-Lipschitz in μ)', () => {
    const random = rng(3);
    const a = Float64Array.from({ length: 200 }, () => random() * 2 - 0.5);
    const exact = projectCapped(a, 40, 1e-12);
    for (const tol of [0.3, 0.05, 1e-3]) {
      const rough = projectCapped(a, 40, tol);
      expect(Math.max(...rough.map((v, i) => Math.abs(v - exact[i])))).toBeLessThanOrEqual(tol);
    }
    expect(sum(exact)).toBeCloseTo(40, 10);
  });

  it('refuses an impossible sum or a non-finite weight', () => {
    expect(() => projectCapped(Float64Array.of(0.5, 0.5), 3)).toThrow(/the sum 3 must be in \[0, 2\]/);
    expect(() => projectCapped(Float64Array.of(0.5, NaN), 1)).toThrow(/weight NaN is not a finite number/);
  });
});

describe('the upper step', () => {
  it('a hand-worked step: w − lr_w(ℓ + 2γw), projected, and the top m', () => {
    const w = Float64Array.of(1, 0, 1, 0);
    const stepped = upperStep(w, [0.5, 0.2, 2, 0], 0.1, 0.5);
    expect(Array.from(stepped)).toEqual([0.85, -0.02, 0.7, 0].map((v) => expect.closeTo(v, 12)));
    // Σ clip(v − μ) = 2 at μ = −0.1175: 0.9675 + 0.0975 + 0.8175 + 0.1175.
    const projected = projectCapped(stepped, 2);
    expect(Array.from(projected)).toEqual([0.9675, 0.0975, 0.8175, 0.1175].map((v) => expect.closeTo(v, 9)));
    expect(Array.from(topM(projected, 2))).toEqual([0, 2]);
  });

  it('top m breaks ties by position', () => {
    expect(Array.from(topM(Float64Array.of(0.5, 0.9, 0.5, 0.5), 2))).toEqual([0, 1]);
    expect(Array.from(topM(Float64Array.of(0.2, 0.2, 0.2), 2))).toEqual([0, 1]);
  });
});

describe('on a trained model (synthetic data, MLP)', () => {
  const ds = synthetic();
  let model: Model;
  let data: Subset;
  const o: WorstCaseOptions = { epochs: 3, inner: 1, lr: 1e-3, lrw: 10, gamma: 0, batchSize: 128, seed: 1 };
  let initial: number[];

  beforeAll(async () => {
    await initBackend();
    data = subset(ds, idsOfSplit(ds, 'train'));
    model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
    await train(model, data, { ...DEFAULT_RECIPE, epochs: 3 }, { seed: 1 });
    initial = pickSorted(data.ids, 120, 5);
  });

  it('sampleLosses is −log p_y of the softmax', () => {
    const probs = predictProbs(model, data);
    const losses = sampleLosses(model, data);
    data.y.forEach((y, i) => expect(losses[i]).toBeCloseTo(-Math.log(probs[i * data.numClasses + y]), 4));
  });

  it('the lower level moves every weight by exactly lr or not at all, and not at all when every weight w_i is 1', async () => {
    const copy = copyOf(model);
    try {
      const before = copy.getWeights().map((t) => t.dataSync().slice());
      await weightedSignFt(copy, data, new Float64Array(data.y.length).fill(1), o, 't');
      copy.getWeights().forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(Array.from(before[k])));
      await weightedSignFt(copy, data, new Float64Array(data.y.length), { ...o, inner: 0.1 }, 't');
      const moved = copy.getWeights().flatMap((t, k) => Array.from(t.dataSync(), (v, i) => Math.abs(v - before[k][i])));
      for (const d of moved) expect(d < 1e-7 || Math.abs(d - o.lr) < 1e-6).toBe(true);
      expect(moved.filter((d) => d > 1e-7).length).toBeGreaterThan(moved.length / 2);
    } finally {
      copy.dispose();
    }
  });

  it('in one full batch, binary weights are sign-SGD on the samples whose weight is 0, by an independent route (mean CE of that subset)', async () => {
    const w = new Float64Array(data.y.length);
    for (let i = 0; i < w.length; i += 3) w[i] = 1;
    const a = copyOf(model);
    const b = copyOf(model);
    try {
      await weightedSignFt(a, data, w, { ...o, batchSize: data.y.length, inner: 1 }, 't');
      const kept = subset(ds, data.ids.filter((_, i) => w[i] === 0));
      tfc.tidy(() => {
        const vars = trainableVars(b);
        const x = tfc.tensor(kept.x, [kept.y.length, ...kept.inputShape]);
        const { grads } = tfc.variableGrads(() => crossEntropy(b.apply(x, { training: true }) as tfc.Tensor, tfc.tensor1d(kept.y, 'int32')), vars);
        for (const v of vars) v.assign(tfc.sub(v, tfc.mul(o.lr, tfc.sign(grads[v.name]))));
      });
      const [wa, wb] = [a, b].map((m) => m.getWeights().flatMap((t) => Array.from(t.dataSync())));
      const differ = wa.filter((v, i) => Math.abs(v - wb[i]) > 1e-7).length;
      // A sign can differ only where the two routes' gradients round differently around zero.
      expect(differ / wa.length).toBeLessThan(1e-3);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('with a negligible lower level, one upper epoch is top-m of the projected step from the original\'s losses', async () => {
    const lrw = 20;
    const r = await selectWorstCase(model, data, initial, { ...o, epochs: 1, lr: 1e-12, lrw });
    const probs = predictProbs(model, data);
    const losses = Array.from(data.y, (y, i) => -Math.log(probs[i * data.numClasses + y]));
    const start = Float64Array.from(data.ids, (id) => (initial.includes(id) ? 1 : 0));
    const w = projectCapped(Float64Array.from(start, (v, i) => v - lrw * losses[i]), initial.length);
    const expected = Array.from(topM(w, initial.length), (i) => data.ids[i]).sort((a, b) => a - b);
    expect(Array.from(r.ids)).toEqual(expected);
    expect(r.objective[0]).toBeCloseTo(sum(w.map((v, i) => v * losses[i])), 3);
  });

  it('picks samples the model fits better than the random set it starts from, and moves away from it', async () => {
    // The step must match the losses' scale: this model's are ~0.005 (the demo's ~0.2, hence the default 10), and at
    // lr_w = 10 the weights move 0.05 per epoch at most, so the top m is still the random start (120 of 120 kept).
    const r = await selectWorstCase(model, data, initial, { ...o, lrw: 1000 });
    const losses = sampleLosses(model, data);
    const at = new Map(Array.from(data.ids, (id, i) => [id, i]));
    const mean = (ids: ArrayLike<number>) => sum(Array.from(ids, (id) => losses[at.get(id)!])) / ids.length;
    expect(r.ids.length).toBe(120);
    expect(new Set(r.ids).size).toBe(120);
    expect(r.kept).toBeLessThan(80);
    expect((await selectWorstCase(model, data, initial, o)).kept).toBe(120);
    expect(mean(r.ids)).toBeLessThan(mean(initial) / 2);
    // The upper objective falls from epoch to epoch.
    expect(r.objective[2]).toBeLessThan(r.objective[0]);
  });

  it('the same inputs give the same set; the original is left as it was', async () => {
    const before = model.getWeights().map((t) => Array.from(t.dataSync()));
    const [a, b] = [await selectWorstCase(model, data, initial, o), await selectWorstCase(model, data, initial, o)];
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
    expect(a.objective).toEqual(b.objective);
    model.getWeights().forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(before[k]));
  });

  it('reports progress to the end and stops when cancelled', async () => {
    const seen: number[] = [];
    await selectWorstCase(model, data, initial, { ...o, epochs: 2 }, { onProgress: (p) => seen.push(p.done / p.total) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true);
    const abort = new AbortController();
    abort.abort();
    await expect(selectWorstCase(model, data, initial, o, { signal: abort.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('bad options and sizes are one clear error each', async () => {
    await expect(selectWorstCase(model, data, initial, { ...o, lr: NaN })).rejects.toThrow(/worst-case search: lr = NaN must be a number > 0/);
    await expect(selectWorstCase(model, data, initial, { ...o, gamma: -1 })).rejects.toThrow(/gamma = -1 must be a number ≥ 0/);
    await expect(selectWorstCase(model, data, initial, { ...o, epochs: 0 })).rejects.toThrow(/epochs = 0 must be an integer ≥ 1/);
    await expect(selectWorstCase(model, data, initial, { ...o, lrw: -0.01 })).rejects.toThrow(/lrw = -0\.01 must be a number > 0/);
    await expect(selectWorstCase(model, data, [], o)).rejects.toThrow(/the set size 0 must be in 1\.\.1199/);
    await expect(selectWorstCase(model, data, [1250], o)).rejects.toThrow(/initial id 1250 is not among the train samples/);
  });
});
