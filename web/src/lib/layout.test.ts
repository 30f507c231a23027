import { describe, expect, it } from 'vitest';
import { ckaDomain, inner, labelStep, paddedExtent, tooltipPosition } from './layout.ts';

describe('layout', () => {
  it('keeps a tooltip inside its bounds, flipping when needed', () => {
    expect(tooltipPosition({ x: 10, y: 10 }, { w: 100, h: 50 }, { w: 500, h: 500 })).toEqual({ left: 24, top: 24 });
    // Near the right and bottom edges it goes left of and above the pointer.
    expect(tooltipPosition({ x: 450, y: 480 }, { w: 100, h: 50 }, { w: 500, h: 500 })).toEqual({ left: 336, top: 416 });
    // Larger than the bounds: clamped to the origin.
    expect(tooltipPosition({ x: 5, y: 5 }, { w: 900, h: 50 }, { w: 500, h: 500 })).toEqual({ left: 0, top: 19 });
  });

  it('computes inner sizes, label steps and padded extents', () => {
    expect(inner(300, 200, { top: 10, right: 20, bottom: 30, left: 40 })).toEqual({ w: 240, h: 160 });
    expect(labelStep(100, 500, 50)).toBe(10);
    expect(labelStep(5, 500, 50)).toBe(1);
    expect(paddedExtent([0, 10], 0.1)).toEqual([-1, 11]);
    expect(paddedExtent([3])).toEqual([2, 4]);
    expect(paddedExtent([])).toEqual([0, 1]);
  });
});

describe('CKA axis', () => {
  it('starts a tenth below the lowest value less 0.05, between 0 and 0.9', () => {
    expect(ckaDomain([0.93, 0.99, null])).toEqual([0.8, 1]);
    expect(ckaDomain([0.999])).toEqual([0.9, 1]);
    expect(ckaDomain([0.02, 0.5])).toEqual([0, 1]);
    expect(ckaDomain([])).toEqual([0, 1]);
  });
});
