// The learnt key of Unlearnable Clusters (./uc.ts): a surrogate, k-means of its features, one perturbation per cluster.
//
// Deviation from the paper (recorded in the README): there is no public data set to pre-train a surrogate for
// Fashion-MNIST-like data, so the protector trains the surrogate (the MLP, 2 epochs, seeded) on the images it
// protects. The clustering itself reads no labels, as the paper's does.
import * as tfc from '@tensorflow/tfjs-core';
import { featureSize, idsOfSplit, subset, type Dataset } from '../dataset.ts';
import { initBackend } from '../../engine/backend.ts';
import { buildModel } from '../../models/registry.ts';
import { rng, subSeed } from '../../shared/random.ts';
import { makeBatch } from '../../train/batches.ts';
import { predictOutputs } from '../../train/predict.ts';
import { makeOptimizer } from '../../train/step.ts';
import { DEFAULT_RECIPE, train } from '../../train/train.ts';
import { penultimateView } from '../../unlearn/common.ts';
import type { Progress } from '../../shared/http.ts';
import type { UcKey, UcParams } from './uc.ts';

/** Surrogate training epochs. */
export const SURROGATE_EPOCHS = 2;
const BATCH = 256;
const LR = 1e-2;

/**
 * Seeded k-means (k-means++ seeding, then Lloyd's iterations until no point moves or 100 rounds) of n points of
 * dimension dim (row-major). Returns each point's cluster and the centres. An empty cluster keeps its centre.
 */
export function kMeans(points: Float32Array, n: number, dim: number, k: number, seed: number): { assign: Int32Array; centres: Float64Array } {
  if (n < k) throw new Error(`k-means of ${n} points into ${k} clusters: need at least as many points as clusters`);
  const random = rng(seed);
  const centres = new Float64Array(k * dim);
  const dist2 = (i: number, c: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (points[i * dim + j] - centres[c * dim + j]) ** 2;
    return s;
  };
  const setCentre = (c: number, i: number) => centres.set(points.subarray(i * dim, (i + 1) * dim), c * dim);
  setCentre(0, Math.floor(random() * n));
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i], dist2(i, c - 1));
      total += nearest[i];
    }
    // The next centre with probability proportional to the squared distance to the nearest chosen one.
    let r = random() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i];
      if (r < 0) {
        pick = i;
        break;
      }
    }
    setCentre(c, pick);
  }
  const assign = new Int32Array(n).fill(-1);
  for (let round = 0; round < 100; round++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dist2(i, c);
        if (d < bestD) [best, bestD] = [c, d];
      }
      if (assign[i] !== best) [assign[i], moved] = [best, moved + 1];
    }
    if (!moved) break;
    const sums = new Float64Array(k * dim);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      counts[assign[i]]++;
      for (let j = 0; j < dim; j++) sums[assign[i] * dim + j] += points[i * dim + j];
    }
    for (let c = 0; c < k; c++) if (counts[c]) for (let j = 0; j < dim; j++) centres[c * dim + j] = sums[c * dim + j] / counts[c];
  }
  return { assign, centres };
}

/** KL(softmax(target) ‖ softmax(features)) per row, the generator loss of the paper, as a mean over the batch. */
export function pullLoss(features: tfc.Tensor2D, target: tfc.Tensor1D): tfc.Scalar {
  return tfc.tidy(() => {
    const t = tfc.softmax(target);
    const logT = tfc.logSoftmax(target);
    return tfc.mean(tfc.sum(tfc.mul(t, tfc.sub(logT, tfc.logSoftmax(features))), 1)) as tfc.Scalar;
  });
}

/** The key for a data set: the surrogate, the clusters of its train images, and each cluster's perturbation. */
export async function ucKey(ds: Dataset, p: UcParams, onProgress?: (p: Progress) => void): Promise<UcKey> {
  await initBackend();
  const data = subset(ds, idsOfSplit(ds, 'train'));
  const surrogate = buildModel('mlp', ds.inputShape, ds.numClasses, subSeed(p.seed, 'uc:surrogate'));
  try {
    await train(surrogate, data, { ...DEFAULT_RECIPE, epochs: SURROGATE_EPOCHS }, { seed: subSeed(p.seed, 'uc:surrogate-order'), phase: 'uc: surrogate', onProgress });
    const features = penultimateView(surrogate);
    const { values: feats, width: dim } = predictOutputs(features, data, 1024);
    const { assign, centres } = kMeans(feats, data.y.length, dim, p.clusters, subSeed(p.seed, 'uc:kmeans'));
    const d = featureSize(ds.inputShape);
    const eps = p.eps / 255;
    const deltas: number[][] = [];
    const pull = { clean: [] as number[], perturbed: [] as number[] };
    for (let k = 0; k < p.clusters; k++) {
      const members = Int32Array.from(Array.from(assign).flatMap((c, i) => (c === k ? [i] : [])));
      const random = rng(subSeed(p.seed, `uc:delta:${k}`));
      const delta = tfc.variable(tfc.zeros([1, ...ds.inputShape]));
      // The centre of another cluster (the next one), which this cluster's perturbed features are pulled toward.
      const next = (k + 1) % p.clusters;
      const target = tfc.tensor1d(Float32Array.from(centres.subarray(next * dim, (next + 1) * dim)));
      const opt = makeOptimizer({ optimizer: 'adam', lr: LR });
      const lossOn = (add: tfc.Tensor | null) => tfc.tidy(() => {
        const x = makeBatch(data, members.subarray(0, 512)).x;
        return pullLoss(features.apply(add ? tfc.clipByValue(tfc.add(x, add), 0, 1) : x, { training: false }) as tfc.Tensor2D, target).dataSync()[0];
      });
      try {
        if (members.length) pull.clean.push(lossOn(null));
        onProgress?.({ phase: 'uc: perturbations', done: k, total: p.clusters, message: `cluster ${k + 1} of ${p.clusters} (${members.length} images)` });
        for (let s = 0; s < p.steps && members.length; s++) {
          const pick = Int32Array.from({ length: Math.min(BATCH, members.length) }, () => members[Math.floor(random() * members.length)]);
          tfc.tidy(() => {
            const x = makeBatch(data, pick).x;
            opt.minimize(() => pullLoss(features.apply(tfc.clipByValue(tfc.add(x, delta), 0, 1), { training: false }) as tfc.Tensor2D, target), false, [delta]);
            delta.assign(tfc.clipByValue(delta, -eps, eps));
          });
        }
        if (members.length) pull.perturbed.push(lossOn(delta));
        else {
          // An empty cluster (k-means can leave one) perturbs nothing.
          pull.clean.push(0);
          pull.perturbed.push(0);
        }
        deltas.push(Array.from(delta.dataSync()));
      } finally {
        opt.dispose();
        delta.dispose();
        target.dispose();
      }
    }
    return { deltas, clusters: Array.from(assign), pull };
  } finally {
    surrogate.dispose();
  }
}
