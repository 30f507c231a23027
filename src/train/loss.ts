// Losses over logits, shared by training and the unlearning methods.
import * as tfc from '@tensorflow/tfjs-core';

/** Mean softmax cross-entropy of integer labels against logits. */
export function crossEntropy(logits: tfc.Tensor, labels: tfc.Tensor1D): tfc.Scalar {
  const k = logits.shape[logits.shape.length - 1]!;
  return tfc.losses.softmaxCrossEntropy(tfc.oneHot(labels, k), logits) as tfc.Scalar;
}

/** ½·wd·Σ‖w‖² over the given variables: the same update as PyTorch's coupled `weight_decay`. */
export function l2Penalty(vars: tfc.Variable[], weightDecay: number): tfc.Scalar {
  if (weightDecay === 0 || vars.length === 0) return tfc.scalar(0);
  return tfc.mul(0.5 * weightDecay, tfc.addN(vars.map((v) => tfc.sum(tfc.square(v))))) as tfc.Scalar;
}
