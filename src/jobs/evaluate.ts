// Measures one model against the original and the retrained reference: every metric of DESIGN.md.
import { UMAP } from 'umap-js';
import { subset, type Subset } from '../data/dataset.ts';
import { rng, subSeed } from '../data/rng.ts';
import { accuracy, confusionMatrix, perClassAccuracy, predictions } from '../eval/accuracy.ts';
import { linearCka } from '../eval/cka.ts';
import { meanJS, meanKL } from '../eval/divergence.ts';
import { entropy, maxConfidence, trueClassConfidence } from '../eval/features.ts';
import { avgGap, gapClosed, speedup } from '../eval/gap.ts';
import { miaAll } from '../eval/mia.ts';
import { privacyFeatures, privacyScore } from '../eval/privacy.ts';
import type { Model } from '../models/layers.ts';
import type { ModelDetails, ModelMetrics } from '../shared/contract.ts';
import { predictProbs } from '../train/predict.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { activations, penultimate, relearnAttack, type Activations } from './measure.ts';

/** A model's outputs on the sets every metric reads. */
export interface Outputs {
  forget: Float32Array;
  retain: Float32Array;
  test: Float32Array;
  probe: Activations;
}

/** Fixed samples for the per-sample views, the same for every model of a comparison. */
export interface Probe {
  data: Subset;
  isForget: boolean[];
  /** Forget samples listed in the Instances and Attack views. */
  forgetView: Subset;
}

const pick = (ids: Int32Array, n: number, seed: number) => {
  const order = Array.from(ids);
  const random = rng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, n).sort((a, b) => a - b);
};

export function makeProbe(ctx: UnlearnContext, seed = 0): Probe {
  const { sets, dataset } = ctx;
  const f = pick(sets.forget, 200, subSeed(seed, 'probe-forget'));
  const others = [...pick(sets.retain, 200, subSeed(seed, 'probe-retain')), ...pick(sets.test, 200, subSeed(seed, 'probe-test'))];
  const ids = [...f, ...others];
  return {
    data: subset(dataset, ids),
    isForget: ids.map((_, i) => i < f.length),
    forgetView: subset(dataset, pick(sets.forget, 300, subSeed(seed, 'probe-view'))),
  };
}

export function outputsOf(model: Model, ctx: UnlearnContext, probe: Probe): Outputs {
  return {
    forget: predictProbs(model, ctx.forget),
    retain: predictProbs(model, ctx.retain),
    test: predictProbs(model, subset(ctx.dataset, ctx.sets.test)),
    probe: activations(model, probe.data),
  };
}

const testLabels = (ctx: UnlearnContext) => Int32Array.from(ctx.sets.test, (i) => ctx.dataset.y[i]);

/** Accuracy on the test samples whose index in sets.test is selected by `keep`. */
function accOnTest(probs: Float32Array, labels: Int32Array, k: number, keep: (label: number) => boolean): number {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (keep(labels[i])) rows.push(i);
  const p = new Float32Array(rows.length * k);
  rows.forEach((r, j) => p.set(probs.subarray(r * k, (r + 1) * k), j * k));
  return accuracy(p, Int32Array.from(rows, (r) => labels[r]), k);
}

export interface Timing {
  seconds: number;
  retrainSeconds: number;
}

/** Metrics without the reference-relative ones (gap, divergences, privacy), which need the reference's outputs. */
export function ownMetrics(out: Outputs, ctx: UnlearnContext, seed: number) {
  const k = ctx.dataset.numClasses;
  const yTest = testLabels(ctx);
  const forgetAcc = accuracy(out.forget, ctx.forget.y, k);
  const retainAcc = accuracy(out.retain, ctx.retain.y, k);
  const testAcc = accuracy(out.test, yTest, k);
  const mia = miaAll({
    retain: { probs: out.retain, labels: ctx.retain.y },
    test: { probs: out.test, labels: yTest },
    forget: { probs: out.forget, labels: ctx.forget.y },
  }, k, { seed: subSeed(seed, 'mia') });
  const m = { forgetAcc, retainAcc, testAcc, UA: 100 - forgetAcc, RA: retainAcc, TA: testAcc, mia: mia.mia, miaEntropy: mia.miaEntropy } as ModelMetrics;
  if (ctx.sets.spec.kind === 'class') {
    const forgotten = new Set(ctx.sets.spec.classes);
    m.forgetTestAcc = accOnTest(out.test, yTest, k, (c) => forgotten.has(c));
    m.retainTestAcc = accOnTest(out.test, yTest, k, (c) => !forgotten.has(c));
  }
  return m;
}

