// The decisions made before and right after OpenBLAS loads: pure functions, no addon needed.
import { describe, expect, it } from 'vitest';
import { planThreads, selfTestVerdict } from './addon.ts';
import { chooseCoreType, planCoreType, readCpu } from './coretype.ts';
import { backend_util } from '@tensorflow/tfjs-core';
import { convGeom } from './kernels/geom.ts';
import {
  caseGeom, CONV_CASES, refConv2D, refConv2DBackpropFilter, refConv2DBackpropInput, refMatMul, relError, selfTest, type SelfTestKernels,
} from './selftest.ts';

const ZEN4 = 'fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma bmi2 avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16'.split(' ');
const cpu = (flags: string[]) => ({ model: 'Test CPU', flags });

describe('OpenBLAS core type', () => {
  it('is chosen from the CPU flags, most capable first', () => {
    expect(chooseCoreType(ZEN4)).toBe('SkylakeX');
    expect(chooseCoreType(['avx', 'avx2', 'fma', 'avx512f'])).toBe('Haswell'); // AVX-512 without BW/VL is not enough
    expect(chooseCoreType(['avx', 'avx2'])).toBe('Sandybridge'); // no FMA
    expect(chooseCoreType(['sse2', 'sse3'])).toBeNull();
  });

  it('is never chosen when the environment sets one', () => {
    const plan = planCoreType('Haswell', cpu(ZEN4));
    expect(plan).toMatchObject({ set: null, source: 'environment' });
    expect(plan.note).toContain('OPENBLAS_CORETYPE=Haswell');
  });

  it('when unset, comes from the flags, unless that type failed the self-test here before', () => {
    expect(planCoreType(undefined, cpu(ZEN4))).toMatchObject({ set: 'SkylakeX', source: 'cpu flags' });
    expect(planCoreType('', cpu(ZEN4))).toMatchObject({ set: 'SkylakeX', source: 'cpu flags' });
    const after = planCoreType(undefined, cpu(ZEN4), ['skylakex']);
    expect(after).toMatchObject({ set: null, source: 'openblas' });
    expect(after.note).toMatch(/SkylakeX .*failed the self-test/);
    expect(planCoreType(undefined, cpu([]))).toMatchObject({ set: null, source: 'openblas' });
  });

  it('reads this machine\'s flags', () => {
    const here = readCpu();
    if (process.platform === 'linux') expect(here.flags.length).toBeGreaterThan(0);
    expect(readCpu('/nonexistent/cpuinfo')).toEqual({ model: '', flags: [] });
  });
});

describe('threads', () => {
  it('default to one BLAS thread and every core for the kernels; LETHE_THREADS sets both, OPENBLAS_NUM_THREADS BLAS only', () => {
    expect(planThreads({}, 2)).toEqual({ blas: 1, kernels: 2, source: 'default' });
    expect(planThreads({ OPENBLAS_NUM_THREADS: '2' }, 4)).toEqual({ blas: 2, kernels: 4, source: 'OPENBLAS_NUM_THREADS' });
    expect(planThreads({ LETHE_THREADS: '3', OPENBLAS_NUM_THREADS: '2' }, 2)).toEqual({ blas: 3, kernels: 3, source: 'LETHE_THREADS' });
  });
  it.each(['0', '-1', '1.5', 'two', '999'])('reject LETHE_THREADS=%s in one line', (v) => {
    expect(() => planThreads({ LETHE_THREADS: v })).toThrow(new RegExp(`^LETHE_THREADS=${v.replace('.', '\\.')} is not a thread count`));
  });
});

// The reference loops stand in for the addon: the self-test must pass them, and fail as soon
// as one result is wrong, whichever kernel it comes from.
const reference: SelfTestKernels = {
  matmul: refMatMul,
  conv2d: refConv2D,
  conv2dBackpropInput: refConv2DBackpropInput,
  conv2dBackpropFilter: refConv2DBackpropFilter,
};

function corrupt(kernel: keyof SelfTestKernels, how: (out: Float32Array) => void): SelfTestKernels {
  return {
    ...reference,
    [kernel]: (...args: never[]) => {
      const out = (reference[kernel] as (...a: never[]) => Float32Array)(...args);
      how(out);
      return out;
    },
  };
}

describe('startup self-test', () => {
  it.each(CONV_CASES.map((c) => [JSON.stringify(c), c] as const))('works out the geometry of %s as tfjs does', (_, c) => {
    expect(Array.from(caseGeom(c))).toEqual(Array.from(convGeom(backend_util.computeConv2DInfo([c.n, c.h, c.w, c.ci], [c.f, c.f, c.ci, c.co], c.stride, 1, c.pad))));
  });

  it('passes correct kernels', () => {
    const r = selfTest(reference);
    expect(r).toEqual({ ok: true, failures: [], worst: 0 });
  });

  it.each(['matmul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'] as const)('catches one wrong value from %s', (k) => {
    const r = selfTest(corrupt(k, (out) => (out[out.length >> 1] += 0.05)));
    expect(r.ok).toBe(false);
    expect(r.failures.length).toBeGreaterThan(0);
  });

  it('catches NaN and a short result', () => {
    expect(selfTest(corrupt('matmul', (out) => (out[0] = NaN))).ok).toBe(false);
    expect(relError(new Float32Array(3), new Float32Array(4))).toBe(Infinity);
  });

  it('tolerates float32 rounding', () => {
    expect(selfTest(corrupt('conv2d', (out) => out.forEach((v, i) => (out[i] = v * (1 + 1e-6))))).ok).toBe(true);
  });

  it('a failure refuses the native backend with one line naming the core type and what to do', () => {
    const r = selfTest(corrupt('matmul', (out) => (out[0] += 1)));
    const fromFlags = selfTestVerdict({ set: 'SkylakeX', source: 'cpu flags', note: '' }, 'SkylakeX', r);
    expect(fromFlags.ok).toBe(false);
    if (fromFlags.ok) return;
    expect(fromFlags.reason).not.toContain('\n');
    expect(fromFlags.reason).toMatch(/^OpenBLAS core type SkylakeX \(chosen from the CPU flags\) failed the startup self-test \(matmul 7x3·3x5: relative error/);
    expect(fromFlags.reason).toContain('the next start leaves the choice to OpenBLAS');
    const fromEnv = selfTestVerdict({ set: null, source: 'environment', note: '' }, 'Haswell', r);
    expect(fromEnv.ok || fromEnv.reason).toMatch(/^OPENBLAS_CORETYPE=Haswell from the environment failed .*LETHE_BACKEND=wasm$/);
    expect(selfTestVerdict({ set: null, source: 'environment', note: '' }, 'Haswell', selfTest(reference))).toEqual({ ok: true });
  });
});
