import { describe, expect, it } from 'vitest';
import { idsOfSplit } from '../data/dataset.ts';
import { resolveForget } from '../data/forget/index.ts';
import { synthetic } from '../data/synthetic.ts';
import { tuningView, validationCount } from './protocol.ts';

describe('tuningView', () => {
  const ds = synthetic({ train: 1000, test: 300 });

  it('makes a seeded tenth of the training data the test split and takes the real test set out of use', () => {
    const { dataset, validation } = tuningView(ds, 0.1, 4);
    expect(validation).toHaveLength(100);
    expect(Array.from(idsOfSplit(dataset, 'test'))).toEqual(Array.from(validation));
    const train = idsOfSplit(dataset, 'train');
    expect(train).toHaveLength(900);
    // Every validation id was a training id; no real test id is in either split.
    const originalTrain = new Set(idsOfSplit(ds, 'train'));
    expect(Array.from(validation).every((id) => originalTrain.has(id))).toBe(true);
    const realTest = new Set(idsOfSplit(ds, 'test'));
    expect([...train, ...validation].some((id) => realTest.has(id))).toBe(false);
    expect(Array.from(dataset.split).filter((s) => s === 2)).toHaveLength(300);
    // The original data set is not changed.
    expect(idsOfSplit(ds, 'test')).toHaveLength(300);
  });

  it('is the same for the same seed, another for another, and takes a count too', () => {
    expect(tuningView(ds, 0.1, 4).validation).toEqual(tuningView(ds, 0.1, 4).validation);
    expect(tuningView(ds, 0.1, 5).validation).not.toEqual(tuningView(ds, 0.1, 4).validation);
    expect(tuningView(ds, 250, 4).validation).toHaveLength(250);
  });

  it('leaves the forget request to the tuning pool: a class request removes the class from it, not from validation', () => {
    const { dataset, validation } = tuningView(ds, 0.2, 1);
    const sets = resolveForget(dataset, { kind: 'class', classes: [2] });
    const v = new Set(validation);
    expect(sets.forget.length).toBeGreaterThan(0);
    expect(Array.from(sets.forget).some((id) => v.has(id))).toBe(false);
    expect(Array.from(sets.test)).toEqual(Array.from(validation));
  });

  it('refuses a size that is not a fraction or a count in range', () => {
    expect(() => validationCount(NaN, 1000)).toThrow(/fraction below 1 or a count/);
    expect(() => validationCount(0, 1000)).toThrow(/fraction below 1 or a count/);
    expect(() => validationCount(12.5, 1000)).toThrow(/whole count/);
    expect(() => validationCount(600, 1000)).toThrow(/from 10 to 500 of the 1000/);
    expect(() => validationCount(0.001, 1000)).toThrow(/out of range/);
  });
});
