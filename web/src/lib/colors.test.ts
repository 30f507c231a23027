import { describe, expect, it } from 'vitest';
import { cellColor, luminance, textOn } from './colors.ts';

describe('colours', () => {
  it('computes WCAG luminance and picks readable text', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1, 9);
    expect(luminance('#000000')).toBe(0);
    expect(textOn('#ffffff')).toBe('#0f172a');
    expect(textOn('#08306b')).toBe('#ffffff');
    expect(textOn(cellColor('A', 1))).toBe('#ffffff');
    expect(textOn(cellColor('B', 0))).toBe('#0f172a');
  });
});
