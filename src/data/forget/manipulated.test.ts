// manipulated:<fraction>:seed=S against the record of a manipulated data set.
import { describe, expect, it } from 'vitest';
import { applyManipulation, manipulationOf } from '../manipulation.ts';
import { limitTrain } from '../dataset.ts';
import { synthetic } from '../synthetic.ts';
import { parseForgetSpec, resolveForget, resolveIds } from './index.ts';

const src = synthetic();
const m = manipulationOf(src, { kind: 'poison', count: 60, target: 0, seed: 3 }, { name: 'synthetic', hash: 'sha256:x' });
const ds = applyManipulation(src, m, 'poisoned');
const ids = (f: number, seed = 1) => [...resolveIds(ds, { kind: 'manipulated', fraction: f, seed })].sort((a, b) => a - b);

describe('manipulated:<fraction>:seed=S', () => {
  it('parses fractions in (0,1]; anything else is one error', () => {
    expect(parseForgetSpec('manipulated:0.25:seed=4')).toEqual({ kind: 'manipulated', fraction: 0.25, seed: 4 });
    expect(parseForgetSpec('manipulated:1')).toEqual({ kind: 'manipulated', fraction: 1, seed: 0 });
    expect(parseForgetSpec('manipulated:1.0:seed=2')).toEqual({ kind: 'manipulated', fraction: 1, seed: 2 });
    for (const bad of ['manipulated:0', 'manipulated:1.5', 'manipulated:NaN', 'manipulated:', 'manipulated:-0.1', 'manipulated:600']) {
      expect(() => parseForgetSpec(bad), bad).toThrow(/must be a number in \(0,1\]/);
    }
    expect(() => parseForgetSpec('manipulated:0.1:x=1')).toThrow(/unknown option "x=1"/);
  });

  it('names round(f × n) of the manipulated samples and nothing else', () => {
    for (const [f, n] of [[0.1, 6], [0.25, 15], [0.5, 30], [1, 60], [0.01, 1]] as const) {
      const got = ids(f);
      expect(got, String(f)).toHaveLength(n);
      expect(got.every((id) => m.ids.includes(id))).toBe(true);
    }
    expect(ids(1)).toEqual(m.ids);
    expect(() => resolveIds(ds, { kind: 'manipulated', fraction: 0.001, seed: 1 })).toThrow(/manipulated fraction 0\.001 of 60 manipulated samples selects none/);
  });

  it('same seed, same set; the sets of one seed are nested; another seed draws another', () => {
    expect(ids(0.25)).toEqual(ids(0.25));
    const [a, b, c] = [ids(0.1), ids(0.25), ids(0.5)];
    expect(a.every((id) => b.includes(id)) && b.every((id) => c.includes(id))).toBe(true);
    expect(ids(0.25, 2)).not.toEqual(b);
  });

  it('the rest of the manipulated samples stay in the retain set', () => {
    const sets = resolveForget(ds, { kind: 'manipulated', fraction: 0.5, seed: 1 });
    const retained = m.ids.filter((id) => Array.from(sets.retain).includes(id));
    expect(retained).toHaveLength(30);
    expect(sets.forget.length + sets.retain.length).toBe(1200);
  });

  it('counts only manipulated samples still in the train split (after --train-size)', () => {
    const small = limitTrain(ds, 600);
    const inside = m.ids.filter((id) => id < 600).length;
    expect(resolveIds(small, { kind: 'manipulated', fraction: 1, seed: 1 }).size).toBe(inside);
  });

  it('a data set that records no manipulation is one clear error', () => {
    expect(() => resolveForget(src, { kind: 'manipulated', fraction: 0.1, seed: 1 })).toThrow(/^synthetic records no manipulation: manipulated:… names part of a data set written by lethe manipulate/);
  });
});
