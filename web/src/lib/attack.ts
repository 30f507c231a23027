// The attack simulation's numbers, computed in the browser with Lethe's own privacy functions
// (src/eval/privacy.ts) from the per-sample values evaluation stored; nothing is re-implemented here.
import {
  attackCurve,
  CONFIDENCE_GRID,
  ENTROPY_GRID,
  privacyScore,
  type AttackFeature,
  type AttackSide,
  type GridOptions,
  type PrivacyResult,
  type ThresholdPoint,
} from '../../../src/eval/privacy.ts';
import type { ModelDetails } from '../../../src/shared/contract.ts';

export type { AttackFeature, AttackSide, ThresholdPoint };
export type Strategy = 'attackScore' | 'accuracy';

type Samples = ModelDetails['forgetSamples'];

export const GRIDS: Record<AttackFeature, GridOptions> = { entropy: ENTROPY_GRID, confidence: CONFIDENCE_GRID };

export const FEATURE_LABEL: Record<AttackFeature, string> = {
  entropy: 'Entropy of the softmax at temperature 2 (nats)',
  confidence: 'Confidence: log-odds of the top class',
};


/** The attack's input per forget sample, exactly as evaluation computed it (entropy at T=2, top-class log-odds). */
export function featureValues(s: Samples, feature: AttackFeature): number[] {
  return (feature === 'entropy' ? s.attackEntropy : s.attackConfidence).slice();
}

/** Evenly spaced thresholds of a grid (the x positions of the attack curve's points). */
export function gridThresholds({ range: [lo, hi], bins }: GridOptions): number[] {
  return Array.from({ length: bins }, (_, i) => (i === bins - 1 ? hi : lo + ((hi - lo) * i) / (bins - 1)));
}

export interface AttackState {
  feature: AttackFeature;
  above: AttackSide;
  unlearn: number[];
  retrain: number[];
  curve: ThresholdPoint[];
}

export function attackState(model: Samples, retrain: Samples, feature: AttackFeature, above: AttackSide): AttackState {
  const unlearn = featureValues(model, feature);
  const ret = featureValues(retrain, feature);
  return { feature, above, unlearn, retrain: ret, curve: attackCurve(unlearn, ret, above, GRIDS[feature]) };
}

/** The index of the threshold a strategy picks on one curve (the first best, as in the reference). */
export function pickThreshold(curve: ThresholdPoint[], strategy: Strategy): number {
  let best = 0;
  for (let i = 1; i < curve.length; i++) if (curve[i][strategy] > curve[best][strategy]) best = i;
  return best;
}

/** For a feature, the direction whose best threshold under `strategy` is strongest. */
export function bestDirection(model: Samples, retrain: Samples, feature: AttackFeature, strategy: Strategy): AttackSide {
  const score = (above: AttackSide) => {
    const c = attackState(model, retrain, feature, above).curve;
    return c[pickThreshold(c, strategy)][strategy];
  };
  return score('retrain') > score('unlearn') ? 'retrain' : 'unlearn';
}

/** The privacy score over both features and both directions, from the stored samples. */
export function overallPrivacy(model: Samples, retrain: Samples): PrivacyResult {
  const f = (s: Samples) => ({ entropy: featureValues(s, 'entropy'), confidence: featureValues(s, 'confidence') });
  return privacyScore({ unlearn: f(model), retrain: f(retrain) });
}
