import { describe, expect, it } from 'vitest';
import type { ApiTunedMethod } from '../../../src/shared/http.ts';
import { edgeText, logTicks, paramValue, rangeText, rungsText, scatterPoints, tickValue, xDomain, yDomain } from './tuning.ts';

describe('the Tuning view’s numbers', () => {
  it('formats parameter values and ticks short', () => {
    expect(paramValue(0.000221)).toBe('2.21e-4');
    expect(paramValue(0.0002)).toBe('2e-4');
    expect(paramValue(0.0506)).toBe('0.0506');
    expect(paramValue(80)).toBe('80');
    expect(paramValue('adam')).toBe('adam');
    expect(tickValue(1e-4)).toBe('1e-4');
    expect(tickValue(0.01)).toBe('0.01');
    expect(tickValue(200)).toBe('200');
  });

  it('describes ranges, edges and rungs', () => {
    expect(rangeText({ low: 1e-4, high: 1e-2, log: true })).toBe('1e-4 – 0.01, log scale');
    expect(rangeText({ low: 16, high: 320, log: true, int: true })).toBe('16 – 320, integers, log scale');
    expect(rangeText({ choices: ['a', 'b'] })).toBe('one of a, b');
    expect(edgeText('lr', 'high', { low: 1e-4, high: 1e-2, log: true })).toBe('The chosen lr sits at the high edge of its range (0.01): the range should widen upwards.');
    expect(rungsText({ rungs: [{ configs: 8, seeds: 1 }, { configs: 3, seeds: 2 }] })).toBe('8 configurations on 1 seed, then the best 3 on 2 seeds');
  });

  it('spans the range and every value, in log space for a log range', () => {
    const [lo, hi] = xDomain({ low: 1e-4, high: 1e-2, log: true }, [1e-3, 0.05]);
    expect(lo).toBeLessThan(1e-4);
    expect(hi).toBeGreaterThan(0.05);
    expect(Math.log10(1e-4) - Math.log10(lo)).toBeCloseTo(Math.log10(hi) - Math.log10(0.05), 10);
    expect(xDomain({ low: 0.05, high: 0.5 }, [])).toEqual([0.05 - 0.027, 0.5 + 0.027]);
  });

  it('ticks a log axis with powers of ten, or 1-2-5 steps when there are too few', () => {
    expect(logTicks(1e-4, 1e-2)).toEqual([1e-4, 1e-3, 1e-2]);
    expect(logTicks(14, 360)).toEqual([20, 50, 100, 200]);
    expect(logTicks(1e-9, 1e9).length).toBeLessThanOrEqual(6);
    expect(logTicks(0, 1)).toEqual([]);
  });

  it('starts the scores at 0 or just below the lowest, and skips what is not finite', () => {
    expect(yDomain([2, 4, null, Number.NaN])).toEqual([2 - 0.16, 4 + 0.16]);
    expect(yDomain([0.1, 10])[0]).toBe(0);
    expect(yDomain([])).toEqual([0, 1]);
  });

  it('draws every configuration with a finite score and a placeable value', () => {
    const m = {
      method: 'x', space: { lr: { low: 1e-3, high: 1, log: true } }, defaults: { lr: 0.1 }, rungs: [], chosen: 1, edges: {},
      configs: [
        { params: { lr: 0.1 }, scores: [1, 2], mean: 1.5, values: [] },
        { params: { lr: 0.01 }, scores: [1], mean: 1, values: [] },
        { params: { lr: 0.5 }, scores: [], mean: Number.NaN, values: [] },
      ],
    } as ApiTunedMethod;
    expect(scatterPoints(m, 'lr')).toEqual([{ config: 0, value: 0.1, mean: 1.5, seeds: 2 }, { config: 1, value: 0.01, mean: 1, seeds: 1 }]);
  });
});
