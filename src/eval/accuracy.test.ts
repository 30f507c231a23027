import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, perClassAccuracy, predictions } from './accuracy.ts';

// Five samples, k = 4 (class 3 never occurs):
//   row  probs                 label  argmax
//   0    .7  .2  .1  0         0      0   right
//   1    .1  .6  .3  0         1      1   right
//   2    .3  .3  .4  0         1      2   wrong
//   3    .5  .5  0   0         1      0   wrong (tie -> lowest index)
//   4    .2  .1  .7  0         2      2   right
const k = 4;
const probs = new Float32Array([
  0.7, 0.2, 0.1, 0,
  0.1, 0.6, 0.3, 0,
  0.3, 0.3, 0.4, 0,
  0.5, 0.5, 0, 0,
  0.2, 0.1, 0.7, 0,
]);
const labels = new Int32Array([0, 1, 1, 1, 2]);

describe('accuracy', () => {
  it('argmax per row, ties to the lowest class', () => {
    expect([...predictions(probs, k)]).toEqual([0, 1, 2, 0, 2]);
  });

  it('is a percent: 3 of 5 right is 60', () => {
    expect(accuracy(probs, labels, k)).toBeCloseTo(60, 10);
  });

  it('per class: 100, 1 of 3, 100, and NaN for the empty class', () => {
    const pc = perClassAccuracy(probs, labels, k);
    expect(pc[0]).toBeCloseTo(100, 10);
    expect(pc[1]).toBeCloseTo(100 / 3, 10);
    expect(pc[2]).toBeCloseTo(100, 10);
    expect(pc[3]).toBeNaN();
  });

  it('confusion matrix is [true][pred]', () => {
    // true 1 was predicted 1, 2 and 0 once each; true 2 never predicted 1.
    expect([...confusionMatrix(probs, labels, k)]).toEqual([
      1, 0, 0, 0,
      1, 1, 1, 0,
      0, 0, 1, 0,
      0, 0, 0, 0,
    ]);
  });

  it('is NaN on an empty set and rejects bad shapes', () => {
    expect(accuracy(new Float32Array(0), new Int32Array(0), 3)).toBeNaN();
    expect(() => accuracy(new Float32Array(5), new Int32Array(1), 3)).toThrow(/multiple/);
    expect(() => accuracy(new Float32Array(6), new Int32Array(3), 3)).toThrow(/labels/);
    expect(() => accuracy(new Float32Array(6), new Int32Array([0, 3]), 3)).toThrow(/outside/);
  });
});
