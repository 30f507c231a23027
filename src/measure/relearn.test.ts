// The relearning curve is one trajectory of the attack: its point at n steps is the n-step attack's number exactly,
// its point at 0 the model as it is, the same seed gives the same curve, and bad step lists are refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { subset, idsOfSplit } from '../data/dataset.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { accuracy } from '../eval/accuracy.ts';
import { buildModel } from '../models/registry.ts';
import type { Model } from '../models/layers.ts';
import { predictProbs } from '../train/predict.ts';
import { relearnAttack, relearnCurve } from './relearn.ts';

const ds = loadData({ name: 'synthetic' });
const forget = subset(ds, idsOfSplit(ds, 'train').slice(0, 60));
let model: Model;
let copy: Model;

beforeAll(async () => {
  await initBackend();
  model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
  copy = buildModel('mlp', ds.inputShape, ds.numClasses, 2);
});

describe('relearnCurve', () => {
  it('its point at n steps is the n-step attack exactly; at 0, the model itself', () => {
    const curve = relearnCurve(model, copy, forget, ds, [0, 3, 10], { seed: 5 });
    expect(curve.map((p) => p.steps)).toEqual([0, 3, 10]);
    expect(curve[0].forgetAcc).toBe(accuracy(predictProbs(model, forget), forget.y, ds.numClasses));
    expect(curve[2].forgetAcc).toBe(relearnAttack(model, copy, forget, ds, { seed: 5 }));
    expect(curve[1].forgetAcc).toBe(relearnAttack(model, copy, forget, ds, { seed: 5, steps: 3 }));
    // The attack learns the forget samples: after 10 steps on them forget accuracy is well above chance.
    expect(curve[2].forgetAcc).toBeGreaterThan(curve[0].forgetAcc);
    expect(relearnCurve(model, copy, forget, ds, [0, 3, 10], { seed: 5 })).toEqual(curve);
  });

  it('refuses step counts that are not ascending whole numbers', () => {
    for (const bad of [[], [3, 2], [1, 1], [-1], [0.5], [NaN]]) expect(() => relearnCurve(model, copy, forget, ds, bad)).toThrow(/ascending whole numbers/);
  });
});
