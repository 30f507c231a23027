// The `native` tfjs backend: tfjs-backend-cpu's data handling and kernels, with the heavy
// kernels replaced by the addon's (kernels/). Registered only on request (registerNative).
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
// Importing tfjs-layers registers tfjs's gradients, which would replace ours if it came later.
import '@tensorflow/tfjs-layers';
import {
  findBackendFactory, getGradient, getKernel, getKernelsForBackend, registerBackend, registerGradient, registerKernel, unregisterKernel,
} from '@tensorflow/tfjs-core';
import { loadNative, type NativeAddon, type NativeLoad } from './addon.ts';
import { NATIVE_KERNELS } from './kernels/index.ts';
import { reluGradientConfig } from './kernels/relu_grad.ts';
import { NATIVE } from './kernels/util.ts';

export { NATIVE };

export class NativeBackend extends MathBackendCPU {
  constructor(readonly addon: NativeAddon) {
    super();
    // MathBackendCPU's first write prints an advert for tfjs-node; this is the faster backend.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }
}

function registerKernels() {
  const own = new Set(NATIVE_KERNELS.map((k) => k.kernelName));
  for (const config of getKernelsForBackend('cpu')) {
    if (own.has(config.kernelName) || getKernel(config.kernelName, NATIVE)) continue;
    registerKernel({ ...config, backendName: NATIVE });
  }
  for (const config of NATIVE_KERNELS) {
    const current = getKernel(config.kernelName, NATIVE);
    if (current === config) continue;
    // registerKernel would replace it too, but warns "already registered".
    if (current) unregisterKernel(config.kernelName, NATIVE);
    registerKernel(config);
  }
}

/**
 * Loads the addon, checks it, and registers the `native` backend with its kernels; safe to
 * call any number of times. Returns why not when it cannot (nothing is registered then).
 */
export function registerNative(): NativeLoad {
  const load = loadNative();
  if (!load.ok) return load;
  registerKernels();
  // Gradients are global in tfjs, not per backend: this one runs the fused kernel where the
  // backend has it and tfjs's own ops elsewhere, so other backends see no change.
  if (getGradient(reluGradientConfig.kernelName) !== reluGradientConfig) registerGradient(reluGradientConfig);
  // Priority 0: tfjs never picks it by itself; src/engine/backend.ts sets it by name.
  if (!findBackendFactory(NATIVE)) registerBackend(NATIVE, () => new NativeBackend(load.addon), 0);
  return load;
}
