import { describe, expect, it } from 'vitest';
import { date, dateTime, duration, num, params, pct, plural, relative, truncate } from './format.ts';

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

  it('formats exact times and spans', () => {
    const iso = new Date(2025, 2, 1, 14, 5, 9).toISOString();
    expect(dateTime(iso)).toBe('2025-03-01 14:05:09');
    expect(dateTime('soon')).toBe('soon');
    expect(duration(0)).toBe('0s');
    expect(duration(9_400)).toBe('9s');
    expect(duration(14 * 60_000 + 5_000)).toBe('14m 5s');
    expect(duration(2 * 86_400_000 + 3 * 3_600_000 + 7_000)).toBe('2d 3h');
    expect(duration(3_600_000 + 5_000)).toBe('1h');
    const now = Date.parse(iso);
    expect(relative(new Date(now + 90_000).toISOString(), now)).toBe('in 1m 30s');
    expect(relative(new Date(now - 3_000).toISOString(), now)).toBe('3s ago');
  });
});
