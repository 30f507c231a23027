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

/** An ISO time to the second, in local time: "2025-03-01 14:05:09" (exact times: retrain due, ledger entries). */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date(iso)}:${p(d.getSeconds())}`;
}

/** A span of milliseconds as "2d 3h", "14m 5s", "9s" (two units at most, rounded down). */
export function duration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const parts: [number, string][] = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'm'], [s % 60, 's']];
  const first = parts.findIndex(([v]) => v > 0);
  if (first < 0) return '0s';
  return parts.slice(first, first + 2).filter(([v]) => v > 0).map(([v, u]) => `${v}${u}`).join(' ');
}

/** When `iso` is, from `now`: "in 14m 5s", "3s ago". */
export function relative(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return '';
  return ms >= 0 ? `in ${duration(ms)}` : `${duration(ms)} ago`;
}
