// Geometry the charts share: margins, tooltip placement, label thinning.

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The drawing area left inside a width × height box after margins (never negative). */
export function inner(width: number, height: number, m: Margin): { w: number; h: number } {
  return { w: Math.max(0, width - m.left - m.right), h: Math.max(0, height - m.top - m.bottom) };
}

/**
 * Places a w × h tooltip near the pointer: right and below by `gap`, flipped to the left or above
 * where it would leave the bounds, and finally clamped inside them.
 */
export function tooltipPosition(
  pointer: { x: number; y: number },
  size: { w: number; h: number },
  bounds: { w: number; h: number },
  gap = 14,
): { left: number; top: number } {
  let left = pointer.x + gap;
  if (left + size.w > bounds.w) left = pointer.x - gap - size.w;
  let top = pointer.y + gap;
  if (top + size.h > bounds.h) top = pointer.y - gap - size.h;
  return {
    left: Math.max(0, Math.min(left, bounds.w - size.w)),
    top: Math.max(0, Math.min(top, bounds.h - size.h)),
  };
}

/** Every n-th index so that labels `labelWidth` wide fit in `available` pixels without touching. */
export function labelStep(count: number, available: number, labelWidth: number): number {
  if (count <= 0) return 1;
  const fit = Math.max(1, Math.floor(available / Math.max(1, labelWidth)));
  return Math.max(1, Math.ceil(count / fit));
}

/** Rough pixel width of a label in the UI font (0.6 em per character), to budget axis space. */
export function textWidth(s: string, fontSize = 12): number {
  return s.length * fontSize * 0.6;
}

/** [min, max] of values, padded by `pad` of the span on both sides; a single value gets ±1. */
export function paddedExtent(values: readonly number[], pad = 0.05): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/**
 * The y range of the CKA charts: up to 1, down to the lowest value less a margin, floored to a tenth
 * (CKA of related models often sits near 1, where a 0–1 axis would hide every difference).
 */
export function ckaDomain(values: readonly (number | null)[]): [number, number] {
  const finite = values.filter((v): v is number => v != null && Number.isFinite(v));
  if (!finite.length) return [0, 1];
  const lo = Math.floor((Math.min(...finite) - 0.05) * 10) / 10;
  return [Math.max(0, Math.min(0.9, lo)), 1];
}
