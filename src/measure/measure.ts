// A model in, plain arrays out: its softmax outputs on the forget, retain and test sets, and what the
// per-sample views need on a fixed probe. Everything downstream (src/eval) is pure code over these arrays.
import { subset, type Dataset, type Subset } from '../data/dataset.ts';
import type { ForgetSets } from '../data/forget/index.ts';
import { triggeredTest } from '../data/manipulation.ts';
import type { CorrectiveEvidence } from '../eval/corrective.ts';
import type { Measured, ProbeSamples } from '../eval/details.ts';
import type { Evidence } from '../eval/metrics.ts';
import type { SetOutputs } from '../eval/mia.ts';
import type { Model } from '../models/layers.ts';
import { pickSorted, subSeed } from '../shared/random.ts';
import { predictProbs, predictScores } from '../train/predict.ts';
import { activations } from './activations.ts';

/** The data a measurement reads: a data set and a resolved deletion request. */
export interface MeasureData {
  dataset: Dataset;
  sets: ForgetSets;
  forget: Subset;
  retain: Subset;
}

/** Fixed samples for the per-sample views, the same for every model of a comparison. */
export interface Probe extends ProbeSamples {
  data: Subset;
  viewData: Subset;
}

/**
 * Which samples a probe holds: up to 200 forget, 200 retain and 200 test ids, forget first (`forgetCount` of them),
 * and up to 300 forget ids for the views that list forget samples. Seeded, so every model of a comparison, and an
 * import of predictions, reads the same ones.
 */
export function probeIds(sets: { forget: ArrayLike<number>; retain: ArrayLike<number>; test: ArrayLike<number> }, seed = 0) {
  const f = pickSorted(sets.forget, 200, subSeed(seed, 'probe-forget'));
  const others = [...pickSorted(sets.retain, 200, subSeed(seed, 'probe-retain')), ...pickSorted(sets.test, 200, subSeed(seed, 'probe-test'))];
  return { ids: Int32Array.from([...f, ...others]), forgetCount: f.length, view: Int32Array.from(pickSorted(sets.forget, 300, subSeed(seed, 'probe-view'))) };
}

export function makeProbe({ sets, dataset }: MeasureData, seed = 0): Probe {
  const picked = probeIds(sets, seed);
  const data = subset(dataset, picked.ids);
  const viewData = subset(dataset, picked.view);
  return {
    data, viewData, ids: data.ids, labels: data.y, ...(data.target ? { target: data.target } : {}),
    isForget: Array.from(data.ids, (_, i) => i < picked.forgetCount),
    view: { ids: viewData.ids, labels: viewData.y },
  };
}

/** On a manipulated data set, what accCorr reads: outputs on the triggered test images, or the confused classes. */
function correctiveEvidence(model: Model, d: MeasureData): CorrectiveEvidence | undefined {
  const m = d.dataset.manipulation;
  if (!m) return undefined;
  if (m.kind === 'confuse') return { kind: 'confuse', classes: m.classes };
  const triggered = triggeredTest(d.dataset, d.sets.test)!;
  return { kind: 'poison', triggered: { probs: predictProbs(model, triggered), labels: triggered.y } };
}

/** A model's outputs on one set as the metrics read them: softmax, or a regressor's predictions beside the targets. */
function outputsOn(model: Model, s: Subset): SetOutputs {
  const probs = predictScores(model, s);
  return s.target ? { probs, labels: s.y, target: s.target } : { probs, labels: s.y };
}

/** The outputs every metric of the map reads: softmax (or a regressor's predictions) on the forget, retain and test sets. */
export function measureEvidence(model: Model, d: MeasureData): Evidence {
  const test = subset(d.dataset, d.sets.test);
  const spec = d.sets.spec;
  const corrective = correctiveEvidence(model, d);
  const ds = d.dataset;
  // A split of the test set by the request (target ranges); class forgetting reads its classes instead.
  const split = spec.kind !== 'class' && d.sets.forgetTest && d.sets.retainTest
    ? { forgetTest: outputsOn(model, subset(ds, d.sets.forgetTest)), retainTest: outputsOn(model, subset(ds, d.sets.retainTest)) }
    : {};
  return {
    numClasses: ds.numClasses,
    forget: outputsOn(model, d.forget),
    retain: outputsOn(model, d.retain),
    test: outputsOn(model, test),
    ...split,
    ...(ds.targetInfo ? { targetSd: ds.targetInfo.sd } : {}),
    ...(spec.kind === 'class' ? { forgottenClasses: spec.classes } : {}),
    ...(corrective ? { corrective } : {}),
  };
}

/** Every output the metric map and the views read, for one model. */
export function measure(model: Model, d: MeasureData, probe: Probe): Measured {
  return {
    evidence: measureEvidence(model, d),
    probe: { activations: activations(model, probe.data), probs: predictScores(model, probe.data) },
    viewProbs: predictScores(model, probe.viewData),
  };
}
