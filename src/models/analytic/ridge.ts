// Float64 ridge regression for the analytic head: the ACIL learn recursion and the ACU Woodbury downdate
// (papers.md §2.2), and a direct downdate for large deletions. Matrices are row-major Float64Arrays;
// R = (FᵀF + γI)⁻¹ (p×p), W = R·FᵀY (p×c), and (when kept) A = FᵀF + γI (p×p) and B = FᵀY (p×c).

export interface Head {
  /** Feature dimension (the random features plus the appended 1 of the bias). */
  p: number;
  /** Classes (columns of W). */
  c: number;
  gamma: number;
  R: Float64Array;
  W: Float64Array;
  /** FᵀF + γI and FᵀY, for the direct downdate; absent in heads saved before they were kept. */
  A?: Float64Array;
  B?: Float64Array;
  /**
   * Opt-in (`classStats`): each class's own Gram FₖᵀFₖ of the rows learned (c blocks of p×p, upper halves), so a whole
   * class is deleted by A ← A − Gₖ without its rows' features. With one-hot targets, B's column k is class k's alone.
   */
  G?: Float64Array;
  /** Rows learned minus rows deleted. */
  rows: number;
}

/** A downdate pivot this small relative to its diagonal means I − F R Fᵀ is (numerically) singular. */
export const PIVOT_TOLERANCE = 1e-8;

export class IllConditionedError extends Error {}

export const cloneHead = (h: Head): Head => ({ ...h, R: h.R.slice(), W: h.W.slice(), A: h.A?.slice(), B: h.B?.slice(), G: h.G?.slice() });

/** The head of no data: R₀ = I/γ, W₀ = 0, A₀ = γI, B₀ = 0. */
export function emptyHead(p: number, c: number, gamma: number): Head {
  const R = new Float64Array(p * p);
  const A = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    R[i * p + i] = 1 / gamma;
    A[i * p + i] = gamma;
  }
  return { p, c, gamma, R, W: new Float64Array(p * c), A, B: new Float64Array(p * c), rows: 0 };
}

/** The class of a one-hot target row. */
function classOf(Y: Float64Array, yo: number, c: number): number {
  for (let j = 0; j < c; j++) if (Y[yo + j] === 1) return j;
  throw new Error('analytic head: a target row is not one-hot');
}

/**
 * A ← A + s·FᵀF (upper half only) and B ← B + s·FᵀY, F b×p, Y b×c; with G (per-class Grams) also Gₖ ← Gₖ + s·fᵀf for
 * each row's class k. Row by row, the inner loops contiguous.
 */
function addGram(A: Float64Array, B: Float64Array, p: number, c: number, F: Float64Array, Y: Float64Array, b: number, s: number, G?: Float64Array) {
  for (let r = 0; r < b; r++) {
    const o = r * p;
    const yo = r * c;
    const go = G ? classOf(Y, yo, c) * p * p : 0;
    for (let i = 0; i < p; i++) {
      const f = F[o + i];
      if (f === 0) continue;
      const a = s * f;
      const ai = i * p;
      if (G) {
        for (let j = i; j < p; j++) {
          const v = a * F[o + j];
          A[ai + j] += v;
          G[go + ai + j] += v;
        }
      } else {
        for (let j = i; j < p; j++) A[ai + j] += a * F[o + j];
      }
      const bi = i * c;
      for (let j = 0; j < c; j++) B[bi + j] += a * Y[yo + j];
    }
  }
}

/** Adds s·(FᵀF, FᵀY) to a head's kept A and B, if it keeps them. */
function updateGram(h: Head, F: Float64Array, Y: Float64Array, b: number, s: number) {
  if (!h.A || !h.B) return;
  addGram(h.A, h.B, h.p, h.c, F, Y, b, s, h.G);
  mirrorUpper(h.A, h.p);
}

/** A·B with A m×k, B k×n. Skips zero entries of A (ReLU features are about half zeros). */
export function matmul(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let t = 0; t < k; t++) {
      const a = A[i * k + t];
      if (a === 0) continue;
      const bt = t * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bt + j];
    }
  }
  return C;
}

