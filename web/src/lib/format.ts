// Number and label formatting shared by every view, so a value reads the same everywhere.

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A percentage (0..100) with one decimal, or an em dash where there is no value. */
export function pct(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${v.toFixed(digits)}%` : '—';
}

/** A plain number: fixed digits, or an em dash. */
export function num(v: number | null | undefined, digits = 2): string {
  return finite(v) ? v.toFixed(digits) : '—';
}

/** Method parameters as a short "lr=0.01, epochs=5" string. */
export function params(p: Record<string, unknown> | undefined): string {
  if (!p) return '';
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** An ISO date as "2025-03-01 14:05". */
export function date(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "1 seed", "2 seeds". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Shortens a label to at most `max` characters with an ellipsis. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}
