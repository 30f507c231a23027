// Kernels that the wasm backend lacks or runs too slowly; all code above src/engine/ stays
// backend-agnostic.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
// Importing the backend registers its built-in kernels. Import it here, so that they are in
// the registry before we replace any: registered later, a built-in would overwrite ours.
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2d_backprop_filter.ts';
import { conv2DBackpropInputConfig } from './conv2d_backprop_input.ts';

interface Entry {
  config: KernelConfig;
  /** Replace a kernel the backend already has, rather than only fill a gap. */
  override: boolean;
}

const entries: Entry[] = [
  // wasm has no Conv2DBackpropFilter at all.
  { config: conv2DBackpropFilterConfig, override: false },
  // wasm's own Conv2DBackpropInput is a naive loop nest, 8–9× the forward conv's time and the
  // slowest step of training a CNN; ours runs it as forward convs through XNNPACK.
  { config: conv2DBackpropInputConfig, override: true },
];

/**
 * Registers Lethe's wasm kernels; safe to call any number of times. Call it before the first
 * op runs on wasm (initBackend does): tfjs looks kernels up on every op, so a later call also
 * works, but ops before it would have run with the built-in kernels.
 */
export function registerWasmKernels(): void {
  for (const { config, override } of entries) {
    // Ask the registry rather than keep a module flag: it is global, and a second copy of
    // this module (or tfjs itself, some day) may already have registered a kernel.
    const current = getKernel(config.kernelName, config.backendName);
    if (current === config) continue;
    if (current != null) {
      if (!override) continue;
      // registerKernel would replace it too, but warns "already registered".
      unregisterKernel(config.kernelName, config.backendName);
    }
    registerKernel(config);
  }
}
