// The `native` tfjs backend: tfjs-backend-cpu's data handling and kernels, with the heavy
// kernels replaced by the addon's (kernels/). Registered only on request (registerNative).
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
// Importing tfjs-layers registers tfjs's gradients, which would replace ours if it came later.
import '@tensorflow/tfjs-layers';
import {
  type DataId, type DataType, type TensorInfo, findBackendFactory, getGradient, getKernel, getKernelsForBackend, registerBackend, registerGradient, registerKernel, unregisterKernel,
} from '@tensorflow/tfjs-core';
import { loadNative, type NativeAddon, type NativeLoad } from './addon.ts';
import { NATIVE_KERNELS } from './kernels/index.ts';
import { reluGradientConfig } from './kernels/relu_grad.ts';
import { NATIVE } from './kernels/util.ts';

export { NATIVE };

/** Outputs of at least this many floats are recycled (smaller ones cost V8 little to make). */
const POOL_MIN_FLOATS = 1024;
/** At most this many floats wait in the pool; beyond it, freed arrays are left to the GC. */
const POOL_MAX_FLOATS = 64 * 1024 * 1024;

type BackendValues = Parameters<MathBackendCPU['write']>[0];

export class NativeBackend extends MathBackendCPU {
  /**
   * Freed kernel outputs by length, for the next output of that length: a training step makes
   * and frees the same large activations every step, and a fresh 12.8 MB Float32Array costs
   * more (page faults, zeroing, GC) than the pass that fills it.
   */
  private readonly pool = new Map<number, Float32Array[]>();
  private pooledFloats = 0;
  /**
   * Buffers of outputs made by allocOutput that nothing outside the backend's data map can see.
   * A buffer leaves the set when its values are read out (readSync hands out the array itself),
   * or when a second tensor is made over it (a cpu kernel may return its input or a view of it):
   * only buffers still in the set are recycled when their tensor is disposed.
   */
  private readonly owned = new WeakSet<ArrayBufferLike>();

  constructor(readonly addon: NativeAddon) {
    super();
    // MathBackendCPU's first write prints an advert for tfjs-node; this is the faster backend.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** A float32 output of this shape for a kernel that writes every element (its values are not zeroed). */
  allocOutput(shape: number[]): { info: TensorInfo; values: Float32Array } {
    let n = 1;
    for (const d of shape) n *= d;
    let values = n >= POOL_MIN_FLOATS ? this.pool.get(n)?.pop() : undefined;
    if (values) this.pooledFloats -= n;
    else values = new Float32Array(n);
    const info = this.makeTensorInfo(shape, 'float32', values);
    if (n >= POOL_MIN_FLOATS) this.owned.add(values.buffer);
    return { info, values };
  }

  private escape(values: BackendValues | null | undefined) {
    if (values != null && ArrayBuffer.isView(values)) this.owned.delete(values.buffer);
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    this.escape(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.escape(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): BackendValues {
    this.escape(this.data.get(dataId)?.values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const released = super.disposeData(dataId, force);
    if (values instanceof Float32Array && !this.data.has(dataId) && this.owned.has(values.buffer)) {
      this.owned.delete(values.buffer);
      if (this.pooledFloats + values.length <= POOL_MAX_FLOATS) {
        let free = this.pool.get(values.length);
        if (!free) this.pool.set(values.length, (free = []));
        free.push(values);
        this.pooledFloats += values.length;
      }
    }
    return released;
  }

  /** Floats waiting in the output pool (for tests). */
  pooledOutputFloats(): number {
    return this.pooledFloats;
  }

  override dispose(): void {
    this.pool.clear();
    this.pooledFloats = 0;
    super.dispose();
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
