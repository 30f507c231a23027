// Worst-case forget sets (Fan, Liu, Hero, Liu, "Challenging Forgets", ECCV 2024), as the authors' code computes them
// (OPTML-Group/Unlearn-WorstCase, data-wise/): selection weights w ∈ [0,1]^N with Σw = m, a first-order bi-level search.
// Each upper epoch reloads the original, fine-tunes it over the whole training set by sign-SGD on Σ(1 − w_i)·CE_i (the
// lower level: unlearning the weighted forget set), takes every sample's loss ℓ_i under the result, steps
// w ← w − lr_w·(ℓ + 2γw) (the implicit term dropped) and projects w back onto the capped simplex by bisection. The
// top m of w are the set: the samples the unlearned model still fits best, which are the hardest to forget.
import * as tfc from '@tensorflow/tfjs-core';
import type { Subset } from '../data/dataset.ts';
import { copyOf } from '../models/graph.ts';
import type { Model } from '../models/layers.ts';
import { subSeed } from '../shared/random.ts';
import { batchIndices, epochOrder, makeBatch, stepsFor } from '../train/batches.ts';
import { predictLogits } from '../train/predict.ts';
import { checkpointAbort, type OnProgress } from '../train/progress.ts';
import { forwardTrain, trainableVars } from '../train/step.ts';

export interface WorstCaseOptions {
  /** Upper-level epochs E. */
  epochs: number;
  /** Lower-level epochs of weighted sign-SGD fine-tuning per upper epoch (a fraction is that share of the batches). */
  inner: number;
  /** The sign-SGD step of the lower level. */
  lr: number;
  /** The step of the upper level on w. */
  lrw: number;
  /** The L2 penalty γ on w. */
  gamma: number;
  batchSize: number;
  /** Seeds the lower level's batch order. */
  seed: number;
}

export interface WorstCaseResult {
  /** The worst-case set: m train ids, ascending. */
  ids: Int32Array;
  /** The upper objective Σ w_i·ℓ_i after each upper epoch's projection. */
  objective: number[];
  /** How many of the initial set are still in the final one. */
  kept: number;
}

