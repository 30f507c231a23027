// A model in, plain arrays out: its softmax outputs on the forget, retain and test sets, and what the
// per-sample views need on a fixed probe. Everything downstream (src/eval) is pure code over these arrays.
import { subset, type Dataset, type Subset } from '../data/dataset.ts';
import type { ForgetSets } from '../data/forget/index.ts';
import { triggeredTest } from '../data/manipulation.ts';
import type { CorrectiveEvidence } from '../eval/corrective.ts';
import type { Measured, ProbeSamples } from '../eval/details.ts';
import type { Evidence } from '../eval/metrics.ts';
import type { Model } from '../models/layers.ts';
import { pickSorted, subSeed } from '../shared/random.ts';
import { predictProbs } from '../train/predict.ts';
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

export function makeProbe({ sets, dataset }: MeasureData, seed = 0): Probe {
  const f = pickSorted(sets.forget, 200, subSeed(seed, 'probe-forget'));
  const others = [...pickSorted(sets.retain, 200, subSeed(seed, 'probe-retain')), ...pickSorted(sets.test, 200, subSeed(seed, 'probe-test'))];
  const data = subset(dataset, [...f, ...others]);
  const viewData = subset(dataset, pickSorted(sets.forget, 300, subSeed(seed, 'probe-view')));
  return {
    data, viewData, ids: data.ids, labels: data.y,
    isForget: Array.from(data.ids, (_, i) => i < f.length),
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

/** The outputs every metric of the map reads: softmax on the forget, retain and test sets. */
export function measureEvidence(model: Model, d: MeasureData): Evidence {
  const test = subset(d.dataset, d.sets.test);
  const spec = d.sets.spec;
  const corrective = correctiveEvidence(model, d);
  return {
    numClasses: d.dataset.numClasses,
    forget: { probs: predictProbs(model, d.forget), labels: d.forget.y },
    retain: { probs: predictProbs(model, d.retain), labels: d.retain.y },
    test: { probs: predictProbs(model, test), labels: test.y },
    ...(spec.kind === 'class' ? { forgottenClasses: spec.classes } : {}),
    ...(corrective ? { corrective } : {}),
  };
}

/** Every output the metric map and the views read, for one model. */
export function measure(model: Model, d: MeasureData, probe: Probe): Measured {
  return {
    evidence: measureEvidence(model, d),
    probe: { activations: activations(model, probe.data), probs: predictProbs(model, probe.data) },
    viewProbs: predictProbs(model, probe.viewData),
  };
}
