// One optimisation step, the primitive that training and every unlearning method build on.
import * as tfc from '@tensorflow/tfjs-core';
import { adam } from '../engine/adam.ts';
import type { Model } from '../models/layers.ts';

export type Grads = Record<string, tfc.Tensor>;

export interface OptimizerConfig {
  optimizer: 'sgd' | 'adam';
  lr: number;
  momentum?: number;
}

export function makeOptimizer({ optimizer, lr, momentum = 0 }: OptimizerConfig): tfc.Optimizer {
  // Fused into one kernel per variable where the backend has one (native); same results.
  if (optimizer === 'adam') return adam(lr);
  if (momentum === 0) return tfc.train.sgd(lr);
  const opt = tfc.train.momentum(lr, momentum);
  // tfjs 4.22: MomentumOptimizer.dispose() skips its SGD base and leaks the learning-rate scalar.
  const disposeOwn = opt.dispose.bind(opt);
  opt.dispose = () => {
    disposeOwn();
    tfc.SGDOptimizer.prototype.dispose.call(opt);
  };
  return opt;
}

/** The model's trainable variables, the ones a step may change. */
export function trainableVars(model: Model): tfc.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tfc.Variable);
}

/**
 * Computes the gradient of `loss` with respect to `vars`, lets `transform` edit it (masking,
 * clipping, sign flips), and applies it. Returns the loss value. Frees every intermediate tensor.
 */
export function step(
  optimizer: tfc.Optimizer,
  vars: tfc.Variable[],
  loss: () => tfc.Scalar,
  transform?: (grads: Grads) => Grads,
): number {
  return tfc.tidy(() => {
    const { value, grads } = tfc.variableGrads(loss, vars);
    optimizer.applyGradients(transform ? transform(grads) : grads);
    return value.dataSync()[0];
  });
}

/** Runs the model in training mode (batch norm uses batch statistics and updates its averages). */
export function forwardTrain(model: Model, x: tfc.Tensor): tfc.Tensor {
  return model.apply(x, { training: true }) as tfc.Tensor;
}

/**
 * One step of sharpness-aware forgetting (Fan et al., "Towards LLM Unlearning Resilient to Relearning Attacks", ICML
 * 2025): the forget loss's gradient is taken at θ + ε with ε = ρ·g_f/‖g_f‖ (one norm over every variable), the point
 * a small weight change such as a relearning attack's first steps would reach; the retain loss's gradient at θ. The
 * update is g_f(θ + ε) + g_r(θ); the variables are back at θ before it is applied. Returns the total loss at θ.
 */
export function samStep(optimizer: tfc.Optimizer, vars: tfc.Variable[], forgetLoss: () => tfc.Scalar, retainLoss: (() => tfc.Scalar) | undefined, rho: number): number {
  return tfc.tidy(() => {
    const at = tfc.variableGrads(forgetLoss, vars);
    const norm = tfc.sqrt(tfc.addN(vars.map((v) => tfc.sum(tfc.square(at.grads[v.name])))));
    const scale = tfc.div(rho, tfc.add(norm, 1e-12));
    const saved = vars.map((v) => v.clone());
    vars.forEach((v) => v.assign(tfc.add(v, tfc.mul(at.grads[v.name], scale))));
    const perturbed = tfc.variableGrads(forgetLoss, vars).grads;
    vars.forEach((v, i) => v.assign(saved[i]));
    let value = at.value.dataSync()[0];
    let grads = perturbed;
    if (retainLoss) {
      const r = tfc.variableGrads(retainLoss, vars);
      value += r.value.dataSync()[0];
      grads = Object.fromEntries(vars.map((v) => [v.name, tfc.add(perturbed[v.name], r.grads[v.name])]));
    }
    optimizer.applyGradients(grads);
    return value;
  });
}
