import { describe, expect, it } from 'vitest';
import { cellSize, classPairs, matrixCells, rowShares } from './matrix.ts';

describe('prediction matrix', () => {
  it('divides each row by its sum and leaves an empty row at zero', () => {
    expect(rowShares([3, 1, 0, 0], 2)).toEqual([0.75, 0.25, 0, 0]);
    expect(() => rowShares([1, 2, 3], 2)).toThrow(/2×2/);
  });

  it('lays cells out row = true class, column = predicted class', () => {
    const cells = matrixCells([3, 1, 2, 2], 2, 10);
    expect(cells).toHaveLength(4);
    expect(cells[1]).toEqual({ row: 0, col: 1, x: 10, y: 0, size: 10, count: 1, share: 0.25 });
    expect(cells[2]).toMatchObject({ row: 1, col: 0, x: 0, y: 10, share: 0.5 });
  });

  it('fits a cell size into the width within bounds', () => {
    expect(cellSize(400, 10)).toBe(40);
    expect(cellSize(4000, 10)).toBe(56);
    expect(cellSize(40, 10)).toBe(14);
  });

  it('pairs per-class accuracies and marks forgotten classes', () => {
    expect(classPairs(['a', 'b'], [50, null], [60, 70], [1])).toEqual([
      { cls: 0, name: 'a', a: 50, b: 60, forgotten: false },
      { cls: 1, name: 'b', a: null, b: 70, forgotten: true },
    ]);
  });
});
