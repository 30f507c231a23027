import { describe, expect, it } from 'vitest';
import { linearCka } from './cka.ts';
import { mulberry32 } from '../shared/random.ts';

function randomMatrix(n: number, d: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n * d }, () => r() * 2 - 1);
}

describe('linearCka', () => {
  it('hand example: X 3x2, Y 3x1', () => {
    // X = [[1,0],[0,1],[1,1]] centred: c1 = [1,-2,1]/3, c2 = [-2,1,1]/3; Y = [1,2,4] centred: [-4,-1,5]/3.
    // Y'X = [1/3, 4/3] -> ||.||^2 = 17/9; X'X = [[2/3,-1/3],[-1/3,2/3]] -> ||.||_F = sqrt(10)/3;
    // Y'Y = 14/3. CKA = (17/9) / (sqrt(10)/3 * 14/3) = 17 / (14 sqrt 10) = 0.3839909.
    const x = new Float32Array([1, 0, 0, 1, 1, 1]);
    const y = new Float32Array([1, 2, 4]);
    expect(linearCka(x, 2, y, 1)).toBeCloseTo(0.3839909, 6);
    expect(linearCka(x, 2, y, 1, { via: 'gram' })).toBeCloseTo(0.3839909, 6);
    expect(linearCka(x, 2, y, 1, { via: 'features' })).toBeCloseTo(0.3839909, 6);
    expect(linearCka(y, 1, x, 2)).toBeCloseTo(0.3839909, 6);
  });

  it('is 1 for X with itself, and invariant to rotation and isotropic scaling', () => {
    const n = 20;
    const x = randomMatrix(n, 2, 1);
    expect(linearCka(x, 2, x, 2)).toBeCloseTo(1, 10);
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const rotated = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      rotated[2 * i] = 3 * (c * x[2 * i] - s * x[2 * i + 1]);
      rotated[2 * i + 1] = 3 * (s * x[2 * i] + c * x[2 * i + 1]);
    }
    expect(linearCka(x, 2, rotated, 2)).toBeCloseTo(1, 6);
    // Stretching one axis only is not a similarity transform: CKA drops below 1.
    const stretched = Float32Array.from(x, (v, i) => (i % 2 === 0 ? 5 * v : v));
    expect(linearCka(x, 2, stretched, 2)).toBeLessThan(0.99);
  });

  it('both routes agree on wider matrices', () => {
    const x = randomMatrix(15, 8, 2);
    const y = randomMatrix(15, 5, 3);
    const a = linearCka(x, 8, y, 5, { via: 'gram' });
    expect(linearCka(x, 8, y, 5, { via: 'features' })).toBeCloseTo(a, 10);
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(1);
  });

  it('rejects mismatched rows', () => {
    expect(() => linearCka(new Float32Array(6), 2, new Float32Array(4), 1)).toThrow(/rows/);
  });
});
