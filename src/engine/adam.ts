// Adam (Kingma & Ba 2015) with its per-variable update fused into one kernel on backends that
// have one (native: src/engine/native/kernels/adam.ts); elsewhere tfjs's own update. The fused
// update is the same arithmetic, so results do not depend on which path ran.
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_KERNEL } from './native/kernels/adam.ts';

/** The AdamOptimizer fields applyGradients uses (private in tfjs's types; tfjs is pinned at 4.22). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class FusedAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    if (tf.getKernel(ADAM_KERNEL, tf.getBackend()) == null) return super.applyGradients(variableGradients);
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      // As tfjs: sub(1, accBeta) in float32.
      const biasCorrection1 = Math.fround(1 - s.accBeta1.dataSync()[0]);
      const biasCorrection2 = Math.fround(1 - s.accBeta2.dataSync()[0]);
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const [w2, m2, v2] = tf.engine().runKernel(ADAM_KERNEL, { w: value, g: gradient, m, v }, {
          beta1: s.beta1, beta2: s.beta2, biasCorrection1, biasCorrection2, epsilon: s.epsilon, learningRate: s.learningRate,
        } as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m2);
        v.assign(v2);
        value.assign(w2);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}

/** tf.train.adam with its defaults (β1 0.9, β2 0.999, ε the backend's), fused where possible. */
export function adam(learningRate: number): tf.Optimizer {
  return new FusedAdam(learningRate, 0.9, 0.999);
}
