// samStep against the update worked out by hand: f(w) = Σ w³/3 (∇f = w²), r(w) = Σ w (∇r = 1), plain SGD, lr 1.
import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { initBackend } from '../engine/backend.ts';
import { samStep, step } from './step.ts';

beforeAll(() => initBackend());

const cube = (w: tfc.Variable) => () => tfc.div(tfc.sum(tfc.pow(w, 3)), 3) as tfc.Scalar;
const sum = (w: tfc.Variable) => () => tfc.sum(w) as tfc.Scalar;

it('takes the forget gradient at θ + ρ·g/‖g‖ and the retain gradient at θ', () => {
  const w = tfc.variable(tfc.tensor1d([1, 2]), true, 'sam-w');
  const opt = tfc.train.sgd(1);
  // g = ∇f(θ) = [1, 4], ‖g‖ = √17, ε = 0.5·g/√17; the forget gradient at θ + ε is (θ + ε)², the retain gradient 1.
  const e = [0.5 / Math.sqrt(17), 2 / Math.sqrt(17)];
  const want = [1 - ((1 + e[0]) ** 2 + 1), 2 - ((2 + e[1]) ** 2 + 1)];
  const loss = samStep(opt, [w], cube(w), sum(w), 0.5);
  // The loss reported is at θ: 1/3 + 8/3 + 3.
  expect(loss).toBeCloseTo(6, 5);
  Array.from(w.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  opt.dispose();
  w.dispose();
});

it('without a retain loss applies the perturbed forget gradient alone, and at ρ = 0 is the plain step', () => {
  const a = tfc.variable(tfc.tensor1d([1, 2]), true, 'sam-a');
  const b = tfc.variable(tfc.tensor1d([1, 2]), true, 'sam-b');
  const opt = tfc.train.sgd(0.1);
  samStep(opt, [a], cube(a), undefined, 0);
  step(opt, [b], cube(b));
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  const c = tfc.variable(tfc.tensor1d([1, 2]), true, 'sam-c');
  samStep(opt, [c], cube(c), undefined, 0.5);
  const e = [0.5 / Math.sqrt(17), 2 / Math.sqrt(17)];
  Array.from(c.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([1, 2][i] - 0.1 * ([1, 2][i] + e[i]) ** 2, 5));
  const before = tfc.memory().numTensors;
  samStep(opt, [c], cube(c), sum(c), 0.5);
  expect(tfc.memory().numTensors).toBe(before);
  opt.dispose();
  [a, b, c].forEach((v) => v.dispose());
});
