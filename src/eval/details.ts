// What the comparison views draw for one model (class-wise accuracy, prediction matrices, layer CKA, the UMAP
// embedding, the forget samples' attack features), computed from plain arrays that src/measure produced.
import { UMAP } from 'umap-js';
import type { ModelDetails } from '../shared/contract.ts';
import { rng, subSeed } from '../shared/random.ts';
import { confusionMatrix, perClassAccuracy, predictions } from './accuracy.ts';
import { linearCka } from './cka.ts';
import { entropy, maxConfidence, trueClassConfidence } from './features.ts';
import type { Evidence } from './metrics.ts';
import { privacyFeatures } from './privacy.ts';

export interface Activations {
  layers: string[];
  /** Per layer: n × dims[i] row-major. */
  values: Float32Array[];
  dims: number[];
}

/** The fixed samples of a comparison's per-sample views (the same for every model). */
export interface ProbeSamples {
  ids: Int32Array;
  labels: Int32Array;
  isForget: boolean[];
  /** A regression set's targets of the probe samples, in the target's units. */
  target?: Float32Array;
  /** Forget samples listed in the Instances and Attack views. */
  view: { ids: Int32Array; labels: Int32Array };
}

/** One model measured on everything the metrics and the views read. */
export interface Measured {
  evidence: Evidence;
  /** Layer activations and outputs on the probe; absent for models known only by their predictions (no weights). */
  probe?: { activations: Activations; probs: Float32Array };
  /** A regressor known only by its predictions: its predictions on the probe (the Predictions view needs no weights). */
  probeOutputs?: Float32Array;
  viewProbs: Float32Array;
}

/**
 * The layer right before the logits: the features the embedding view projects. A model with only its output to
 * read (an ensemble has no single feature layer) projects its output.
 */
export function penultimate(acts: Activations): { values: Float32Array; dim: number } {
  const i = Math.max(0, acts.layers.length - 2);
  return { values: acts.values[i], dim: acts.dims[i] };
}

/** CKA of each of `a`'s layers with the layer of the same name in `b` (NaN where `b` has none). */
const ckaPerLayer = (a: Activations, b: Activations) => a.layers.map((name, i) => {
  const j = b.layers.indexOf(name);
  return j < 0 ? NaN : linearCka(a.values[i], a.dims[i], b.values[j], b.dims[j]);
});

function embed(acts: Activations, n: number, seed: number): { x: number[]; y: number[] } {
  const { values, dim } = penultimate(acts);
  const rows = Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0.1, nEpochs: 120, random: rng(subSeed(seed, 'umap')) });
  const pts = umap.fit(rows);
  return { x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
}

const nullable = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));

function concat<T extends Float32Array | Int32Array>(a: T, b: T): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The views that need a model's activations (CKA, the embedding), empty when there are none to read. */
function representation(m: Measured, original: Activations | undefined, ref: Activations | undefined, probe: ProbeSamples): Pick<ModelDetails, 'cka' | 'embedding'> {
  const k = m.evidence.numClasses;
  if (!m.probe || !original || !ref) {
    return { cka: { layers: [], vsOriginal: [], vsRetrain: [] }, embedding: { ids: [], x: [], y: [], label: [], pred: [], forget: [] } };
  }
  const acts = m.probe.activations;
  const e = embed(acts, probe.ids.length, 0);
  return {
    cka: { layers: acts.layers, vsOriginal: ckaPerLayer(acts, original), vsRetrain: ckaPerLayer(acts, ref) },
    embedding: {
      ids: Array.from(probe.ids), x: e.x, y: e.y, label: Array.from(probe.labels),
      pred: Array.from(predictions(m.probe.probs, k)), forget: probe.isForget,
    },
  };
}

export function details(m: Measured, original: Activations | undefined, ref: Activations | undefined, probe: ProbeSamples, classNames: string[]): ModelDetails {
  const { evidence: x } = m;
  if (x.forget.target) return regressionDetails(m, original, ref, probe, classNames);
  const k = x.numClasses;
  // The train set is forget ∪ retain: concatenating keeps labels and probabilities aligned.
  const trainProbs = concat(x.forget.probs, x.retain.probs);
  const trainY = concat(x.forget.labels, x.retain.labels);
  const attack = privacyFeatures(m.viewProbs, k);
  return {
    classNames,
    perClass: { train: nullable(perClassAccuracy(trainProbs, trainY, k)), test: nullable(perClassAccuracy(x.test.probs, x.test.labels, k)) },
    confusion: { train: Array.from(confusionMatrix(trainProbs, trainY, k)), test: Array.from(confusionMatrix(x.test.probs, x.test.labels, k)) },
    ...representation(m, original, ref, probe),
    forgetSamples: {
      ids: Array.from(probe.view.ids),
      label: Array.from(probe.view.labels),
      pred: Array.from(predictions(m.viewProbs, k)),
      confidence: Array.from(maxConfidence(m.viewProbs, k)),
      trueConfidence: Array.from(trueClassConfidence(m.viewProbs, probe.view.labels, k)),
      entropy: Array.from(entropy(m.viewProbs, k)),
      attackEntropy: Array.from(attack.entropy),
      attackConfidence: Array.from(attack.confidence),
    },
  };
}

/** A regressor's views: its predictions on the probe beside the targets, and the representation views; no class-wise ones. */
function regressionDetails(m: Measured, original: Activations | undefined, ref: Activations | undefined, probe: ProbeSamples, classNames: string[]): ModelDetails {
  const rep = representation(m, original, ref, probe);
  return {
    classNames,
    perClass: { train: [], test: [] },
    confusion: { train: [], test: [] },
    ...rep,
    embedding: { ...rep.embedding, pred: rep.embedding.ids.map(() => 0) },
    regression: (m.probe || m.probeOutputs) && probe.target
      ? { ids: Array.from(probe.ids), target: Array.from(probe.target), pred: Array.from(m.probe?.probs ?? m.probeOutputs!), forget: probe.isForget }
      : undefined,
    forgetSamples: { ids: [], label: [], pred: [], confidence: [], trueConfidence: [], entropy: [], attackEntropy: [], attackConfidence: [] },
  };
}
