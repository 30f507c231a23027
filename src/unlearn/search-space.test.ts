// Every method's search space (what `lethe tune` searches) is well-formed: its own parameters, inside the schema's
// limits, holding the default; every approximate method has one.
import { describe, expect, it } from 'vitest';
import { getMethod, METHOD_NAMES, searchSpace } from './registry.ts';

describe.each(METHOD_NAMES)('method %s', (name) => {
  const m = getMethod(name);
  const space = searchSpace(name);
  const defaults = m.params.parse({}) as Record<string, unknown>;

  it(m.kind === 'approximate' ? 'declares parameters to tune' : 'has nothing to tune (exact)', () => {
    expect(Object.keys(space).length > 0).toBe(m.kind === 'approximate');
  });

  it.each(Object.entries(space))('%s: a range of its own parameter, within the schema, holding the default', (key, d) => {
    expect(Object.keys(defaults)).toContain(key);
    const values = 'choices' in d ? d.choices : [d.low, d.high];
    for (const v of values) expect(m.params.safeParse({ [key]: v }).success, `${key}=${v}`).toBe(true);
    if ('choices' in d) {
      expect(d.choices).toContain(defaults[key]);
    } else {
      expect(d.low).toBeLessThan(d.high);
      if (d.log) expect(d.low).toBeGreaterThan(0);
      expect(defaults[key]).toBeGreaterThanOrEqual(d.low);
      expect(defaults[key]).toBeLessThanOrEqual(d.high);
    }
  });
});
