import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/shared/contract.ts';
import { relearnLines } from './relearn.ts';

type M = Comparison['models'][number];
const model = (role: M['role'], method: string, seed: number, curve?: [number, number][]): M =>
  ({ modelId: `${method}-${seed}`, role, method, seed, params: {}, checkpoint: '', referenceId: null, metrics: {}, details: undefined as never,
    ...(curve ? { relearnCurve: curve.map(([steps, forgetAcc]) => ({ steps, forgetAcc })) } : {}) }) as M;

describe('relearnLines', () => {
  it('averages each row over its seeds at every step, original and retrain first', () => {
    const c = {
      methods: ['ga', 'ft'],
      models: [
        model('original', 'original', 1, [[0, 100], [1, 100], [10, 100]]),
        model('retrain', 'retrain', 1, [[0, 10], [1, 20], [10, 40]]),
        model('retrain', 'retrain', 2, [[0, 30], [1, 40], [10, 60]]),
        model('method', 'ft', 1, [[0, 50], [1, 70], [10, 90]]),
        model('method', 'ga', 1, [[0, 0], [1, 5], [10, 80]]),
        model('method', 'ga', 2, [[0, 4], [1, 15], [10, 86]]),
      ],
    };
    const r = relearnLines(c);
    expect(r.steps).toEqual([0, 1, 10]);
    expect(r.lines.map((l) => [l.key, l.role, l.n])).toEqual([['original', 'original', 1], ['retrain', 'retrain', 2], ['ga', 'method', 2], ['ft', 'method', 1]]);
    expect(r.lines[1].mean).toEqual([20, 30, 50]);
    // Sample std of (10, 30): sqrt(((10-20)^2 + (30-20)^2) / 1) = sqrt(200).
    expect(r.lines[1].std[0]).toBeCloseTo(Math.sqrt(200), 12);
    expect(r.lines[2].mean).toEqual([2, 10, 83]);
    expect(r.lines[3].std).toEqual([0, 0, 0]);
    expect(r.missing).toEqual([]);
  });

  it('names the rows that stored no curve and leaves gaps where a seed lacks a point', () => {
    const c = {
      methods: ['ft', 'sisa'],
      models: [
        model('original', 'original', 1, [[0, 90], [5, 95]]),
        model('retrain', 'retrain', 1, [[0, 20]]),
        model('method', 'ft', 1),
        model('method', 'sisa', 1),
      ],
    };
    const r = relearnLines(c);
    expect(r.steps).toEqual([0, 5]);
    expect(r.lines.map((l) => l.key)).toEqual(['original', 'retrain']);
    expect(r.lines[1].mean).toEqual([20, null]);
    expect(r.missing).toEqual(['ft', 'sisa']);
  });
});
