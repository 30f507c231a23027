// What every native kernel shares: reading float32 buffers out of the cpu backend's data
// map, making outputs, and falling back to the cpu backend's kernel for anything else.
import '@tensorflow/tfjs-backend-cpu';
import { getKernel, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.ts';

export const NATIVE = 'native';

export interface NativeArgs<A = NamedAttrMap> {
  inputs: Record<string, TensorInfo | undefined>;
  backend: NativeBackend;
  attrs: A;
}

/** A native implementation, or null when these inputs are for the cpu kernel (dtype, layout, …). */
export type NativeImpl<A = NamedAttrMap> = (args: NativeArgs<A>) => TensorInfo | null;

/** A kernel for the native backend that hands what it does not cover to tfjs's cpu kernel. */
export function nativeKernel<A = NamedAttrMap>(kernelName: string, impl: NativeImpl<A>): KernelConfig {
  const kernelFunc = ((args: NativeArgs<A>) => {
    const out = impl(args);
    if (out) return out;
    // Looked up per call (one Map lookup), not cached: whatever the registry holds now.
    return getKernel(kernelName, 'cpu').kernelFunc(args as unknown as Parameters<KernelFunc>[0]);
  }) as unknown as KernelFunc;
  return { kernelName, backendName: NATIVE, kernelFunc };
}

/** The values of a float32 tensor as a Float32Array, or null (other dtype, or not stored as one). */
export function f32(backend: NativeBackend, t: TensorInfo | undefined): Float32Array | null {
  if (t == null || t.dtype !== 'float32') return null;
  const v = backend.data.get(t.dataId)?.values;
  return v instanceof Float32Array ? v : null;
}

export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A float32 output of this shape, with its buffer for the addon to fill: the kernel must write
 * every element, since the buffer may be a recycled one (NativeBackend.allocOutput).
 */
export function output(backend: NativeBackend, shape: number[]): { info: TensorInfo; values: Float32Array } {
  return backend.allocOutput(shape);
}
