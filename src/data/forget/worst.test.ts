// worst:<amount>:seed=S[:options]: the text form, its validation, and what resolve accepts (the search itself is
// src/measure/worst-case.ts; the step that runs it, src/jobs/prepare-forget.ts).
import { describe, expect, it } from 'vitest';
import { limitTrain } from '../dataset.ts';
import { synthetic } from '../synthetic.ts';
import { ForgetSpecSchema, describeSpec, parseForgetSpec, resolveForget } from './index.ts';
import type { WorstSpec } from './worst.ts';

const ds = synthetic(); // 1,200 train samples, ids 0..1199; test ids 1200..1599
const defaults = { method: 'ft', epochs: 3, inner: 1, lr: 1e-3, lrw: 10, gamma: 0 };

describe('worst:<amount>:seed=S', () => {
  it('parses a fraction or a count, fills in the search defaults, and describes itself back', () => {
    expect(parseForgetSpec('worst:0.1:seed=1')).toEqual({ kind: 'worst', fraction: 0.1, seed: 1, ...defaults });
    expect(parseForgetSpec('worst:600:seed=2')).toEqual({ kind: 'worst', count: 600, seed: 2, ...defaults });
    const custom = parseForgetSpec('worst:0.25:seed=3:method=ft:epochs=5:inner=0.5:lr=0.0005:lrw=0.01:gamma=0.001');
    expect(custom).toEqual({ kind: 'worst', fraction: 0.25, seed: 3, method: 'ft', epochs: 5, inner: 0.5, lr: 5e-4, lrw: 0.01, gamma: 1e-3 });
    // Only what differs from the defaults is printed, in a fixed order, and the text parses to the same spec.
    expect(describeSpec(custom)).toBe('worst:0.25:seed=3:epochs=5:inner=0.5:lr=0.0005:lrw=0.01:gamma=0.001');
    expect(parseForgetSpec(describeSpec(custom))).toEqual(custom);
    expect(describeSpec(parseForgetSpec('worst:0.1:lrw=10:seed=1'))).toBe('worst:0.1:seed=1');
  });

  it('the JSON form takes the same defaults', () => {
    expect(ForgetSpecSchema.parse({ kind: 'worst', count: 50, seed: 1 })).toEqual({ kind: 'worst', count: 50, seed: 1, ...defaults });
    expect(() => ForgetSpecSchema.parse({ kind: 'worst', seed: 1 })).toThrow(/exactly one of fraction or count/);
    expect(() => ForgetSpecSchema.parse({ kind: 'worst', count: 5, seed: 1, lrw: -1 })).toThrow();
    expect(() => ForgetSpecSchema.parse({ kind: 'worst', count: 5, seed: 1, method: 'ga' })).toThrow();
  });

  it.each([
    ['worst:', /amount "" must be a fraction in \(0,1\) or a count ≥ 1/],
    ['worst:0:seed=1', /amount "0" must be/],
    ['worst:-3:seed=1', /amount "-3" must be/],
    ['worst:NaN:seed=1', /amount "NaN" must be/],
    ['worst:2.5:seed=1', /count "2\.5" must be an integer/],
    ['worst:0.1:seed=x', /seed "x" is not an integer/],
    ['worst:0.1:lr=NaN', /lr "NaN" must be a number in \(0, 1\]/],
    ['worst:0.1:lr=-0.001', /lr "-0\.001" must be a number in \(0, 1\]/],
    ['worst:0.1:lr=', /lr "" must be a number/],
    ['worst:0.1:lrw=0', /lrw "0" must be a number in \(0, 1000000\]/],
    ['worst:0.1:gamma=-1', /gamma "-1" must be a number in \[0, 1e6\]/],
    ['worst:0.1:inner=0', /inner "0" must be a number in \(0, 100\]/],
    ['worst:0.1:epochs=1.5', /epochs "1\.5" is not an integer/],
    ['worst:0.1:epochs=0', /epochs "0" must be an integer in 1\.\.100/],
    ['worst:0.1:method=ga', /method "ga" is not available: the search's lower level is ft/],
    ['worst:0.1:steps=3', /unknown option "steps=3" \(options: seed, method, epochs, inner, lr, lrw, gamma\)/],
    ['worst:0.1:lr=0.01:lr=0.02', /option lr given twice/],
  ])('%s is one clear error', (text, msg) => {
    expect(() => parseForgetSpec(text)).toThrow(msg);
  });

  it('without a model to search with, resolving is one error that says where the spec works', () => {
    expect(() => resolveForget(ds, parseForgetSpec('worst:0.1:seed=1'))).toThrow(
      /^worst:0\.1:seed=1 is chosen with the original model, and there is none here: lethe unlearn, compare, bank and tune search for the set with theirs .*lethe eval and forget with --original DIR$/);
  });

  it('size errors come first, as for random', () => {
    expect(() => resolveForget(ds, parseForgetSpec('worst:1200:seed=1'))).toThrow(/worst-case forget set of 1200 would be the whole train set in synthetic \(1200 train samples\)/);
    expect(() => resolveForget(ds, parseForgetSpec('worst:0.0001:seed=1'))).toThrow(/worst-case fraction 0\.0001 selects no sample/);
  });

  it('a selection resolves to exactly its ids, and only on the training set it was made on', () => {
    const spec = { ...(parseForgetSpec('worst:0.01:seed=1') as WorstSpec), selected: [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41] };
    const sets = resolveForget(ds, spec);
    expect(Array.from(sets.forget)).toEqual(spec.selected);
    expect(sets.retain.length).toBe(1188);
    // 1% of the first 600 train samples is 6, not 12; a test id is no train sample.
    expect(() => resolveForget(limitTrain(ds, 600), spec)).toThrow(/the selection of worst:0\.01:seed=1 \(12 ids\) was made on another training set than this one \(m = 6\)/);
    expect(() => resolveForget(ds, { ...spec, selected: [...spec.selected.slice(1), 1300] })).toThrow(/was made on another training set/);
  });
});
