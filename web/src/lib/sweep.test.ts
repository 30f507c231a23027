import { describe, expect, it } from 'vitest';
import type { ComparisonSummary } from '../../../src/shared/http.ts';
import { fractionText, storedSweeps, sweepOf } from './sweep.ts';

let n = 0;
const summary = (forget: ComparisonSummary['forget'], o: Partial<ComparisonSummary> = {}): ComparisonSummary => ({
  id: `c${++n}`, created: `2026-12-02T10:00:${String(n).padStart(2, '0')}Z`, originalId: 'orig', dataset: 'data/poisoned', arch: 'mlp',
  forget, forgetText: '', forgetCount: 1, methods: ['ft'], seeds: [1001], table: [], ...o,
});
const man = (fraction: number, o: Partial<ComparisonSummary> = {}, seed = 1) => summary({ kind: 'manipulated', fraction, seed }, o);

describe('sweepOf', () => {
  it('is null for a comparison that does not forget a manipulated fraction', () => {
    const c = summary({ kind: 'random', count: 0.1, seed: 1 } as never);
    expect(sweepOf([c], c)).toBeNull();
  });

  it('groups the same original, seeds, methods and selection seed, one per fraction, the newest or the chosen one', () => {
    const a = man(0.5);
    const b = man(1);
    const olderHalf = man(0.25);
    const newerHalf = man(0.25);
    const otherMethods = man(0.1, { methods: ['ft', 'ga'] });
    const otherSeed = man(0.1, {}, 2);
    const otherOriginal = man(0.1, { originalId: 'other' });
    const random = summary({ kind: 'class', classes: [1] } as never);
    const list = [a, b, olderHalf, newerHalf, otherMethods, otherSeed, otherOriginal, random];
    expect(sweepOf(list, a)).toMatchObject({ members: [{ fraction: 0.25, id: newerHalf.id }, { fraction: 0.5, id: a.id }, { fraction: 1, id: b.id }], hasTarget: true });
    // The chosen comparison stands for its fraction even when a newer one exists.
    expect(sweepOf(list, olderHalf)!.members[0]).toEqual({ fraction: 0.25, id: olderHalf.id });
    expect(sweepOf(list, otherMethods)).toMatchObject({ members: [{ fraction: 0.1, id: otherMethods.id }], hasTarget: false });
  });
});

describe('storedSweeps', () => {
  it('lists each sweep once by its newest comparison, newest first', () => {
    const x1 = man(0.5, { originalId: 'x' });
    const x2 = man(1, { originalId: 'x' });
    const y = man(1, { originalId: 'y' });
    expect(storedSweeps([x1, y, x2, summary({ kind: 'class', classes: [0] } as never)]).map((s) => [s.id, s.fractions])).toEqual([[y.id, [1]], [x2.id, [0.5, 1]]]);
  });
});

it('fractionText', () => {
  expect([0.1, 0.25, 1, 0.125].map(fractionText)).toEqual(['10%', '25%', '100%', '12.5%']);
});
