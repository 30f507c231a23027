import { describe, expect, it } from 'vitest';
import { countInstances, disagreement, joinInstances, sortInstances } from './instances.ts';

const a = { ids: [10, 11, 12, 13], label: [0, 1, 2, 3], pred: [0, 1, 2, 0], confidence: [0.9, 0.8, 0.7, 0.6], trueConfidence: [0.9, 0.8, 0.7, 0.1], entropy: [0, 0, 0, 0], attackEntropy: [0, 0, 0, 0], attackConfidence: [0, 0, 0, 0] };
const b = { ids: [13, 12, 11, 99], label: [3, 2, 1, 0], pred: [3, 1, 1, 0], confidence: [0.6, 0.5, 0.8, 1], trueConfidence: [0.6, 0.2, 0.8, 1], entropy: [0, 0, 0, 0], attackEntropy: [0, 0, 0, 0], attackConfidence: [0, 0, 0, 0] };

describe('instances', () => {
  it('scores disagreement as 1 for a different class plus the true-label probability gap', () => {
    expect(disagreement({ pred: 1, trueConfidence: 0.9 }, { pred: 1, trueConfidence: 0.4 })).toBeCloseTo(0.5, 12);
    expect(disagreement({ pred: 1, trueConfidence: 0.1 }, { pred: 2, trueConfidence: 0.3 })).toBeCloseTo(1.2, 12);
  });

  it('joins on id and leaves out samples only one model has', () => {
    const xs = joinInstances(a, b);
    expect(xs.map((x) => x.id)).toEqual([11, 12, 13]);
    expect(xs.find((x) => x.id === 12)).toMatchObject({ a: { pred: 2 }, b: { pred: 1 } });
  });

  it('sorts by disagreement: 12 (1 + 0.5) and 13 (1 + 0.5) tie, broken by id; 11 (0) last', () => {
    const xs = sortInstances(joinInstances(a, b), 'disagreement');
    expect(xs.map((x) => x.id)).toEqual([12, 13, 11]);
    expect(xs.map((x) => x.disagreement)).toEqual([1.5, 1.5, 0].map((v) => expect.closeTo(v, 12)));
    expect(sortInstances(joinInstances(a, b), 'aConfidence').map((x) => x.id)).toEqual([13, 12, 11]);
  });

  it('counts differing and correct predictions', () => {
    expect(countInstances(joinInstances(a, b))).toEqual({ total: 3, differ: 2, aCorrect: 2, bCorrect: 2 });
  });
});
