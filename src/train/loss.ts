// Losses over logits, shared by training and the unlearning methods.
import * as tfc from '@tensorflow/tfjs-core';

/** Mean softmax cross-entropy of integer labels against logits. */
export function crossEntropy(logits: tfc.Tensor, labels: tfc.Tensor1D): tfc.Scalar {
  const k = logits.shape[logits.shape.length - 1]!;
  return tfc.losses.softmaxCrossEntropy(tfc.oneHot(labels, k), logits) as tfc.Scalar;
}

/** Mean squared error of a regressor's one output per sample against the (standardised) targets. */
export function squaredError(outputs: tfc.Tensor, targets: tfc.Tensor1D): tfc.Scalar {
  return tfc.mean(tfc.square(tfc.sub(tfc.reshape(outputs, [-1]), targets))) as tfc.Scalar;
}

/** Mean absolute error of a regressor's outputs (Blindspot's L1 loss). */
export function absoluteError(outputs: tfc.Tensor, targets: tfc.Tensor): tfc.Scalar {
  return tfc.mean(tfc.abs(tfc.sub(tfc.reshape(outputs, [-1]), tfc.reshape(targets, [-1])))) as tfc.Scalar;
}

/**
 * The training loss of a batch, by its task: cross-entropy for class labels (int32), squared error for regression
 * targets (float32; src/data/tasks.ts). Every loss "on the true targets" of training and the methods is this one.
 */
export function fitLoss(outputs: tfc.Tensor, y: tfc.Tensor1D): tfc.Scalar {
  return y.dtype === 'float32' ? squaredError(outputs, y) : crossEntropy(outputs, y);
}

/** ½·wd·Σ‖w‖² over the given variables: the same update as PyTorch's coupled `weight_decay`. */
export function l2Penalty(vars: tfc.Variable[], weightDecay: number): tfc.Scalar {
  if (weightDecay === 0 || vars.length === 0) return tfc.scalar(0);
  return tfc.mul(0.5 * weightDecay, tfc.addN(vars.map((v) => tfc.sum(tfc.square(v))))) as tfc.Scalar;
}
