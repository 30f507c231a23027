import { describe, expect, it } from 'vitest';
import { date, num, params, pct, plural, truncate } from './format.ts';

describe('format', () => {
  it('formats percentages, numbers, parameters, dates and labels', () => {
    expect(pct(12.345)).toBe('12.3%');
    expect(pct(null)).toBe('—');
    expect(num(0.98765, 3)).toBe('0.988');
    expect(num(NaN)).toBe('—');
    expect(params({ lr: 0.00012346, epochs: 3, mask: true })).toBe('lr=0.0001235, epochs=3, mask=true');
    expect(date('not a date')).toBe('not a date');
    expect(truncate('Ankle boot', 6)).toBe('Ankle…');
    expect(plural(1, 'seed')).toBe('1 seed');
    expect(plural(3, 'seed')).toBe('3 seeds');
  });
});
