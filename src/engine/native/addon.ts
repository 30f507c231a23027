// Loads the addon (src/engine/native/addon/, built by install.mjs) with the OpenBLAS core type
// and thread count decided first, then checks the kernels OpenBLAS picked before anything
// trusts them. Every way this can fail ends in one line saying why and what to do.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planCoreType, readCpu, type CorePlan, type CoreTypeSource } from './coretype.ts';
import { selfTest, type SelfTestKernels, type SelfTestResult } from './selftest.ts';

/** The addon's functions: arithmetic on Float32Arrays, outputs preallocated by the caller. */
export interface NativeAddon {
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, batch: number, m: number, n: number, k: number,
    transA: number, transB: number, aStride: number, bStride: number, bias: Float32Array | null, act: number): void;
  conv2d(x: Float32Array, f: Float32Array, out: Float32Array, geom: Int32Array, bias: Float32Array | null, act: number): void;
  conv2dBackpropInput(dy: Float32Array, f: Float32Array, dx: Float32Array, geom: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, df: Float32Array, geom: Int32Array): void;
  maxPool(x: Float32Array, out: Float32Array, geom: Int32Array): void;
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, geom: Int32Array): void;
  binary(op: number, a: Float32Array, aMode: number, b: Float32Array, bMode: number, out: Float32Array, outer: number, inner: number): void;
  unary(op: number, x: Float32Array, out: Float32Array, size: number, alpha: number): void;
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, size: number): void;
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, inner: number, innerAxis: number): void;
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, w2: Float32Array, m2: Float32Array, v2: Float32Array,
    size: number, consts: Float64Array): void;
  adamInPlace(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, size: number, consts: Float64Array): void;
  batchNorm(x: Float32Array, mean: Float32Array, variance: Float32Array, offset: Float32Array | null, scale: Float32Array | null,
    epsilon: number, out: Float32Array): void;
  tile(x: Float32Array, shape: Float64Array, reps: Float64Array, out: Float32Array): void;
  setThreads(n: number): void;
  /** Threads for Lethe's own kernels (convolutions, pooling, element-wise), the caller included. */
  setKernelThreads(n: number): void;
  blasInfo(): { coreName: string; config: string; threads: number; kernelThreads: number };
}

/** What `lethe info` reports about the BLAS under the native backend. */
export interface BlasInfo {
  /** The kernels OpenBLAS runs (openblas_get_corename). */
  coreType: string;
  coreTypeSource: CoreTypeSource;
  coreTypeNote: string;
  /** OPENBLAS_L2_SIZE, when the environment sets it (OpenBLAS reads it; Lethe never sets it). */
  l2Size?: string;
  /** OpenBLAS's threads (the dense layers' products). */
  threads: number;
  /** Lethe's own kernels' threads (convolutions, pooling, element-wise passes). */
  kernelThreads: number;
  threadsSource: ThreadsSource;
  /** openblas_get_config(), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64". */
  config: string;
  /** Worst relative error of the startup self-test. */
  selfTestError: number;
}

export type NativeLoad = { ok: true; addon: NativeAddon; blas: BlasInfo } | { ok: false; reason: string };

const HERE = dirname(fileURLToPath(import.meta.url));
const BUILD = join(HERE, 'build');
export const ADDON_PATH = join(BUILD, 'Release', 'lethe_native.node');
/** Written by install.mjs: { ok, reason } of the last build attempt. */
export const STATUS_PATH = join(BUILD, 'status.json');
/** Core types chosen from the CPU flags that then failed the self-test: { cpu, rejected[] }. */
const REJECTED_PATH = join(BUILD, 'coretype-rejected.json');
export const HOW_TO_GET = 'to get it: apt-get install g++ make python3 libopenblas-dev, then npm ci (or node src/engine/native/install.mjs)';

export type ThreadsSource = 'LETHE_THREADS' | 'OPENBLAS_NUM_THREADS' | 'default';

export interface ThreadPlan {
  /** OpenBLAS's threads: two were slower than one on the MLP's products here (see the engine notes). */
  blas: number;
  /** Lethe's own kernels' threads: every core by default (a small CNN's step took 0.7 of its one-thread time on two). */
  kernels: number;
  source: ThreadsSource;
}

/**
 * Threads: LETHE_THREADS sets both OpenBLAS's and Lethe's kernels'; else OPENBLAS_NUM_THREADS sets OpenBLAS's; by
 * default OpenBLAS runs one and Lethe's kernels run on every core.
 */
export function planThreads(env: Record<string, string | undefined>, cores = availableParallelism()): ThreadPlan {
  const parse = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`${name}=${v} is not a thread count (a whole number from 1 to 256)`);
    return n;
  };
  if (env.LETHE_THREADS?.trim()) {
    const n = parse('LETHE_THREADS', env.LETHE_THREADS.trim());
    return { blas: n, kernels: n, source: 'LETHE_THREADS' };
  }
  if (env.OPENBLAS_NUM_THREADS?.trim()) return { blas: parse('OPENBLAS_NUM_THREADS', env.OPENBLAS_NUM_THREADS.trim()), kernels: cores, source: 'OPENBLAS_NUM_THREADS' };
  return { blas: 1, kernels: cores, source: 'default' };
}

/**
 * Whether the self-test lets the native backend run, and if not the one line that says so.
 * There is no retry in-process: OpenBLAS fixes its kernels when the library loads.
 */
