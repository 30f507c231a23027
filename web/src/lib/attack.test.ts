import { describe, expect, it } from 'vitest';
import { attackState, bestDirection, featureValues, gridThresholds, overallPrivacy, pickThreshold } from './attack.ts';

const samples = (entropy: number[], confidence: number[]) => ({
  ids: entropy.map((_, i) => i), label: entropy.map(() => 0), pred: entropy.map(() => 0),
  confidence, trueConfidence: confidence, entropy, attackEntropy: entropy, attackConfidence: confidence,
});

describe('attack features', () => {
  it('reads the attack features that evaluation stored, per feature', () => {
    const s = { ...samples([0.3], [0.5]), attackEntropy: [0.7], attackConfidence: [2.5] };
    expect(featureValues(s, 'entropy')).toEqual([0.7]);
    expect(featureValues(s, 'confidence')).toEqual([2.5]);
  });

  it('grid thresholds match numpy.linspace with an exact last point', () => {
    expect(gridThresholds({ range: [0, 2.5], bins: 6 })).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });
});

describe('threshold strategies on separable distributions', () => {
  // The unlearned model is confident (low entropy) on every forget sample, retrain is not: a threshold
  // between them separates the two perfectly, so the best attack has score 1 and privacy is 0.
  const model = samples([0.1, 0.1, 0.2, 0.2], [0.99, 0.99, 0.99, 0.99]);
  const retrain = samples([1.5, 1.6, 1.7, 1.8], [0.5, 0.5, 0.5, 0.5]);

  it('puts "retrain" above the threshold and finds a perfect split', () => {
    expect(bestDirection(model, retrain, 'entropy', 'accuracy')).toBe('retrain');
    const st = attackState(model, retrain, 'entropy', 'retrain');
    const i = pickThreshold(st.curve, 'accuracy');
    // Thresholds are 0, 0.05, …; the first one above 0.2 (all of A) and at or below 1.5 (all of retrain) is 0.25.
    expect(st.curve[i].threshold).toBeCloseTo(0.25, 12);
    expect(st.curve[i].accuracy).toBe(100);
    expect(st.curve[i].fpr).toBe(0);
    expect(st.curve[i].fnr).toBe(0);
    expect(st.curve[i].attackScore).toBe(1);
  });

  it('gives privacy 0 when the attack is perfect and 1 when the outputs are the same', () => {
    expect(overallPrivacy(model, retrain).score).toBe(0);
    expect(overallPrivacy(retrain, retrain).score).toBe(1);
  });
});
