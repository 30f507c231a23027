// The startup check of the BLAS kernels OpenBLAS picked: matrix products and convolutions
// on a few small odd shapes against plain loops in double. A wrong core type gives garbage
// or wrong edge handling, not rounding noise, so the tolerance can be loose.

type Pad = 'same' | 'valid';

export interface MatMulCase {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}
export interface ConvCase {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  f: number;
  stride: number;
  pad: Pad;
}

/** The kernels under test, over plain buffers; geometry as kernels/geom.ts builds it. */
export interface SelfTestKernels {
  matmul(a: Float32Array, b: Float32Array, c: MatMulCase): Float32Array;
  conv2d(x: Float32Array, f: Float32Array, geom: Int32Array): Float32Array;
  conv2dBackpropInput(dy: Float32Array, f: Float32Array, geom: Int32Array): Float32Array;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, geom: Int32Array): Float32Array;
}

export const MATMUL_CASES: readonly MatMulCase[] = [
  { m: 7, n: 5, k: 3, transA: false, transB: false },
  { m: 1, n: 17, k: 33, transA: false, transB: true },
  { m: 33, n: 1, k: 9, transA: true, transB: false },
  { m: 65, n: 67, k: 129, transA: true, transB: true },
  { m: 130, n: 70, k: 260, transA: false, transB: false },
];
export const CONV_CASES: readonly ConvCase[] = [
  { n: 2, h: 9, w: 7, ci: 3, co: 5, f: 3, stride: 2, pad: 'same' },
  { n: 1, h: 6, w: 6, ci: 4, co: 6, f: 5, stride: 1, pad: 'valid' },
  { n: 3, h: 8, w: 8, ci: 16, co: 33, f: 3, stride: 1, pad: 'same' },
  { n: 2, h: 5, w: 5, ci: 7, co: 9, f: 1, stride: 1, pad: 'valid' },
];
const TOLERANCE = 1e-4;

/** Uniform in [-1, 1) from a fixed linear congruential stream: the same data every start. */
function data(size: number, seed: number): Float32Array {
  const v = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

export function refMatMul(a: Float32Array, b: Float32Array, { m, n, k, transA, transB }: MatMulCase): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
      out[i * n + j] = s;
    }
  return out;
}

interface G {
  n: number; h: number; w: number; ci: number; oh: number; ow: number; co: number;
  fh: number; fw: number; sy: number; sx: number; top: number; left: number;
}
const unpack = (g: Int32Array): G => ({
  n: g[0], h: g[1], w: g[2], ci: g[3], oh: g[4], ow: g[5], co: g[6], fh: g[7], fw: g[8], sy: g[9], sx: g[10], top: g[13], left: g[14],
});

/** Calls f(output offset, filter tap offset, input offset) for every in-bounds tap of the convolution. */
function taps(g: G, f: (outBase: number, fBase: number, xBase: number) => void) {
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++)
        for (let ky = 0; ky < g.fh; ky++)
          for (let kx = 0; kx < g.fw; kx++) {
            const iy = oy * g.sy + ky - g.top;
            const ix = ox * g.sx + kx - g.left;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
            f(((b * g.oh + oy) * g.ow + ox) * g.co, (ky * g.fw + kx) * g.ci * g.co, ((b * g.h + iy) * g.w + ix) * g.ci);
          }
}

/**
 * A convolution product in double, rounded once to float32: over every in-bounds tap and
 * channel pair (c in, d out), add(acc, output index, filter index, input index) with acc
 * sized size(g) — so the forward pass and both gradients differ only in what they sum where.
 */
function refConv(geom: Int32Array, size: (g: G) => number, add: (acc: Float64Array, yi: number, fi: number, xi: number) => void): Float32Array {
  const g = unpack(geom);
  const acc = new Float64Array(size(g));
  taps(g, (o, fb, xb) => {
    for (let c = 0; c < g.ci; c++) for (let d = 0; d < g.co; d++) add(acc, o + d, fb + c * g.co + d, xb + c);
  });
  return Float32Array.from(acc);
}

