// Kernels that the wasm backend lacks; all code above src/engine/ stays backend-agnostic.
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d_backprop_filter.ts';

const configs: KernelConfig[] = [conv2DBackpropFilterConfig];

/** Registers Lethe's wasm kernels; safe to call any number of times. */
export function registerWasmKernels(): void {
  for (const config of configs) {
    // getKernel rather than a module flag: the registry is global, and a second copy
    // of this module (or tfjs itself, some day) may already have registered the kernel.
    if (getKernel(config.kernelName, config.backendName) == null) registerKernel(config);
  }
}