/** A·Bᵀ with A m×k, B n×k. */
export function matmulT(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += A[i * k + t] * B[j * k + t];
      C[i * n + j] = s;
    }
  }
  return C;
}

/**
 * Lower Cholesky factor of the symmetric n×n S, or the first pivot that is not safely positive: a pivot d_j with
 * d_j / ref_j ≤ tol, where ref is S's own diagonal unless given. Row-oriented (L row by row, each entry a dot product
 * of two contiguous row prefixes), so the inner loop reads memory in order.
 */
export function cholesky(S: Float64Array, n: number, tol = 0, ref?: Float64Array): { L: Float64Array } | { pivot: number; ratio: number } {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const li = i * n;
    for (let j = 0; j < i; j++) {
      const lj = j * n;
      let s = S[li + j];
      for (let k = 0; k < j; k++) s -= L[li + k] * L[lj + k];
      L[li + j] = s / L[lj + j];
    }
    let d = S[li + i];
    for (let k = 0; k < i; k++) d -= L[li + k] * L[li + k];
    const ratio = d / (ref ? ref[i] : S[li + i]);
    if (!(d > 0) || !(ratio > tol)) return { pivot: i, ratio };
    L[li + i] = Math.sqrt(d);
  }
  return { L };
}

/** X with L Lᵀ X = B, B n×m. */
export function cholSolve(L: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  const X = B.slice();
  for (let i = 0; i < n; i++) {
    const xi = i * m;
    for (let t = 0; t < i; t++) {
      const a = L[i * n + t];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) X[xi + j] -= a * X[t * m + j];
    }
    const d = L[i * n + i];
    for (let j = 0; j < m; j++) X[xi + j] /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * m;
    for (let t = i + 1; t < n; t++) {
      const a = L[t * n + i];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) X[xi + j] -= a * X[t * m + j];
    }
    const d = L[i * n + i];
    for (let j = 0; j < m; j++) X[xi + j] /= d;
  }
  return X;
}

/** (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹, through the triangular inverse (n³/3 multiply-adds instead of n³ for a solve against I); both
 * phases run their inner loops over contiguous rows. */
export function cholInverse(L: Float64Array, n: number): Float64Array {
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    Li[row + i] = 1;
    for (let t = 0; t < i; t++) {
      const a = L[row + t];
      if (a === 0) continue;
      for (let j = 0; j <= t; j++) Li[row + j] -= a * Li[t * n + j];
    }
    const d = L[row + i];
    for (let j = 0; j <= i; j++) Li[row + j] /= d;
  }
  // R = Liᵀ Li: with U = Liᵀ (upper), R_ij = Σ_{k ≥ j} U_ik U_jk for j ≥ i, a dot of two contiguous row suffixes.
  const U = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i <= k; i++) U[i * n + k] = Li[k * n + i];
  const R = Li;
  R.fill(0);
  for (let i = 0; i < n; i++) {
    const ui = i * n;
    let j = i;
    for (; j + 1 < n; j += 2) { // two columns at once: row i's suffix is read once for both
      const u0 = j * n;
      const u1 = u0 + n;
      let s0 = U[ui + j] * U[u0 + j];
      let s1 = 0;
      for (let k = j + 1; k < n; k++) {
        const x = U[ui + k];
        s0 += x * U[u0 + k];
        s1 += x * U[u1 + k];
      }
      R[ui + j] = s0;
      R[ui + j + 1] = s1;
    }
    if (j < n) R[ui + j] = U[ui + j] * U[j * n + j];
  }
  mirrorUpper(R, n);
  return R;
}

function mirrorUpper(A: Float64Array, n: number) {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) A[j * n + i] = A[i * n + j];
}