export function refConv2D(x: Float32Array, f: Float32Array, geom: Int32Array): Float32Array {
  return refConv(geom, (g) => g.n * g.oh * g.ow * g.co, (out, yi, fi, xi) => (out[yi] += x[xi] * f[fi]));
}

export function refConv2DBackpropInput(dy: Float32Array, f: Float32Array, geom: Int32Array): Float32Array {
  return refConv(geom, (g) => g.n * g.h * g.w * g.ci, (dx, yi, fi, xi) => (dx[xi] += dy[yi] * f[fi]));
}

export function refConv2DBackpropFilter(x: Float32Array, dy: Float32Array, geom: Int32Array): Float32Array {
  return refConv(geom, (g) => g.fh * g.fw * g.ci * g.co, (df, yi, fi, xi) => (df[fi] += x[xi] * dy[yi]));
}

/**
 * A case's geometry, worked out here by TensorFlow's rules ('same': out = ⌈in/stride⌉, the padding split with the
 * smaller half first; 'valid': out = ⌈(in − f + 1)/stride⌉), so the self-test loads no TensorFlow.js (`lethe info`
 * runs it); a parity test checks it against tfjs's own Conv2DInfo.
 */
export function caseGeom(c: ConvCase): Int32Array {
  const side = (size: number) => {
    if (c.pad === 'valid') return { out: Math.ceil((size - c.f + 1) / c.stride), before: 0 };
    const out = Math.ceil(size / c.stride);
    return { out, before: Math.floor(Math.max((out - 1) * c.stride + c.f - size, 0) / 2) };
  };
  const [h, w] = [side(c.h), side(c.w)];
  return Int32Array.of(c.n, c.h, c.w, c.ci, h.out, w.out, c.co, c.f, c.f, c.stride, c.stride, 1, 1, h.before, w.before);
}

export interface SelfTestResult {
  ok: boolean;
  /** One entry per failed check: kernel, shape, error. */
  failures: string[];
  /** Largest error relative to the reference's largest magnitude, over every check. */
  worst: number;
}

/** Relative error of `got` against `want`: max |got - want| / max(|want|, 1); NaN counts as infinite. */
export function relError(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) return Infinity;
  let d = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    d = Number.isNaN(e) ? Infinity : Math.max(d, e);
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return d / scale;
}

/** Runs every case on `kernels` and compares it with the reference; pure but for the kernels. */
export function selfTest(kernels: SelfTestKernels): SelfTestResult {
  const failures: string[] = [];
  let worst = 0;
  const check = (name: string, got: Float32Array, want: Float32Array) => {
    const e = relError(got, want);
    worst = Math.max(worst, e);
    if (!(e <= TOLERANCE)) failures.push(`${name}: relative error ${e.toExponential(2)}`);
  };
  MATMUL_CASES.forEach((c, i) => {
    const a = data(c.m * c.k, 10 + i);
    const b = data(c.k * c.n, 20 + i);
    check(`matmul ${c.m}x${c.k}${c.transA ? 'ᵀ' : ''}·${c.k}x${c.n}${c.transB ? 'ᵀ' : ''}`, kernels.matmul(a, b, c), refMatMul(a, b, c));
  });
  CONV_CASES.forEach((c, i) => {
    const geom = caseGeom(c);
    const [, , , , oh, ow] = geom;
    const x = data(c.n * c.h * c.w * c.ci, 30 + i);
    const f = data(c.f * c.f * c.ci * c.co, 40 + i);
    const dy = data(c.n * oh * ow * c.co, 50 + i);
    const name = `[${c.n},${c.h},${c.w},${c.ci}] * ${c.f}x${c.f}x${c.co} stride ${c.stride} ${c.pad}`;
    check(`conv2d ${name}`, kernels.conv2d(x, f, geom), refConv2D(x, f, geom));
    check(`conv2d input gradient ${name}`, kernels.conv2dBackpropInput(dy, f, geom), refConv2DBackpropInput(dy, f, geom));
    check(`conv2d filter gradient ${name}`, kernels.conv2dBackpropFilter(x, dy, geom), refConv2DBackpropFilter(x, dy, geom));
  });
  return { ok: failures.length === 0, failures, worst };
}
