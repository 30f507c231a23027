// The only place that picks a TensorFlow.js backend. Everything above src/engine/ speaks
// tfjs ops and layers, never one backend's specifics.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './kernels/index.ts';
import { ADDON_PATH, notBuiltReason, type BlasInfo } from './native/addon.ts';
import { registerNative } from './native/backend.ts';

export type BackendName = 'wasm' | 'native' | 'cpu' | 'tensorflow';
export const BACKENDS: readonly BackendName[] = ['wasm', 'native', 'cpu', 'tensorflow'];

export interface BackendInfo {
  backend: BackendName;
  /** wasm only: SIMD and multi-threaded builds in use. */
  simd: boolean;
  threads: boolean;
  /** native only: the OpenBLAS under it (core type and where it came from, threads). */
  blas?: BlasInfo;
  /** When the native backend is not the one in use: whether it could be, in one line. */
  native?: string;
  /** One line for `lethe info`: the backend and how it runs. */
  summary: string;
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

/** A native backend's line: "native: OpenBLAS Haswell kernels (OPENBLAS_CORETYPE=… from the environment), 1 BLAS thread (default)". */
export function describeBlas(b: BlasInfo): string {
  const threads = `${b.threads} BLAS thread${b.threads === 1 ? '' : 's'} (${b.threadsSource === 'default' ? 'default; LETHE_THREADS to change' : `from ${b.threadsSource}`})`;
  const l2 = b.l2Size ? `, OPENBLAS_L2_SIZE=${b.l2Size} from the environment` : '';
  return `OpenBLAS ${b.coreType} kernels (${b.coreTypeNote}${l2}), ${threads}`;
}

/** Whether the native backend could start, without loading it (loading fixes OpenBLAS's settings). */
function nativeAvailability(): string {
  return existsSync(ADDON_PATH) ? 'built; not in use (LETHE_BACKEND=native to use it)' : notBuiltReason();
}

async function start(name: BackendName): Promise<BackendInfo | null> {
  if (name === 'tensorflow' && !(await tryTensorflow())) {
    throw new Error('LETHE_BACKEND=tensorflow needs the optional package: npm install @tensorflow/tfjs-node');
  }
  if (name === 'native') {
    const load = registerNative();
    if (!load.ok) throw new Error(`LETHE_BACKEND=native: ${load.reason}`);
    if (!(await tf.setBackend('native'))) throw new Error('LETHE_BACKEND=native: tfjs could not start the native backend');
    await tf.ready();
    return { backend: 'native', simd: false, threads: false, blas: load.blas, summary: `native: ${describeBlas(load.blas)}` };
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
    native: nativeAvailability(),
    summary: name === 'wasm' ? `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})` : name,
  };
}

function parseName(requested: string | undefined): BackendName | '' {
  const want = (requested ?? '').trim();
  if (want && !BACKENDS.includes(want as BackendName)) {
    throw new Error(`LETHE_BACKEND=${want} is not a backend; use one of ${BACKENDS.join(', ')}`);
  }
  return want as BackendName | '';
}

async function choose(requested: string | undefined): Promise<BackendInfo> {
  const want = parseName(requested);
  if (want) {
    const info = await start(want);
    if (info) return info;
    throw new Error(`could not start the ${want} backend`);
  }
  // The default: native where it was built and passes its self-test, else wasm (saying why), else cpu.
  let why: string | undefined;
  if (existsSync(ADDON_PATH)) {
    try {
      const info = await start('native');
      if (info) return info;
    } catch (e) {
      why = (e as Error).message.replace(/^LETHE_BACKEND=native: /, '');
    }
  }
  for (const name of ['wasm', 'cpu'] as const) {
    const info = await start(name);
    if (info) return why ? { ...info, native: `not in use: ${why}` } : info;
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
  const info = await start(parseName(name) || 'wasm');
  if (!info) throw new Error(`could not start the ${name} backend`);
  ready = Promise.resolve(info);
  return info;
}

export { tf };
