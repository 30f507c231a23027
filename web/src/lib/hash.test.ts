import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './hash.ts';

describe('hash state', () => {
  it('round-trips and defaults to the experiments view', () => {
    const s = { view: 'matrix' as const, comparison: 'c1', a: 'm a', b: 'm/b' };
    expect(parseHash(formatHash(s))).toEqual(s);
    expect(parseHash('#view=nope')).toEqual({ view: 'experiments' });
  });
});
