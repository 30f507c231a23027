import { describe, expect, it } from 'vitest';
import { forgetRecall, layoutPoints } from './embedding.ts';

describe('embedding layout', () => {
  const e = { ids: [1, 2, 3], x: [0, 10, 5], y: [0, 0, 5], label: [0, 1, 1], pred: [0, 1, 0], forget: [true, false, false] };
  it('scales both axes alike, flips y, and draws forget samples last', () => {
    const pts = layoutPoints(e, 120, 10);
    expect(pts.map((p) => p.id)).toEqual([2, 3, 1]);
    // x spans 0..10 padded by 2% to -0.2..10.2 (10.4 units) over 100 px; y (0..5) is centred vertically.
    const k = 100 / 10.4;
    const byId = Object.fromEntries(pts.map((p) => [p.id, p]));
    expect(byId[1].px).toBeCloseTo(10 + 0.2 * k, 9);
    expect(byId[2].px).toBeCloseTo(10 + 10.2 * k, 9);
    expect(byId[3].py).toBeLessThan(byId[1].py);
    expect(byId[1].py - byId[3].py).toBeCloseTo(5 * k, 9);
  });

  it('measures the share of forget samples still in their class', () => {
    expect(forgetRecall(e)).toBe(100);
    expect(forgetRecall({ ...e, forget: [false, false, false] })).toBeNull();
  });
});
