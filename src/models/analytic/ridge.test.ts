import { describe, expect, it } from 'vitest';
import { rng } from '../../shared/random.ts';
import { cloneHead, directDowndate, emptyHead, IllConditionedError, learn, oneHot, ridgeFit, unlearn, type Head } from './ridge.ts';

const p = 20;
const c = 3;
const gamma = 0.1;
const n = 200;

/** ReLU-like random rows (about half zeros) with a trailing 1, and random labels. */
function data(seed: number, rows = n) {
  const random = rng(seed);
  const F = new Float64Array(rows * p);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < p - 1; j++) F[r * p + j] = Math.max(0, random() * 2 - 1);
    F[r * p + p - 1] = 1;
  }
  const labels = Int32Array.from({ length: rows }, () => Math.floor(random() * c));
  return { F, Y: oneHot(labels, c) };
}

/** The reference, independent of ridge.ts: W* = (FᵀF + γI)⁻¹ FᵀY by Gauss–Jordan with partial pivoting on the full system. */
function directSolve(F: Float64Array, Y: Float64Array, rowsKept: number[], g = gamma): number[][] {
  const A = Array.from({ length: p }, (_, i) => Array.from({ length: p + c }, (_, j) => (i === j ? g : 0)));
  for (const r of rowsKept) {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) A[i][j] += F[r * p + i] * F[r * p + j];
      for (let j = 0; j < c; j++) A[i][p + j] += F[r * p + i] * Y[r * c + j];
    }
  }
  for (let col = 0; col < p; col++) {
    let best = col;
    for (let i = col + 1; i < p; i++) if (Math.abs(A[i][col]) > Math.abs(A[best][col])) best = i;
    [A[col], A[best]] = [A[best], A[col]];
    const d = A[col][col];
    for (let j = 0; j < p + c; j++) A[col][j] /= d;
    for (let i = 0; i < p; i++) {
      if (i === col) continue;
      const f = A[i][col];
      for (let j = 0; j < p + c; j++) A[i][j] -= f * A[col][j];
    }
  }
  return A.map((row) => row.slice(p));
}

/** max |W − W*| / max |W*|. */
function relErr(h: Head, ref: number[][]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < c; j++) {
      num = Math.max(num, Math.abs(h.W[i * c + j] - ref[i][j]));
      den = Math.max(den, Math.abs(ref[i][j]));
    }
  }
  return num / den;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const rowsOf = (M: Float64Array, width: number, a: number, b: number) => M.slice(a * width, b * width);

/** Learns rows [0, n) in batches of `size` by the recursion. */
function learnAll(F: Float64Array, Y: Float64Array, size: number, g = gamma): Head {
  const h = emptyHead(p, c, g);
  for (let a = 0; a < n; a += size) {
    const b = Math.min(n, a + size);
    learn(h, rowsOf(F, p, a, b), rowsOf(Y, c, a, b), b - a);
  }
  return h;
}

