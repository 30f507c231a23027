// One palette for the whole UI: model A is always blue, model B always orange, the retrained reference grey.
import { interpolateBlues, interpolateOranges } from 'd3-scale-chromatic';

export const COLORS = {
  A: '#2563eb',
  B: '#ea580c',
  retrain: '#64748b',
  original: '#0f766e',
  forget: '#dc2626',
  other: '#cbd5e1',
  grid: '#e2e8f0',
  axis: '#475569',
  text: '#0f172a',
  muted: '#64748b',
} as const;

export type Side = 'A' | 'B';

const RAMPS: Record<Side, (t: number) => string> = { A: interpolateBlues, B: interpolateOranges };

/** A sequential colour for a share 0..1 in model `side`'s hue; 0 stays near white so empty cells recede. */
export function cellColor(side: Side, share: number): string {
  const t = Math.min(1, Math.max(0, share));
  return RAMPS[side](0.04 + 0.92 * Math.sqrt(t));
}

/** Relative luminance of "#rrggbb" or "rgb(r, g, b)" (WCAG). */
export function luminance(color: string): number {
  let rgb: number[];
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) rgb = [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  else {
    const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(color);
    if (!m) throw new Error(`cannot read colour ${color}`);
    rgb = [m[1], m[2], m[3]].map(Number);
  }
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever reads better on `background`. */
export function textOn(background: string): string {
  const l = luminance(background);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? COLORS.text : '#ffffff';
}

/** Ten distinct class colours (Tableau 10), repeated past ten. */
export const CLASS_COLORS = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f', '#bab0ab'];
export const classColor = (c: number) => CLASS_COLORS[((c % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];

/**
 * Method lines (the Relearning and Corrective sweep views): distinct hues that keep clear of the original's teal and
 * retrain's grey, repeated past ten.
 */
export const METHOD_COLORS = ['#7c3aed', '#e11d48', '#d97706', '#2563eb', '#65a30d', '#c026d3', '#0284c7', '#92400e', '#db2777', '#4338ca'];
export const methodColor = (i: number) => METHOD_COLORS[((i % METHOD_COLORS.length) + METHOD_COLORS.length) % METHOD_COLORS.length];

/**
 * The two forget sets of the Worst case vs random view: a random set in sky blue (a ring), the worst-case set in the
 * forget red (a filled dot), so the harder set reads as the alarming one.
 */
export const FORGET_SET_COLORS = { random: '#0284c7', worst: COLORS.forget } as const;

/** The Per-example attack view: target (forget) examples in the forget red, retain examples before unlearning grey, after in teal. */
export const ULIRA_COLORS = { forget: COLORS.forget, before: COLORS.muted, after: COLORS.original, ideal: '#16a34a' } as const;
