import { describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import { featureSize, idsOfSplit } from '../dataset.ts';
import { loadData } from '../registry.ts';
import { initBackend } from '../../engine/backend.ts';
import { applyProtection, parseProtection, protectionOf } from './index.ts';
import { kMeans, pullLoss } from './uc-key.ts';
import { perturb, type UcKey } from './uc.ts';

describe('Unlearnable Clusters: the parts', () => {
  it('perturb: x + δ clipped to [0, 1] and rounded to k/255 (worked by hand)', () => {
    // 0.5 + 0.05 = 0.55 → 140.25 → 140/255; 0.98 + 0.05 → 1; 0.01 − 0.05 → 0.
    expect(Array.from(perturb([0.5, 0.98, 0.01], [0.05, 0.05, -0.05]))).toEqual([140 / 255, 1, 0].map(Math.fround));
  });

  it('kMeans: two separated blobs are the two clusters, the centres their means; seeded', () => {
    const pts = Float32Array.from([0, 0, 0.1, 0, 0, 0.2, 5, 5, 5.2, 5, 5, 5.3]);
    const { assign, centres } = kMeans(pts, 6, 2, 2, 1);
    expect(new Set(assign.slice(0, 3)).size).toBe(1);
    expect(new Set(assign.slice(3)).size).toBe(1);
    expect(assign[0]).not.toBe(assign[3]);
    const a = assign[0];
    expect(centres[a * 2]).toBeCloseTo(0.1 / 3, 7);
    expect(centres[a * 2 + 1]).toBeCloseTo(0.2 / 3, 7);
    expect(centres[(1 - a) * 2]).toBeCloseTo(15.2 / 3, 6);
    expect(Array.from(kMeans(pts, 6, 2, 2, 1).assign)).toEqual(Array.from(assign));
    expect(() => kMeans(pts, 6, 2, 7, 1)).toThrow(/6 points into 7 clusters/);
  });

  it('pullLoss: KL(softmax(target) ‖ softmax(features)), by hand', async () => {
    await initBackend();
    // softmax([0, 0]) = [1/2, 1/2]; softmax([0, ln 3]) = [1/4, 3/4]: ½ ln 2 + ½ ln(2/3) = ½ ln(4/3).
    const v = tfc.tidy(() => pullLoss(tfc.tensor2d([[0, Math.log(3)]]), tfc.tensor1d([0, 0])).dataSync()[0]);
    expect(v).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
  });
});

describe('Unlearnable Clusters on the synthetic images', () => {
  const ds = loadData({ name: 'synthetic' });
  const source = { name: 'synthetic', hash: 'sha256:test' };
  const train = idsOfSplit(ds, 'train');
  const d = featureSize(ds.inputShape);

  it('clusters without labels, keeps every δ within ε, pulls each cluster toward the next centre, and is seeded', async () => {
    const spec = parseProtection('uc:eps=16:clusters=4:steps=60:seed=2');
    const events: { phase: string; done: number; total: number }[] = [];
    const p = await protectionOf(ds, spec, source, (e) => events.push(e));
    const key = p.key as UcKey;
    // Progress: the surrogate's training, then one event per cluster's perturbation.
    expect(events.some((e) => e.phase === 'uc: surrogate')).toBe(true);
    expect(events.filter((e) => e.phase === 'uc: perturbations').map((e) => [e.done, e.total])).toEqual([[0, 4], [1, 4], [2, 4], [3, 4]]);
    expect(key.deltas).toHaveLength(4);
    expect(key.clusters).toHaveLength(train.length);
    expect(new Set(key.clusters).size).toBe(4);
    for (const delta of key.deltas) {
      expect(delta).toHaveLength(d);
      expect(Math.max(...delta.map(Math.abs))).toBeLessThanOrEqual(16 / 255 + 1e-6);
    }
    // The defining property: with its δ, every cluster's features are closer (KL) to the next cluster's centre
    // (measured 19-22% closer on these 8x8 images; a zero δ would not pass).
    key.pull.clean.forEach((clean, k) => expect(key.pull.perturbed[k], `cluster ${k}`).toBeLessThan(0.9 * clean));
    const out = applyProtection(ds, p, 'uc');
    train.forEach((id, i) => {
      if (i % 97) return;
      expect(Array.from(out.x.subarray(id * d, (id + 1) * d))).toEqual(Array.from(perturb(ds.x.subarray(id * d, (id + 1) * d), key.deltas[key.clusters[i]])));
    });
    // Test images are untouched.
    const test = idsOfSplit(ds, 'test');
    expect(Array.from(out.x.subarray(test[0] * d, (test[0] + 1) * d))).toEqual(Array.from(ds.x.subarray(test[0] * d, (test[0] + 1) * d)));
    // The same seed gives the same key; another seed another.
    expect((await protectionOf(ds, spec, source)).key).toEqual(key);
    expect(((await protectionOf(ds, parseProtection('uc:eps=16:clusters=4:steps=60:seed=3'), source)).key as UcKey).deltas).not.toEqual(key.deltas);
  }, 60_000);

  it('a tampered key is refused, naming what is wrong', async () => {
    const spec = parseProtection('uc:clusters=3:steps=2:seed=1');
    const p = await protectionOf(ds, spec, source);
    const key = p.key as UcKey;
    const big = { ...key, deltas: key.deltas.map((x, k) => (k === 1 ? x.map(() => 0.5) : x)) };
    expect(() => applyProtection(ds, { ...p, key: big }, 'uc')).toThrow(/the perturbation of cluster 1 is not 64 values within ±16\/255/);
    expect(() => applyProtection(ds, { ...p, key: { ...key, clusters: key.clusters.slice(1) } }, 'uc')).toThrow(/assigns \d+ samples to clusters, the data set has \d+ train samples/);
    expect(() => applyProtection(ds, { ...p, key: { ...key, clusters: key.clusters.map(() => 5) } }, 'uc')).toThrow(/train sample 0 is in cluster 5, of 3/);
    expect(() => parseProtection('uc:eps=0')).toThrow(/eps must be in \(0, 255\]/);
    expect(() => parseProtection('uc:clusters=1')).toThrow(/clusters must be 2\.\.100/);
  }, 60_000);
});