export interface WorkOptions {
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

/** The options a search can run with; anything else (NaN, negative, a fractional epoch count) is one error naming it. */
export function checkWorstCaseOptions(o: WorstCaseOptions) {
  const need = (ok: boolean, what: string, rule: string) => {
    if (!ok) throw new Error(`worst-case search: ${what} = ${o[what as keyof WorstCaseOptions]} must be ${rule}`);
  };
  need(Number.isInteger(o.epochs) && o.epochs >= 1, 'epochs', 'an integer ≥ 1');
  need(Number.isFinite(o.inner) && o.inner > 0, 'inner', 'a number > 0');
  need(Number.isFinite(o.lr) && o.lr > 0, 'lr', 'a number > 0');
  need(Number.isFinite(o.lrw) && o.lrw > 0, 'lrw', 'a number > 0');
  need(Number.isFinite(o.gamma) && o.gamma >= 0, 'gamma', 'a number ≥ 0');
  need(Number.isInteger(o.batchSize) && o.batchSize >= 1, 'batchSize', 'an integer ≥ 1');
  need(Number.isInteger(o.seed), 'seed', 'an integer');
}

/** The upper step: w − lr_w·(ℓ + 2γw), the gradient of Σ w_i·ℓ_i + γ‖w‖² with ℓ held fixed (first order). */
export function upperStep(w: Float64Array, losses: ArrayLike<number>, lrw: number, gamma: number): Float64Array {
  if (losses.length !== w.length) throw new Error(`upperStep: ${losses.length} losses for ${w.length} weights`);
  return w.map((wi, i) => wi - lrw * (losses[i] + 2 * gamma * wi));
}

const clip01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * The Euclidean projection of `a` onto {0 ≤ w ≤ 1, Σw = m}: w = clip(a − μ, 0, 1) for the one shift μ that makes the
 * sum m, found by bisection on μ to `tol` as the authors' code does (from [min a − 1, max a], where the sum is N and 0),
 * then one linear step inside the final bracket, where the sum is linear in μ unless a breakpoint falls inside it.
 */
export function projectCapped(a: Float64Array, m: number, tol = 1e-5): Float64Array {
  const n = a.length;
  if (!(m >= 0 && m <= n)) throw new Error(`projectCapped: the sum ${m} must be in [0, ${n}]`);
  if (!(tol > 0)) throw new Error(`projectCapped: tolerance ${tol} must be > 0`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of a) {
    if (!Number.isFinite(x)) throw new Error(`projectCapped: weight ${x} is not a finite number`);
    lo = Math.min(lo, x - 1);
    hi = Math.max(hi, x);
  }
  if (n === 0) return new Float64Array(0);
  const sum = (mu: number) => a.reduce((s, x) => s + clip01(x - mu), 0);
  let [glo, ghi] = [n, 0];
  for (let it = 0; hi - lo > tol && it < 200; it++) {
    const mid = (lo + hi) / 2;
    const g = sum(mid);
    if (g === m) [lo, hi, glo, ghi] = [mid, mid, g, g];
    else if (g > m) [lo, glo] = [mid, g];
    else [hi, ghi] = [mid, g];
  }
  const mu = glo === ghi ? lo : lo + ((glo - m) * (hi - lo)) / (glo - ghi);
  return a.map((x) => clip01(x - mu));
}

/** Positions of the m largest weights; ties go to the lower position, so the same weights always give the same set. */
export function topM(w: Float64Array, m: number): Int32Array {
  const order = Array.from(w.keys()).sort((i, j) => w[j] - w[i] || i - j);
  return Int32Array.from(order.slice(0, m)).sort();
}

/** Every sample's cross-entropy under `model` (inference mode), in float64 from the logits: log Σ e^z − z_y. */
export function sampleLosses(model: Model, data: Subset): Float64Array {
  const k = data.numClasses;
  const logits = predictLogits(model, data);
  return Float64Array.from(data.y, (y, i) => {
    const z = logits.subarray(i * k, (i + 1) * k);
    const top = Math.max(...z);
    return top + Math.log(z.reduce((s, v) => s + Math.exp(v - top), 0)) - z[y];
  });
}

/** Σ_b (1 − w_b)·CE_b over a batch: a sum, as in the authors' code (sign-SGD makes its scale irrelevant). */
function weightedLoss(model: Model, x: tfc.Tensor, y: tfc.Tensor1D, keep: tfc.Tensor1D): tfc.Scalar {
  const logits = forwardTrain(model, x);
  const ce = tfc.neg(tfc.sum(tfc.mul(tfc.oneHot(y, logits.shape[1]!), tfc.logSoftmax(logits)), 1));
  return tfc.sum(tfc.mul(keep, ce));
}

/**
 * The lower level, in place on `model`: `o.inner` epochs over all of `train` of θ ← θ − lr·sign(∇ Σ(1 − w_i)·CE_i).
 * `stream` separates the batch orders of successive calls; `tick` is called after every step.
 */
export async function weightedSignFt(model: Model, train: Subset, w: Float64Array, o: Pick<WorstCaseOptions, 'inner' | 'lr' | 'batchSize' | 'seed'>, stream: string, signal?: AbortSignal, tick?: () => void) {
  const n = train.y.length;
  const vars = trainableVars(model);
  const total = stepsFor(n, o.batchSize, o.inner);
  let done = 0;
  for (let epoch = 0; done < total; epoch++) {
    for (const index of batchIndices(epochOrder(n, subSeed(o.seed, `worst:${stream}:${epoch}`)), o.batchSize)) {
      if (done === total) break;
      await checkpointAbort(signal, 'the worst-case search');
      tfc.tidy(() => {
        const b = makeBatch(train, index);
        const keep = tfc.tensor1d(Float32Array.from(index, (i) => 1 - w[i]));
        const { grads } = tfc.variableGrads(() => weightedLoss(model, b.x, b.y, keep), vars);
        for (const v of vars) v.assign(tfc.sub(v, tfc.mul(o.lr, tfc.sign(grads[v.name]))));
      });
      done++;
      tick?.();
    }
  }
}

/**
 * Searches for the worst-case set of `initial.length` samples of `train`, starting from the indicator of `initial`
 * (train ids), with `original` reloaded at every upper epoch and never changed. The same inputs give the same set.
 */
export async function selectWorstCase(original: Model, train: Subset, initial: ArrayLike<number>, o: WorstCaseOptions, work: WorkOptions = {}): Promise<WorstCaseResult> {
  checkWorstCaseOptions(o);
  const n = train.y.length;
  const m = initial.length;
  if (!(m >= 1 && m < n)) throw new Error(`worst-case search: the set size ${m} must be in 1..${n - 1} for ${n} train samples`);
  const position = new Map(Array.from(train.ids, (id, i) => [id, i]));
  let w: Float64Array = new Float64Array(n);
  for (const id of Array.from(initial)) {
    const i = position.get(id);
    if (i === undefined) throw new Error(`worst-case search: initial id ${id} is not among the train samples`);
    if (w[i]) throw new Error(`worst-case search: initial id ${id} is given twice`);
    w[i] = 1;
  }
  const start = Float64Array.from(w);
  const steps = stepsFor(n, o.batchSize, o.inner);
  const total = o.epochs * (steps + 1);
  let done = 0;
  const say = (e: number) => work.onProgress?.({ phase: 'worst-case set', done, total, message: `upper epoch ${e + 1}/${o.epochs}` });
  const objective: number[] = [];
  const model = copyOf(original);
  try {
    for (let e = 0; e < o.epochs; e++) {
      model.setWeights(original.getWeights());
      await weightedSignFt(model, train, w, o, `upper${e}`, work.signal, () => {
        done++;
        say(e);
      });
      const losses = sampleLosses(model, train);
      w = projectCapped(upperStep(w, losses, o.lrw, o.gamma), m);
      objective.push(w.reduce((s, wi, i) => s + wi * losses[i], 0));
      done++;
      say(e);
    }
  } finally {
    model.dispose();
  }
  const top = topM(w, m);
  const kept = top.reduce((k, i) => k + start[i], 0);
  // A search that kept its whole random start did nothing: its step lr_w is too small for these losses.
  work.onProgress?.({ phase: 'worst-case set', done, total, message: `kept ${kept} of the ${m} starting samples${kept === m ? ': raise lrw, the step is too small for these losses' : ''}` });
  return { ids: Int32Array.from(top, (i) => train.ids[i]).sort(), objective, kept };
}