/** R ← R + s·Aᵀ·X (A, X b×p), which is symmetric here: only the upper half is computed. */
function symUpdate(R: Float64Array, p: number, A: Float64Array, X: Float64Array, b: number, s: number) {
  for (let r = 0; r < b; r++) {
    const o = r * p;
    for (let i = 0; i < p; i++) {
      const a = s * A[o + i];
      if (a === 0) continue;
      const ri = i * p;
      for (let j = i; j < p; j++) R[ri + j] += a * X[o + j];
    }
  }
  mirrorUpper(R, p);
}

/** W ← W + s·Xᵀ·E (X b×p, E b×c). */
function headUpdate(W: Float64Array, p: number, c: number, X: Float64Array, E: Float64Array, b: number, s: number) {
  for (let r = 0; r < b; r++) {
    for (let i = 0; i < p; i++) {
      const a = s * X[r * p + i];
      if (a === 0) continue;
      for (let j = 0; j < c; j++) W[i * c + j] += a * E[r * c + j];
    }
  }
}

/** Y − F·W (b×c). */
function residual(h: Head, F: Float64Array, Y: Float64Array, b: number): Float64Array {
  const E = matmul(F, h.W, b, h.p, h.c);
  for (let i = 0; i < E.length; i++) E[i] = Y[i] - E[i];
  return E;
}

/**
 * Learns a batch (F b×p, Y b×c) in place, ACIL eq. (9)–(10): K = (I + F R Fᵀ)⁻¹, R ← R − R Fᵀ K F R,
 * W ← W + R Fᵀ (Y − F W) with the updated R. The updated R·Fᵀ equals (F R)ᵀ K, which saves one product.
 */
export function learn(h: Head, F: Float64Array, Y: Float64Array, b: number): void {
  const FR = matmul(F, h.R, b, h.p, h.p);
  const M = matmulT(FR, F, b, h.p, b);
  for (let i = 0; i < b; i++) M[i * b + i] += 1;
  const chol = cholesky(M, b);
  if (!('L' in chol)) throw new IllConditionedError(`analytic head: the learn update is not positive definite at row ${chol.pivot} (non-finite features?)`);
  const X = cholSolve(chol.L, b, FR, h.p);
  const E = residual(h, F, Y, b);
  symUpdate(h.R, h.p, FR, X, b, -1);
  headUpdate(h.W, h.p, h.c, X, E, b, 1);
  updateGram(h, F, Y, b, 1);
  h.rows += b;
}

/**
 * Deletes a batch of previously learned rows in place, by Woodbury: K = (I − F R Fᵀ)⁻¹, R ← R + R Fᵀ K F R,
 * W ← W − R Fᵀ (Y − F W) with the updated R (which equals (F R)ᵀ K). Refuses, before changing anything,
 * when I − F R Fᵀ is not safely positive definite: the rows were never learned, or deleting them leaves a
 * singular system, and the result would be wrong.
 */
export function unlearn(h: Head, F: Float64Array, Y: Float64Array, b: number, tol = PIVOT_TOLERANCE): void {
  const FR = matmul(F, h.R, b, h.p, h.p);
  const S = matmulT(FR, F, b, h.p, b);
  for (let i = 0; i < S.length; i++) S[i] = -S[i];
  for (let i = 0; i < b; i++) S[i * b + i] += 1;
  const chol = cholesky(S, b, tol);
  if (!('L' in chol)) {
    throw new IllConditionedError(`analytic downdate refused: I - F R F^T is not positive definite (pivot ${chol.pivot + 1} of ${b}, `
      + `relative ${chol.ratio.toExponential(2)} < ${tol}); the rows were not all learned, or deleting them leaves a singular system`);
  }
  const X = cholSolve(chol.L, b, FR, h.p);
  const E = residual(h, F, Y, b);
  symUpdate(h.R, h.p, FR, X, b, 1);
  headUpdate(h.W, h.p, h.c, X, E, b, -1);
  updateGram(h, F, Y, b, -1);
  h.rows -= b;
}

