// Prediction matrices and class-wise bars as data: row shares, cell layout, and per-class pairs.

/** Each row of a row-major k×k count matrix divided by its sum (a row with no samples stays all zero). */
export function rowShares(counts: readonly number[], k: number): number[] {
  if (counts.length !== k * k) throw new Error(`a ${k}×${k} matrix needs ${k * k} counts, got ${counts.length}`);
  const out = new Array<number>(k * k).fill(0);
  for (let r = 0; r < k; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += counts[r * k + c];
    if (s > 0) for (let c = 0; c < k; c++) out[r * k + c] = counts[r * k + c] / s;
  }
  return out;
}

export interface Cell {
  row: number;
  col: number;
  x: number;
  y: number;
  size: number;
  count: number;
  share: number;
}

/** Square cells of side `size` filling a k×k grid from (0, 0), row = true class, column = predicted class. */
export function matrixCells(counts: readonly number[], k: number, size: number): Cell[] {
  const shares = rowShares(counts, k);
  const cells: Cell[] = [];
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) cells.push({ row: r, col: c, x: c * size, y: r * size, size, count: counts[r * k + c], share: shares[r * k + c] });
  }
  return cells;
}

/** The side of a cell that fits a k×k matrix into `width` pixels, between `min` and `max`. */
export function cellSize(width: number, k: number, { min = 14, max = 56 } = {}): number {
  return Math.max(min, Math.min(max, Math.floor(width / Math.max(1, k))));
}

export interface ClassPair {
  cls: number;
  name: string;
  a: number | null;
  b: number | null;
  forgotten: boolean;
}

/** Per-class accuracies of A and B side by side. */
export function classPairs(names: string[], a: (number | null)[], b: (number | null)[], forgotten: number[] = []): ClassPair[] {
  return names.map((name, cls) => ({ cls, name, a: a[cls] ?? null, b: b[cls] ?? null, forgotten: forgotten.includes(cls) }));
}
