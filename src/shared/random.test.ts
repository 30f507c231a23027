import { describe, expect, it } from 'vitest';
import { mulberry32, sampleIndices } from './random.ts';

describe('rng', () => {
  it('is reproducible from the seed and differs across seeds', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const xa = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xa);
    expect(c()).not.toBe(xa[0]);
    for (const v of xa) expect(v >= 0 && v < 1).toBe(true);
  });

  it('samples distinct sorted indices', () => {
    const s = sampleIndices(100, 30, mulberry32(1));
    expect(s.length).toBe(30);
    expect(new Set(s).size).toBe(30);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
    expect([...sampleIndices(5, 5, mulberry32(3))]).toEqual([0, 1, 2, 3, 4]);
    expect(() => sampleIndices(3, 4, mulberry32(1))).toThrow();
  });
});
