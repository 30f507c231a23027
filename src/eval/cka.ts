// Linear CKA (Kornblith, Norouzi, Lee & Hinton, ICML 2019, "Similarity of Neural Network Representations Revisited").

export interface CkaOptions {
  /**
   * 'features' works with d x d matrices (X'X), 'gram' with n x n ones (X X'); both give the same
   * number, since ||Y'X||_F^2 = <XX', YY'>_F. The default picks the cheaper one.
   */
  via?: 'features' | 'gram';
}

/** Columns minus their means, in float64 so long sums of activations do not lose digits. */
function centered(a: Float32Array, n: number, d: number): Float64Array {
  const out = Float64Array.from(a);
  for (let c = 0; c < d; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += out[i * d + c];
    mean /= n;
    for (let i = 0; i < n; i++) out[i * d + c] -= mean;
  }
  return out;
}

/** ||A'B||_F^2 for A (n x da), B (n x db). */
function crossFrob2(a: Float64Array, da: number, b: Float64Array, db: number, n: number): number {
  const m = new Float64Array(da * db);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < da; p++) {
      const v = a[i * da + p];
      if (v === 0) continue;
      const row = p * db;
      for (let q = 0; q < db; q++) m[row + q] += v * b[i * db + q];
    }
  }
  let s = 0;
  for (let t = 0; t < m.length; t++) s += m[t] * m[t];
  return s;
}

/** The n x n Gram matrix A A'. */
function gram(a: Float64Array, d: number, n: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += a[i * d + c] * a[j * d + c];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t] * b[t];
  return s;
}

/**
 * Linear CKA between X (n x d1) and Y (n x d2), row-major, rows = the same n samples:
 * ||Y'X||_F^2 / (||X'X||_F ||Y'Y||_F) after centring columns. 1 for identical representations,
 * invariant to orthogonal transforms and isotropic scaling. NaN when either is constant.
 */
export function linearCka(x: Float32Array, d1: number, y: Float32Array, d2: number, opts: CkaOptions = {}): number {
  if (!Number.isInteger(d1) || d1 < 1 || !Number.isInteger(d2) || d2 < 1) throw new Error('dimensions must be positive integers');
  if (x.length % d1 !== 0 || y.length % d2 !== 0) throw new Error('activation lengths are not multiples of their widths');
  const n = x.length / d1;
  if (y.length / d2 !== n) throw new Error(`X has ${n} rows but Y has ${y.length / d2}`);
  if (n < 2) return NaN;
  const xc = centered(x, n, d1);
  const yc = centered(y, n, d2);
  // Work (multiply-adds): features ~ n (d1 d2 + d1^2 + d2^2), gram ~ n^2 (d1 + d2) / 2 + 3 n^2.
  const via = opts.via ?? (n * (d1 + d2) < 2 * (d1 * d2 + d1 * d1 + d2 * d2) ? 'gram' : 'features');
  let hsic: number;
  let nx: number;
  let ny: number;
  if (via === 'features') {
    hsic = crossFrob2(xc, d1, yc, d2, n);
    nx = Math.sqrt(crossFrob2(xc, d1, xc, d1, n));
    ny = Math.sqrt(crossFrob2(yc, d2, yc, d2, n));
  } else {
    const kx = gram(xc, d1, n);
    const ky = gram(yc, d2, n);
    hsic = dot(kx, ky);
    nx = Math.sqrt(dot(kx, kx));
    ny = Math.sqrt(dot(ky, ky));
  }
  const denom = nx * ny;
  return denom === 0 ? NaN : hsic / denom;
}
