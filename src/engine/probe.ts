// Which backend Lethe runs on, decided without loading TensorFlow.js: LETHE_BACKEND, else the native addon where it
// is built and passes its self-test (loading it checks OpenBLAS's kernels; that needs only the addon), else wasm.
// src/engine/backend.ts starts what this decides; `lethe info` reports it without starting anything.
import { existsSync } from 'node:fs';
import { ADDON_PATH, loadNative, notBuiltReason, type BlasInfo } from './native/addon.ts';

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

export type BackendPlan = { name: 'native'; blas: BlasInfo } | { name: Exclude<BackendName, 'native'>; native: string; explicit: boolean };

/** A native backend's line: "OpenBLAS Haswell kernels (…), 1 BLAS thread, 2 kernel threads (default; LETHE_THREADS to change)". */
export function describeBlas(b: BlasInfo): string {
  const plural = (n: number, what: string) => `${n} ${what} thread${n === 1 ? '' : 's'}`;
  const threads = `${plural(b.threads, 'BLAS')}, ${plural(b.kernelThreads, 'kernel')} (${b.threadsSource === 'default' ? 'default; LETHE_THREADS to change' : `from ${b.threadsSource}`})`;
  const l2 = b.l2Size ? `, OPENBLAS_L2_SIZE=${b.l2Size} from the environment` : '';
  return `OpenBLAS ${b.coreType} kernels (${b.coreTypeNote}${l2}), ${threads}`;
}

export function parseBackendName(requested: string | undefined): BackendName | '' {
  const want = (requested ?? '').trim();
  if (want && !BACKENDS.includes(want as BackendName)) throw new Error(`LETHE_BACKEND=${want} is not a backend; use one of ${BACKENDS.join(', ')}`);
  return want as BackendName | '';
}

/** The backend to run on, and why the native one is not it when it is not. */
export function planBackend(requested = process.env.LETHE_BACKEND): BackendPlan {
  const want = parseBackendName(requested);
  if (want === 'native') {
    const load = loadNative();
    if (!load.ok) throw new Error(`LETHE_BACKEND=native: ${load.reason}`);
    return { name: 'native', blas: load.blas };
  }
  // Without loading it (loading fixes OpenBLAS's settings for the process).
  if (want) return { name: want, explicit: true, native: existsSync(ADDON_PATH) ? 'built; not in use (LETHE_BACKEND=native to use it)' : notBuiltReason() };
  if (!existsSync(ADDON_PATH)) return { name: 'wasm', explicit: false, native: notBuiltReason() };
  const load = loadNative();
  return load.ok ? { name: 'native', blas: load.blas } : { name: 'wasm', explicit: false, native: `not in use: ${load.reason}` };
}

/** The smallest module with a SIMD (v128) instruction: whether this runtime's WebAssembly has SIMD, as tfjs asks. */
const SIMD_PROBE = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11);

/** What the plan runs on, described without starting it (wasm's SIMD from the runtime; Node's tfjs wasm has no threads). */
export function planInfo(plan: BackendPlan): BackendInfo {
  if (plan.name === 'native') return { backend: 'native', simd: false, threads: false, blas: plan.blas, summary: `native: ${describeBlas(plan.blas)}` };
  const simd = plan.name === 'wasm' && WebAssembly.validate(SIMD_PROBE);
  return {
    backend: plan.name, simd, threads: false, native: plan.native,
    summary: plan.name === 'wasm' ? `wasm (SIMD ${simd ? 'on' : 'off'}, threads off)` : plan.name,
  };
}
