// The only place that picks a TensorFlow.js backend. Everything above src/engine/ speaks
// tfjs ops and layers, never one backend's specifics.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './kernels/index.ts';
import { registerNative } from './native/backend.ts';
import { parseBackendName, planBackend, planInfo, type BackendInfo, type BackendName, type BackendPlan } from './probe.ts';

export { BACKENDS, describeBlas, type BackendInfo, type BackendName } from './probe.ts';

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

async function start(plan: BackendPlan): Promise<BackendInfo | null> {
  const { name } = plan;
  if (name === 'tensorflow' && !(await tryTensorflow())) {
    throw new Error('LETHE_BACKEND=tensorflow needs the optional package: npm install @tensorflow/tfjs-node');
  }
  if (name === 'native') {
    const load = registerNative();
    if (!load.ok) throw new Error(`LETHE_BACKEND=native: ${load.reason}`);
    if (!(await tf.setBackend('native'))) throw new Error('LETHE_BACKEND=native: tfjs could not start the native backend');
    await tf.ready();
    return planInfo(plan);
  }
  if (name === 'wasm') registerWasmKernels();
  if (!(await tf.setBackend(name))) return null;
  await tf.ready();
  const simd = name === 'wasm' && tf.env().getBool('WASM_HAS_SIMD_SUPPORT') === true;
  const threads = name === 'wasm' && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') === true;
  return {
    backend: name,
    simd,
    threads,
    native: 'native' in plan ? plan.native : undefined,
    summary: name === 'wasm' ? `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})` : name,
  };
}

async function choose(requested: string | undefined): Promise<BackendInfo> {
  const explicit = parseBackendName(requested) !== '';
  const plan = planBackend(requested);
  let note = 'native' in plan ? plan.native : '';
  try {
    const info = await start(plan);
    if (info) return info;
  } catch (e) {
    if (explicit) throw e;
    note = `not in use: ${(e as Error).message.replace(/^LETHE_BACKEND=native: /, '')}`;
  }
  if (explicit) throw new Error(`could not start the ${plan.name} backend`);
  // The default's fallbacks: wasm (when native would not start), then cpu.
  for (const name of ['wasm', 'cpu'] as const) {
    if (name === plan.name) continue; // it was tried above
    const info = await start({ name, explicit: false, native: note });
    if (info) return info;
  }
  throw new Error('could not start the native, wasm or cpu backend');
}

/** Starts the backend once per process (LETHE_BACKEND, or native, falling back to wasm and then cpu). */
export function initBackend(requested = process.env.LETHE_BACKEND): Promise<BackendInfo> {
  ready ??= choose(requested).catch((e) => {
    ready = undefined;
    throw e;
  });
  return ready;
}

/**
 * Makes `name` the backend from now on, for benchmarks and tests that compare backends in one
 * process; the rest of Lethe calls initBackend once. Tensors made before stay valid (tfjs moves
 * their data on first use).
 */
export async function switchBackend(name: BackendName): Promise<BackendInfo> {
  const info = await start(planBackend(name || 'wasm'));
  if (!info) throw new Error(`could not start the ${name} backend`);
  ready = Promise.resolve(info);
  return info;
}

export { tf };
