// What the fused kernels (FusedConv2D, _FusedMatMul) share: the activations the addon applies
// after its product, and the bias it adds before them.
import type { backend_util, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.ts';
import { f32, nativeKernel, size, type NativeArgs } from './util.ts';

/** lethe::Act: the activation the addon applies to its product. */
export const ACT = { linear: 0, relu: 1 } as const;

/** A product's implementation, given its bias (if any) and activation. */
export type ProductImpl<A> = (args: NativeArgs<A>, bias: TensorInfo | undefined, act: number) => TensorInfo | null;

/**
 * The fused kernel of a product whose plain kernel takes attrs A: bias plus linear or relu run
 * natively; prelu and the other activations go to the cpu kernel.
 */
export function fusedKernel<A>(kernelName: string, impl: ProductImpl<A>): KernelConfig {
  return nativeKernel<A & { activation?: backend_util.Activation }>(kernelName, (args) => {
    const activation = args.attrs.activation ?? 'linear';
    if (args.inputs.preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
    return impl(args, args.inputs.bias, ACT[activation]);
  });
}

/**
 * The values of a bias over the last axis only ([n], [1, n], …) of an output with n columns:
 * null without a bias, undefined for any other bias (a dtype or broadcast for the cpu kernel).
 */
export function lastAxisBias(backend: NativeBackend, bias: TensorInfo | undefined, n: number): Float32Array | null | undefined {
  if (!bias) return null;
  const values = f32(backend, bias);
  if (!values || size(bias.shape) !== n || (bias.shape.length > 0 && bias.shape[bias.shape.length - 1] !== n)) return undefined;
  return values;
}