export function fullMetrics(
  own: ModelMetrics, out: Outputs, ref: { own: ModelMetrics; out: Outputs }, originalGap: number, timing: Timing, relearnAcc: number,
  ctx: UnlearnContext,
): ModelMetrics {
  const k = ctx.dataset.numClasses;
  const gap = avgGap({ UA: own.UA, RA: own.RA, TA: own.TA, MIA: own.mia }, { UA: ref.own.UA, RA: ref.own.RA, TA: ref.own.TA, MIA: ref.own.mia });
  const privacy = privacyScore({ unlearn: privacyFeatures(out.forget, k), retrain: privacyFeatures(ref.out.forget, k) });
  return {
    ...own,
    avgGap: gap,
    gapClosed: gapClosed(gap, originalGap),
    seconds: timing.seconds,
    // Unknown timings (a checkpoint made elsewhere) leave the speedup unknown rather than failing the evaluation.
    speedup: Number.isFinite(timing.seconds) && Number.isFinite(timing.retrainSeconds) ? speedup(timing.retrainSeconds, timing.seconds) : NaN,
    klForget: meanKL(ref.out.forget, out.forget, k),
    klTest: meanKL(ref.out.test, out.test, k),
    jsForget: meanJS(ref.out.forget, out.forget, k),
    jsTest: meanJS(ref.out.test, out.test, k),
    privacy: privacy.score,
    relearnAcc,
  };
}

export function relearn(model: Model, scratch: Model, ctx: UnlearnContext, seed: number): number {
  return relearnAttack(model, scratch, ctx.forget, ctx.dataset, { seed });
}

function ckaPerLayer(a: Activations, b: Activations, n: number): number[] {
  return a.layers.map((_, i) => linearCka(a.values[i], a.dims[i], b.values[i], b.dims[i]));
}

function embed(acts: Activations, n: number, seed: number): { x: number[]; y: number[] } {
  const { values, dim } = penultimate(acts);
  const rows = Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0.1, nEpochs: 120, random: rng(subSeed(seed, 'umap')) });
  const pts = umap.fit(rows);
  return { x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
}

const nullable = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));

export function details(out: Outputs, original: Outputs, ref: Outputs, probe: Probe, model: Model, ctx: UnlearnContext): ModelDetails {
  const k = ctx.dataset.numClasses;
  const yTest = testLabels(ctx);
  // The train set is forget ∪ retain: concatenating keeps labels and probabilities aligned.
  const trainProbs = new Float32Array(out.forget.length + out.retain.length);
  trainProbs.set(out.forget);
  trainProbs.set(out.retain, out.forget.length);
  const trainY = new Int32Array(ctx.forget.y.length + ctx.retain.y.length);
  trainY.set(ctx.forget.y);
  trainY.set(ctx.retain.y, ctx.forget.y.length);
  const n = probe.data.y.length;
  const e = embed(out.probe, n, 0);
  const probeProbs = predictProbs(model, probe.data);
  const viewProbs = predictProbs(model, probe.forgetView);
  const attack = privacyFeatures(viewProbs, k);
  return {
    classNames: ctx.dataset.classNames,
    perClass: { train: nullable(perClassAccuracy(trainProbs, trainY, k)), test: nullable(perClassAccuracy(out.test, yTest, k)) },
    confusion: { train: Array.from(confusionMatrix(trainProbs, trainY, k)), test: Array.from(confusionMatrix(out.test, yTest, k)) },
    cka: { layers: out.probe.layers, vsOriginal: ckaPerLayer(out.probe, original.probe, n), vsRetrain: ckaPerLayer(out.probe, ref.probe, n) },
    embedding: {
      ids: Array.from(probe.data.ids), x: e.x, y: e.y, label: Array.from(probe.data.y),
      pred: Array.from(predictions(probeProbs, k)), forget: probe.isForget,
    },
    forgetSamples: {
      ids: Array.from(probe.forgetView.ids),
      label: Array.from(probe.forgetView.y),
      pred: Array.from(predictions(viewProbs, k)),
      confidence: Array.from(maxConfidence(viewProbs, k)),
      trueConfidence: Array.from(trueClassConfidence(viewProbs, probe.forgetView.y, k)),
      entropy: Array.from(entropy(viewProbs, k)),
      attackEntropy: Array.from(attack.entropy),
      attackConfidence: Array.from(attack.confidence),
    },
  };
}
