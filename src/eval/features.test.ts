import { describe, expect, it } from 'vitest';
import { confidenceLogit, entropy, maxConfidence, trueClassConfidence } from './features.ts';

// Rows over k = 3: [.5 .25 .25] label 1, [1 0 0] label 0, [.64 .32 .04] label 2.
const k = 3;
const probs = new Float32Array([0.5, 0.25, 0.25, 1, 0, 0, 0.64, 0.32, 0.04]);
const labels = new Int32Array([1, 0, 2]);

describe('features', () => {
  it('true-class confidence reads p[label], not the max', () => {
    const c = trueClassConfidence(probs, labels, k);
    expect(c[0]).toBeCloseTo(0.25, 7);
    expect(c[1]).toBe(1);
    expect(c[2]).toBeCloseTo(0.04, 7);
  });

  it('max confidence', () => {
    const m = maxConfidence(probs, k);
    expect(m[0]).toBeCloseTo(0.5, 7);
    expect(m[2]).toBeCloseTo(0.64, 7);
  });

  it('entropy in nats; zeros contribute nothing', () => {
    const h = entropy(probs, k);
    // -(.5 ln .5 + 2 * .25 ln .25) = .5 ln 2 + ln 2 = 1.5 ln 2
    expect(h[0]).toBeCloseTo(1.5 * Math.LN2, 7);
    expect(h[1]).toBe(0);
  });

  it('entropy at temperature 2 squares-roots then renormalises', () => {
    // [.8 .2]: sqrt -> [.894 .447] -> [2/3 1/3]; H = ln 3 - (2/3) ln 2 = 0.636514
    const h = entropy(new Float32Array([0.8, 0.2]), 2, 2);
    expect(h[0]).toBeCloseTo(0.636514, 5);
    // [.64 .32 .04]: sqrt -> [.8 .565685 .2] / 1.565685 = [.510958 .361302 .127740]
    expect(entropy(probs, k, 2)[2]).toBeCloseTo(0.973770, 5);
  });

  it('confidence log-odds of the top class', () => {
    const c = confidenceLogit(probs, k);
    expect(c[0]).toBeCloseTo(0, 7); // .5 vs .5
    expect(c[1]).toBeCloseTo(-Math.log(1e-45), 4); // 1 vs 0: the reference's 1e-45 guard
    expect(c[2]).toBeCloseTo(Math.log(0.64 / 0.36), 6);
    expect(confidenceLogit(new Float32Array([0.8, 0.2]), 2)[0]).toBeCloseTo(Math.log(4), 6);
  });

  it('rejects a non-positive temperature', () => {
    expect(() => entropy(probs, k, 0)).toThrow(/temperature/);
  });
});
