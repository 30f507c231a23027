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