export function selfTestVerdict(plan: CorePlan, coreName: string, result: SelfTestResult): { ok: true } | { ok: false; reason: string } {
  if (result.ok) return { ok: true };
  const first = `${result.failures[0]}${result.failures.length > 1 ? ` and ${result.failures.length - 1} more` : ''}`;
  const what = plan.source === 'environment' ? `OPENBLAS_CORETYPE=${coreName} from the environment`
    : plan.source === 'cpu flags' ? `OpenBLAS core type ${coreName} (chosen from the CPU flags)`
    : `OpenBLAS's own core type ${coreName}`;
  const next = plan.source === 'cpu flags'
    ? 'the next start leaves the choice to OpenBLAS (generic kernels); or set OPENBLAS_CORETYPE, or LETHE_BACKEND=wasm'
    : 'set another OPENBLAS_CORETYPE, or use LETHE_BACKEND=wasm';
  return { ok: false, reason: `${what} failed the startup self-test (${first}); native backend off for this process: ${next}` };
}

/** The self-test's view of the addon. */
export function addonKernels(addon: NativeAddon): SelfTestKernels {
  return {
    matmul(a, b, c) {
      const out = new Float32Array(c.m * c.n);
      addon.matmul(a, b, out, 1, c.m, c.n, c.k, +c.transA, +c.transB, 0, 0, null, 0);
      return out;
    },
    conv2d(x, f, g) {
      const out = new Float32Array(g[0] * g[4] * g[5] * g[6]);
      addon.conv2d(x, f, out, g, null, 0);
      return out;
    },
    conv2dBackpropInput(dy, f, g) {
      const dx = new Float32Array(g[0] * g[1] * g[2] * g[3]);
      addon.conv2dBackpropInput(dy, f, dx, g);
      return dx;
    },
    conv2dBackpropFilter(x, dy, g) {
      const df = new Float32Array(g[7] * g[8] * g[3] * g[6]);
      addon.conv2dBackpropFilter(x, dy, df, g);
      return df;
    },
  };
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Why the addon is not there, from the last build attempt. */
export function notBuiltReason(): string {
  const status = readJson<{ ok: boolean; reason?: string }>(STATUS_PATH);
  const why = status && !status.ok && status.reason ? status.reason : 'the addon is not built';
  return `native backend unavailable: ${why}; ${HOW_TO_GET}`;
}

function rejectedCoreTypes(cpu: string): string[] {
  const r = readJson<{ cpu: string; rejected: string[] }>(REJECTED_PATH);
  return r && r.cpu === cpu && Array.isArray(r.rejected) ? r.rejected : [];
}

function rememberRejected(cpu: string, coreType: string) {
  try {
    const rejected = [...new Set([...rejectedCoreTypes(cpu), coreType])];
    mkdirSync(BUILD, { recursive: true });
    writeFileSync(REJECTED_PATH, JSON.stringify({ cpu, rejected }) + '\n');
  } catch {
    // Best effort: without the file the next start tries (and checks) the same core type again.
  }
}

function load(): NativeLoad {
  if (!existsSync(ADDON_PATH)) return { ok: false, reason: notBuiltReason() };
  let threads: ReturnType<typeof planThreads>;
  try {
    threads = planThreads(process.env);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const cpu = readCpu();
  const plan = planCoreType(process.env.OPENBLAS_CORETYPE, cpu, rejectedCoreTypes(cpu.model));
  // OpenBLAS reads both variables once, when the addon pulls it in. Set only what is unset, and
  // only for that moment, so that child processes see the environment as it was.
  const setForLoad: string[] = [];
  if (plan.set) {
    process.env.OPENBLAS_CORETYPE = plan.set;
    setForLoad.push('OPENBLAS_CORETYPE');
  }
  if (process.env.OPENBLAS_NUM_THREADS === undefined) {
    process.env.OPENBLAS_NUM_THREADS = String(threads.blas);
    setForLoad.push('OPENBLAS_NUM_THREADS');
  }
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
  } catch (e) {
    const first = String((e as Error).message).split('\n')[0];
    return { ok: false, reason: `native backend unavailable: the addon failed to load (${first}); ${HOW_TO_GET}` };
  } finally {
    for (const name of setForLoad) delete process.env[name];
  }
  addon.setThreads(threads.blas);
  addon.setKernelThreads(threads.kernels);
  const info = addon.blasInfo();
  const result = selfTest(addonKernels(addon));
  const verdict = selfTestVerdict(plan, info.coreName, result);
  if (!verdict.ok) {
    if (plan.source === 'cpu flags' && plan.set) rememberRejected(cpu.model, plan.set);
    return { ok: false, reason: verdict.reason };
  }
  return {
    ok: true,
    addon,
    blas: {
      coreType: info.coreName,
      coreTypeSource: plan.source,
      coreTypeNote: plan.note,
      l2Size: process.env.OPENBLAS_L2_SIZE || undefined,
      threads: addon.blasInfo().threads,
      kernelThreads: addon.blasInfo().kernelThreads,
      threadsSource: threads.source,
      config: info.config,
      selfTestError: result.worst,
    },
  };
}

let loaded: NativeLoad | undefined;

/** Loads and checks the addon once per process; later calls return the same answer. */
export function loadNative(): NativeLoad {
  loaded ??= load();
  return loaded;
}
