import { describe, expect, it } from 'vitest';
import { atEdge, rungs, sampleConfigs, sampleDim, successiveHalving, type Config } from './search.ts';

describe('sampleDim', () => {
  it('spans a linear range end to end and a log range evenly in log space', () => {
    expect(sampleDim({ low: 2, high: 4 }, 0)).toBe(2);
    expect(sampleDim({ low: 2, high: 4 }, 0.5)).toBe(3);
    expect(sampleDim({ low: 2, high: 4 }, 1)).toBe(4);
    // log: the midpoint of [1e-4, 1e-2] is 1e-3, not 5e-3.
    expect(sampleDim({ low: 1e-4, high: 1e-2, log: true }, 0.5)).toBeCloseTo(1e-3, 12);
    expect(sampleDim({ low: 16, high: 256, log: true, int: true }, 0.5)).toBe(64);
    expect(sampleDim({ choices: ['a', 'b', 'c'] }, 0.99)).toBe('c');
    expect(sampleDim({ choices: ['a', 'b', 'c'] }, 0)).toBe('a');
  });
});

describe('sampleConfigs', () => {
  const space = { lr: { low: 1e-4, high: 1e-2, log: true }, steps: { low: 10, high: 100, int: true } };
  const defaults = { lr: 1e-3, steps: 50, batchSize: 128 };

  it('puts the defaults first, keeps the parameters it does not search, and draws inside the ranges', () => {
    const cs = sampleConfigs(space, defaults, 20, 7);
    expect(cs).toHaveLength(20);
    expect(cs[0]).toEqual(defaults);
    for (const c of cs.slice(1)) {
      expect(c.batchSize).toBe(128);
      expect(c.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(c.lr as number).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(c.steps)).toBe(true);
    }
    expect(new Set(cs.map((c) => JSON.stringify(c))).size).toBe(20);
  });

  it('is the same for the same seed and different for another', () => {
    expect(sampleConfigs(space, defaults, 8, 7)).toEqual(sampleConfigs(space, defaults, 8, 7));
    expect(sampleConfigs(space, defaults, 8, 7)).not.toEqual(sampleConfigs(space, defaults, 8, 8));
  });

  it('stops at the distinct configurations a small range holds', () => {
    expect(sampleConfigs({ on: { choices: [true, false] } }, { on: true }, 10, 1)).toEqual([{ on: true }, { on: false }]);
  });
});

describe('rungs', () => {
  it('goes from every configuration on one seed to the survivors on every seed', () => {
    expect(rungs(12, 3)).toEqual([{ configs: 12, seeds: 1 }, { configs: 4, seeds: 3 }]);
    expect(rungs(27, 9)).toEqual([{ configs: 27, seeds: 1 }, { configs: 9, seeds: 3 }, { configs: 3, seeds: 9 }]);
    expect(rungs(12, 2)).toEqual([{ configs: 12, seeds: 1 }, { configs: 4, seeds: 2 }]);
    expect(rungs(5, 1)).toEqual([{ configs: 5, seeds: 1 }]);
    expect(rungs(1, 4)).toEqual([{ configs: 1, seeds: 1 }]);
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => rungs(0, 2)).toThrow(/configurations/);
    expect(() => rungs(3, NaN)).toThrow(/seeds/);
    expect(() => rungs(3, 2, 1)).toThrow(/eta/);
  });
});

describe('successiveHalving', () => {
  // Score = |x − 0.3| + noise that depends on the seed: the best configuration is the one nearest 0.3.
  const configs: Config[] = [0.9, 0.1, 0.5, 0.31, 0.7, 0.25, 0.05, 0.6, 0.35].map((x) => ({ x }));
  const score = (c: Config, seed: number) => Math.abs((c.x as number) - 0.3) + 0.01 * seed;

  it('finds the best configuration, scoring only the survivors on more seeds', async () => {
    const asked: { config: number; seed: number }[] = [];
    const r = await successiveHalving(configs, 3, async (jobs) => {
      asked.push(...jobs);
      return jobs.map((j) => score(configs[j.config], j.seed));
    });
    expect(configs[r.chosen].x).toBe(0.31);
    expect(r.rungs).toEqual([{ configs: 9, seeds: 1 }, { configs: 3, seeds: 3 }]);
    // 9 on seed 0, then the best three (0.31, 0.25, 0.35) and the defaults (0.9) on seeds 1 and 2: 9 + 4·2.
    expect(asked).toHaveLength(17);
    expect(new Set(asked.map((j) => `${j.config}:${j.seed}`)).size).toBe(17);
    expect(r.scores[0]).toEqual({ mean: expect.closeTo(0.61, 12), seeds: 3 });
    expect(r.scores[1].seeds).toBe(1);
  });

  it('keeps the defaults on a tie and ranks a diverged (NaN) score last', async () => {
    const flat = await successiveHalving(configs, 2, async (jobs) => jobs.map(() => 1));
    expect(flat.chosen).toBe(0);
    const nan = await successiveHalving(configs, 1, async (jobs) => jobs.map((j) => (j.config === 3 ? NaN : score(configs[j.config], 0))));
    expect(configs[nan.chosen].x).toBe(0.25);
  });
});

describe('atEdge', () => {
  it('flags a choice in the outer 5% of its range, in log space for a log range', () => {
    expect(atEdge({ low: 0, high: 1 }, 0.02)).toBe('low');
    expect(atEdge({ low: 0, high: 1 }, 0.97)).toBe('high');
    expect(atEdge({ low: 0, high: 1 }, 0.5)).toBeUndefined();
    // 1.2e-4 is near 1e-4 on a log scale from 1e-4 to 1e-2 (4% of the way), though it is far from 1e-2 linearly.
    expect(atEdge({ low: 1e-4, high: 1e-2, log: true }, 1.2e-4)).toBe('low');
    expect(atEdge({ low: 1e-4, high: 1e-2, log: true }, 1e-3)).toBeUndefined();
    expect(atEdge({ choices: [1, 2] }, 1)).toBeUndefined();
  });
});
