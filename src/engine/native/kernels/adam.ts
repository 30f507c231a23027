// One Adam update of one variable in a single pass, for src/engine/adam.ts: the ~13 tfjs ops
// per variable of AdamOptimizer.applyGradients, with the same float32 roundings in the same
// order, so weights and moments come out bit for bit as unfused.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, NATIVE, output, type NativeArgs } from './util.ts';

export const ADAM_KERNEL = 'LetheAdam';

export interface AdamAttrs {
  beta1: number;
  beta2: number;
  /** 1 - β1ᵗ and 1 - β2ᵗ as tfjs computes them (float32). */
  biasCorrection1: number;
  biasCorrection2: number;
  epsilon: number;
  learningRate: number;
}

function adam({ inputs, backend, attrs }: NativeArgs<AdamAttrs>): TensorInfo[] {
  const { w, g, m, v } = inputs;
  const vals = [w, g, m, v].map((t) => f32(backend, t));
  if (vals.some((x) => x === null) || new Set(vals.map((x) => x!.length)).size !== 1) {
    throw new Error(`${ADAM_KERNEL}: needs four float32 tensors of one size`);
  }
  const [wv, gv, mv, vv] = vals as Float32Array[];
  const shape = [...w!.shape];
  // The scalars tfjs makes of 1 - β, -lr etc. are float32: the addon rounds each constant to float.
  const c = Float64Array.of(attrs.beta1, 1 - attrs.beta1, attrs.beta2, 1 - attrs.beta2, attrs.biasCorrection1, attrs.biasCorrection2,
    attrs.epsilon, -attrs.learningRate);
  const own = [w!, m!, v!];
  if (own.every((t) => backend.refCount(t.dataId) === 1) && new Set([wv, gv, mv, vv].map((x) => x.buffer)).size === 4) {
    // Nothing but the variables holds these buffers, so the update can overwrite them (saves three
    // fresh arrays a variable a step). The outputs are the same buffers, as Identity's are.
    backend.addon.adamInPlace(wv, gv, mv, vv, wv.length, c);
    return own.map((t) => {
      backend.incRef(t.dataId);
      return { dataId: t.dataId, shape, dtype: 'float32' };
    });
  }
  const [w2, m2, v2] = [output(backend, shape), output(backend, shape), output(backend, shape)];
  backend.addon.adam(wv, gv, mv, vv, w2.values, m2.values, v2.values, wv.length, c);
  return [w2.info, m2.info, v2.info];
}

export const adamConfig: KernelConfig = { kernelName: ADAM_KERNEL, backendName: NATIVE, kernelFunc: adam as unknown as KernelFunc };
