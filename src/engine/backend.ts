// The only place that picks a TensorFlow.js backend. Everything above src/engine/ speaks
// tfjs ops and layers, never one backend's specifics.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './kernels/index.ts';

export type BackendName = 'wasm' | 'cpu' | 'tensorflow';
export const BACKENDS: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow'];

export interface BackendInfo {
  backend: BackendName;
  simd: boolean;
  threads: boolean;
}

let ready: Promise<BackendInfo> | undefined;

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional extra: its install downloads libtensorflow, so it is never a dependency.
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
    return tf.findBackend('tensorflow') != null;
  } catch {
    return false;
  }
}

async function choose(requested: string | undefined): Promise<BackendInfo> {
  const want = (requested ?? '').trim();
  if (want && !BACKENDS.includes(want as BackendName)) {
    throw new Error(`LETHE_BACKEND=${want} is not a backend; use one of ${BACKENDS.join(', ')}`);
  }
  if (want === 'tensorflow') {
    if (!(await tryTensorflow())) {
      throw new Error('LETHE_BACKEND=tensorflow needs the optional package: npm install @tensorflow/tfjs-node');
    }
  }
  const order: BackendName[] = want ? [want as BackendName] : ['wasm', 'cpu'];
  for (const name of order) {
    if (name === 'wasm') registerWasmKernels();
    if (await tf.setBackend(name)) {
      await tf.ready();
      return {
        backend: name,
        simd: name === 'wasm' && tf.env().getBool('WASM_HAS_SIMD_SUPPORT') === true,
        threads: name === 'wasm' && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') === true,
      };
    }
  }
  throw new Error(`could not start the ${order.join(' or ')} backend`);
}

/** Starts the backend once per process (LETHE_BACKEND, or wasm with cpu as fallback). */
export function initBackend(requested = process.env.LETHE_BACKEND): Promise<BackendInfo> {
  ready ??= choose(requested).catch((e) => {
    ready = undefined;
    throw e;
  });
  return ready;
}

export { tf };
