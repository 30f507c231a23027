// Unlearnable Clusters (Zhang, Ma, Yang, Xu, Ma, Zheng & Jiang, "Unlearnable Clusters: Towards Label-agnostic
// Unlearnable Examples", CVPR 2023), reimplemented from the paper's description with the CPU-scale changes of
// ../shared/papers.md §7b: the training images are clustered (k-means, K = 10) in a surrogate model's features without
// their labels, and every image of cluster k gets one perturbation δ_k (L∞ ≤ ε) that pulls its surrogate features
// toward another cluster's centre. Here δ_k is optimised directly (Adam) instead of by a generator network.
//
// This file is pure (the record, its checks, applying it); making the key trains a surrogate, in ./uc-key.ts.
import { z } from 'zod';
import { featureSize, idsOfSplit } from '../dataset.ts';
import type { ProtectionMethod } from './method.ts';

const Params = z.object({
  /** The L∞ budget in pixel levels of 255 (the paper's 16/255). */
  eps: z.number().gt(0).max(255).finite(),
  clusters: z.number().int().min(2).max(100),
  /** Adam steps per cluster's perturbation. */
  steps: z.number().int().min(1).max(100_000),
  seed: z.number().int(),
}).strict();
export type UcParams = z.infer<typeof Params>;
/** One perturbation per cluster (features in the data set's order), and the cluster of every train sample in id order. */
const Key = z.object({
  deltas: z.array(z.array(z.number().finite())),
  clusters: z.array(z.number().int().min(0)),
  /** Per cluster, the pull loss (KL to the next centre) on up to 512 of its images, clean and perturbed: how well δ worked. */
  pull: z.object({ clean: z.array(z.number()), perturbed: z.array(z.number()) }).strict(),
}).strict();
export type UcKey = z.infer<typeof Key>;

/** Pixel levels of the output, as CUDA's: features are on [0, 1] as the IDX loader's v/255, so 8-bit images stay 8-bit. */
const LEVELS = 255;

/** x + δ clipped to [0, 1] and rounded to the nearest of 256 levels. */
export function perturb(x: ArrayLike<number>, delta: ArrayLike<number>): Float32Array {
  return Float32Array.from({ length: x.length }, (_, i) => Math.round(Math.min(1, Math.max(0, x[i] + delta[i])) * LEVELS) / LEVELS);
}

export const uc: ProtectionMethod<UcParams, UcKey> = {
  name: 'uc',
  summary: 'k-means of the train images in a surrogate MLP\'s features (labels unused), then per cluster one perturbation (L∞ ≤ eps/255, Adam on the surrogate) that pulls the cluster\'s features toward the next cluster\'s centre; added to every image of the cluster',
  form: 'uc[:eps=16][:clusters=10][:steps=200][:seed=S]',
  paper: 'Zhang et al., "Unlearnable Clusters: Towards Label-agnostic Unlearnable Examples", CVPR 2023',
  options: ['eps', 'clusters', 'steps', 'seed'],
  params: Params,
  key: Key,
  parse(o, { num, int }) {
    const p = {
      eps: o.eps === undefined ? 16 : num(o.eps, 'eps'),
      clusters: o.clusters === undefined ? 10 : int(o.clusters, 'clusters'),
      steps: o.steps === undefined ? 200 : int(o.steps, 'steps'),
      seed: o.seed === undefined ? 0 : int(o.seed, 'seed'),
    };
    if (!(p.eps > 0 && p.eps <= 255)) throw new Error(`eps must be in (0, 255] pixel levels, got ${o.eps}`);
    if (p.clusters < 2 || p.clusters > 100) throw new Error(`clusters must be 2..100, got ${o.clusters}`);
    if (p.steps < 1 || p.steps > 100_000) throw new Error(`steps must be 1..100000, got ${o.steps}`);
    return p;
  },
  describe: (p) => `uc:eps=${p.eps}:clusters=${p.clusters}:steps=${p.steps}:seed=${p.seed}`,
  async makeKey(ds, p, onProgress) {
    const { ucKey } = await import('./uc-key.ts');
    return ucKey(ds, p, onProgress);
  },
  checkKey(ds, p, k) {
    const d = featureSize(ds.inputShape);
    const train = idsOfSplit(ds, 'train').length;
    if (k.deltas.length !== p.clusters) throw new Error(`${k.deltas.length} perturbations for ${p.clusters} clusters`);
    const bad = k.deltas.findIndex((delta) => delta.length !== d || delta.some((v) => Math.abs(v) > p.eps / LEVELS + 1e-6));
    if (bad >= 0) throw new Error(`the perturbation of cluster ${bad} is not ${d} values within ±${p.eps}/255`);
    if (k.clusters.length !== train) throw new Error(`the key assigns ${k.clusters.length} samples to clusters, the data set has ${train} train samples`);
    const outside = k.clusters.findIndex((c) => c >= p.clusters);
    if (outside >= 0) throw new Error(`train sample ${outside} is in cluster ${k.clusters[outside]}, of ${p.clusters}`);
  },
  protect(ds, train, _p, k) {
    const d = featureSize(ds.inputShape);
    const x = Float32Array.from(ds.x);
    train.forEach((id, i) => x.set(perturb(ds.x.subarray(id * d, (id + 1) * d), k.deltas[k.clusters[i]]), id * d));
    return x;
  },
};