describe('analytic ridge head', () => {
  const { F, Y } = data(1);
  const all = range(0, n);

  it('the learn recursion over several batches equals the direct solve', () => {
    const h = learnAll(F, Y, 37);
    expect(h.rows).toBe(n);
    expect(relErr(h, directSolve(F, Y, all))).toBeLessThan(1e-9);
  });

  it('the batched fresh fit equals the direct solve, and its R is the inverse of FᵀF + γI', () => {
    const fit = ridgeFit(p, c, gamma);
    for (let a = 0; a < n; a += 64) fit.add(rowsOf(F, p, a, Math.min(n, a + 64)), rowsOf(Y, c, a, Math.min(n, a + 64)), Math.min(n, a + 64) - a);
    const h = fit.finish();
    expect(relErr(h, directSolve(F, Y, all))).toBeLessThan(1e-9);
    // (FᵀF + γI)·R = I, checked entry by entry.
    for (const [i, j] of [[0, 0], [3, 7], [19, 19], [12, 5]]) {
      let s = gamma * h.R[i * p + j];
      for (let k = 0; k < p; k++) {
        let a = 0;
        for (let r = 0; r < n; r++) a += F[r * p + i] * F[r * p + k];
        s += a * h.R[k * p + j];
      }
      expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
    }
  });

  it('deleting a batch equals the direct solve on the remaining rows', () => {
    const h = learnAll(F, Y, 50);
    const gone = range(40, 70);
    unlearn(h, rowsOf(F, p, 40, 70), rowsOf(Y, c, 40, 70), 30);
    expect(h.rows).toBe(n - 30);
    expect(relErr(h, directSolve(F, Y, all.filter((r) => !gone.includes(r))))).toBeLessThan(1e-9);
  });

  it('three deletions in a row compose: each equals the direct solve without everything deleted so far', () => {
    const h = learnAll(F, Y, 50);
    let kept = all;
    for (const [a, b] of [[0, 10], [150, 190], [77, 78]]) {
      unlearn(h, rowsOf(F, p, a, b), rowsOf(Y, c, a, b), b - a);
      kept = kept.filter((r) => r < a || r >= b);
      expect(relErr(h, directSolve(F, Y, kept))).toBeLessThan(1e-9);
    }
  });

  it('refuses a row that was never learned, before changing anything', () => {
    const h = learnAll(F, Y, 50);
    const before = cloneHead(h);
    // A row far outside the data: its leverage fᵀRf is far above 1, so I − fRfᵀ is negative.
    const stranger = rowsOf(F, p, 0, 1).map((v) => v * 1000);
    expect(() => unlearn(h, stranger, rowsOf(Y, c, 0, 1), 1)).toThrow(IllConditionedError);
    expect(() => unlearn(h, stranger, rowsOf(Y, c, 0, 1), 1)).toThrow(/^analytic downdate refused: I - F R F\^T is not positive definite[^\n]*$/);
    expect(h.R).toEqual(before.R);
    expect(h.W).toEqual(before.W);
  });

  it('refuses deleting every row when γ is tiny: what would remain is singular', () => {
    const h = learnAll(F, Y, 50, 1e-12);
    expect(() => unlearn(h, F, Y, n)).toThrow(IllConditionedError);
  });

  /** Deletes rows [a, b) by the direct path, fed in batches of `size`. */
  function directDelete(h: Head, a: number, b: number, size = 23) {
    const down = directDowndate(h);
    for (let r = a; r < b; r += size) {
      const e = Math.min(b, r + size);
      down.add(rowsOf(F, p, r, e), rowsOf(Y, c, r, e), e - r);
    }
    down.finish();
  }

  /** The batched fresh fit on rows [0, n), which keeps A and B. */
  function fitAll(g = gamma): Head {
    const fit = ridgeFit(p, c, g);
    for (let a = 0; a < n; a += 64) fit.add(rowsOf(F, p, a, Math.min(n, a + 64)), rowsOf(Y, c, a, Math.min(n, a + 64)), Math.min(n, a + 64) - a);
    return fit.finish();
  }

  /** max |R − (FᵀF + γI)⁻¹| relative, through (γI + Σ_kept f fᵀ)·R = I on every entry. */
  function inverseErr(h: Head, kept: number[]): number {
    let worst = 0;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let s = gamma * h.R[i * p + j];
        for (let k = 0; k < p; k++) {
          let a = 0;
          for (const r of kept) a += F[r * p + i] * F[r * p + k];
          s += a * h.R[k * p + j];
        }
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    return worst;
  }

  it('the direct path for a large deletion equals the direct solve on the remaining rows, from the fit and from the recursion', () => {
    const kept = all.filter((r) => r < 30 || r >= 150);
    for (const h of [fitAll(), learnAll(F, Y, 37)]) {
      directDelete(h, 30, 150);
      expect(h.rows).toBe(n - 120);
      expect(relErr(h, directSolve(F, Y, kept))).toBeLessThan(1e-9);
      expect(inverseErr(h, kept)).toBeLessThan(1e-9);
    }
  });

  it('small (Woodbury) and large (direct) deletions mixed in any order compose, A and B kept consistent by both', () => {
    const h = fitAll();
    let kept = all;
    for (const [a, b, how] of [[0, 5, 'woodbury'], [20, 120, 'direct'], [150, 160, 'woodbury'], [160, 190, 'direct'], [121, 122, 'woodbury']] as const) {
      if (how === 'direct') directDelete(h, a, b);
      else unlearn(h, rowsOf(F, p, a, b), rowsOf(Y, c, a, b), b - a);
      kept = kept.filter((r) => r < a || r >= b);
      expect(h.rows).toBe(kept.length);
      expect(relErr(h, directSolve(F, Y, kept))).toBeLessThan(1e-9);
    }
    expect(inverseErr(h, kept)).toBeLessThan(1e-9);
  });

  it('refuses an unsafe large deletion (every row, tiny γ) in one line, before changing anything', () => {
    for (const h of [fitAll(1e-12), learnAll(F, Y, 50, 1e-12)]) {
      const before = cloneHead(h);
      const down = directDowndate(h);
      down.add(F, Y, n);
      expect(() => down.finish()).toThrow(IllConditionedError);
      expect(h.R).toEqual(before.R);
      expect(h.W).toEqual(before.W);
      expect(h.A).toEqual(before.A);
      expect(h.rows).toBe(n);
      const again = directDowndate(h);
      again.add(F, Y, n);
      expect(() => again.finish()).toThrow(/^analytic downdate refused: F\^T F \+ gamma I without the 200 rows is not positive definite[^\n]*$/);
    }
    // The same deletion with a sound γ is fine: the empty head, R = I/γ and W = 0.
    const h = fitAll();
    directDelete(h, 0, n);
    expect(Math.abs(h.R[0] - 1 / gamma) * gamma).toBeLessThan(1e-9);
    expect(Math.max(...h.W.map(Math.abs))).toBeLessThan(1e-9);
  });

  it('a head without A and B (an older head.bin) has no direct path but still deletes by Woodbury', () => {
    const full = fitAll();
    const old: Head = { ...cloneHead(full), A: undefined, B: undefined };
    expect(() => directDowndate(old)).toThrow(/needs the kept A and B/);
    unlearn(old, rowsOf(F, p, 30, 150), rowsOf(Y, c, 30, 150), 120);
    expect(relErr(old, directSolve(F, Y, all.filter((r) => r < 30 || r >= 150)))).toBeLessThan(1e-9);
    expect(old.A).toBeUndefined();
  });
});