/**
 * The direct downdate for a large deletion, batch by batch: A ← A − F_uᵀF_u and B ← B − F_uᵀY_u accumulated over
 * the batches, then one Cholesky of the new A, R = A⁻¹ and W = R·B. O(p²b/2 + p³/3) against Woodbury's ~O(p²b):
 * cheaper once b passes a small multiple of p. Needs the kept A and B. The head is changed only by `finish`, and only
 * when every pivot of the new A stays above `tol` relative to the old A's diagonal (how much of each direction the
 * deletion leaves: the Woodbury guard's meaning; the new A's own diagonal would hide a cancellation to rounding noise).
 */
export function directDowndate(h: Head, tol = PIVOT_TOLERANCE) {
  if (!h.A || !h.B) throw new Error('analytic head: the direct downdate needs the kept A and B');
  const { p, c } = h;
  const A = h.A.slice();
  const B = h.B.slice();
  const G = h.G?.slice();
  let rows = 0;
  return {
    add(F: Float64Array, Y: Float64Array, b: number) {
      addGram(A, B, p, c, F, Y, b, -1, G);
      rows += b;
    },
    /**
     * Removes every learned row of class k (`count` of them) without their features: A ← A − Gₖ, B's column k ← 0,
     * Gₖ ← 0. Exact when no learned row of class k remains, which the caller knows (the retain set has none).
     */
    dropClass(k: number, count: number) {
      if (!G) throw new Error('analytic head: dropping a whole class needs the per-class statistics (recipe classStats=true)');
      const go = k * p * p;
      for (let i = 0; i < p; i++) {
        const ai = i * p;
        for (let j = i; j < p; j++) {
          A[ai + j] -= G[go + ai + j];
          G[go + ai + j] = 0;
        }
        B[i * c + k] = 0;
      }
      rows += count;
    },
    finish(): void {
      mirrorUpper(A, p);
      const before = new Float64Array(p);
      for (let i = 0; i < p; i++) before[i] = h.A![i * p + i];
      const chol = cholesky(A, p, tol, before);
      if (!('L' in chol)) {
        throw new IllConditionedError(`analytic downdate refused: F^T F + gamma I without the ${rows} rows is not positive definite (pivot ${chol.pivot + 1} of ${p}, `
          + `relative ${chol.ratio.toExponential(2)} < ${tol}); the rows were not all learned, or deleting them leaves a singular system`);
      }
      const R = cholInverse(chol.L, p);
      Object.assign(h, { R, W: matmul(R, B, p, p, c), A, B, G, rows: h.rows - rows });
    },
  };
}

/**
 * A fresh fit, batch by batch: accumulates A = FᵀF and B = FᵀY, then R = (A + γI)⁻¹ by Cholesky and W = R·B.
 * The same head the learn recursion gives from R₀ = I/γ, for a third of its multiply-adds. The head keeps A + γI and B.
 */
export function ridgeFit(p: number, c: number, gamma: number, { classStats = false } = {}) {
  const A = new Float64Array(p * p);
  const B = new Float64Array(p * c);
  const G = classStats ? new Float64Array(c * p * p) : undefined;
  let rows = 0;
  return {
    add(F: Float64Array, Y: Float64Array, b: number) {
      addGram(A, B, p, c, F, Y, b, 1, G);
      rows += b;
    },
    finish(): Head {
      mirrorUpper(A, p);
      for (let i = 0; i < p; i++) A[i * p + i] += gamma;
      const chol = cholesky(A, p);
      if (!('L' in chol)) throw new IllConditionedError(`analytic fit: FᵀF + γI is not positive definite at row ${chol.pivot} (gamma ${gamma}, non-finite features?)`);
      const R = cholInverse(chol.L, p);
      return { p, c, gamma, R, W: matmul(R, B, p, p, c), A, B, ...(G ? { G } : {}), rows };
    },
  };
}

/** One-hot targets (b×c) for labels. */
export function oneHot(labels: ArrayLike<number>, c: number): Float64Array {
  const Y = new Float64Array(labels.length * c);
  for (let i = 0; i < labels.length; i++) Y[i * c + labels[i]] = 1;
  return Y;
}
