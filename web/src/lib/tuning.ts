// What the Tuning view computes from a tuning record: each parameter's axis (range, log or not, ticks, labels),
// the scores' axis, and the words for a range, an edge and the search's rungs. Pure code, tested in tuning.test.ts.
import { metricInfo } from '../../../src/eval/metrics.ts';
import type { ApiTunedMethod, ApiTuning, SearchDim } from '../../../src/shared/http.ts';
import { plural } from './format.ts';

export type NumericDim = Extract<SearchDim, { low: number }>;

export const isNumeric = (d: SearchDim): d is NumericDim => 'low' in d;

/** The score a tuning minimised, as the view names it: the metric map's label and its units (avgGap before regression). */
export function scoreName(t: Pick<ApiTuning, 'protocol'>): { label: string; units: string } {
  const m = metricInfo(t.protocol.metric ?? 'avgGap');
  return { label: m.label, units: m.unit === 'target' ? "the target's units" : 'points' };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A parameter's value as the tables and tooltips show it: "0.000221" → "2.21e-4", integers as they are. */
export function paramValue(v: unknown): string {
  if (typeof v !== 'number') return v === undefined ? '—' : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** A tick label: short ("1e-4", "0.01", "200"). */
export function tickValue(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e5)) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(2)));
}

/** A range as words: "1e-4 – 0.01, log scale", "16 – 320, integers, log scale", "one of a, b, c". */
export function rangeText(d: SearchDim): string {
  if (!isNumeric(d)) return `one of ${d.choices.map(String).join(', ')}`;
  return [`${paramValue(d.low)} – ${paramValue(d.high)}`, d.int && 'integers', d.log && 'log scale'].filter(Boolean).join(', ');
}

/**
 * The x domain of a numeric parameter: its search range and every value tried (the defaults may lie outside the
 * range), padded by `pad` of the span on each side, in log space for a log range.
 */
export function xDomain(d: NumericDim, values: readonly unknown[], pad = 0.06): [number, number] {
  const log = !!d.log && d.low > 0;
  const vs = [d.low, d.high, ...values.filter(finite)].filter((v) => !log || v > 0);
  const t = (v: number) => (log ? Math.log10(v) : v);
  const u = (v: number) => (log ? 10 ** v : v);
  let lo = Math.min(...vs.map(t));
  let hi = Math.max(...vs.map(t));
  if (lo === hi) {
    lo -= log ? 0.5 : Math.abs(lo) * 0.5 || 1;
    hi += log ? 0.5 : Math.abs(hi) * 0.5 || 1;
  }
  const p = (hi - lo) * pad;
  return [u(lo - p), u(hi + p)];
}

/**
 * Ticks of a log axis over [lo, hi]: the powers of ten in it when there are at least three, else 1, 2 and 5 times
 * the powers; never more than `max` (every other one dropped until they fit).
 */
export function logTicks(lo: number, hi: number, max = 6): number[] {
  if (!(lo > 0) || !(hi > lo)) return [];
  const round = (v: number) => Number(v.toPrecision(6));
  const decades: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) decades.push(e);
  const within = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  let ticks = decades.map((e) => round(10 ** e)).filter(within);
  if (ticks.length < 3) ticks = decades.flatMap((e) => [1, 2, 5].map((m) => round(m * 10 ** e))).filter(within);
  while (ticks.length > max) ticks = ticks.filter((_, i) => i % 2 === 0);
  return ticks;
}

/** The y domain of the scores: from 0 (or just below the lowest score) to above the highest, the references included. */
export function yDomain(values: readonly (number | null | undefined)[]): [number, number] {
  const vs = values.filter(finite);
  if (!vs.length) return [0, 1];
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const span = hi - lo || Math.abs(hi) || 1;
  return [Math.max(0, lo - span * 0.08), hi + span * 0.08];
}

/** The note under a parameter whose choice sits at an edge of its range. */
export function edgeText(param: string, edge: 'low' | 'high', d: SearchDim): string {
  const bound = isNumeric(d) ? ` (${paramValue(edge === 'low' ? d.low : d.high)})` : '';
  return `The chosen ${param} sits at the ${edge} edge of its range${bound}: the range should widen${edge === 'low' ? ' downwards' : ' upwards'}.`;
}

/** Successive halving's rungs in words: "8 configurations on 1 seed, then the best 3 on 2 seeds". */
export function rungsText(m: Pick<ApiTunedMethod, 'rungs'>): string {
  return m.rungs
    .map((r, i) => (i === 0 ? `${plural(r.configs, 'configuration')} on ${plural(r.seeds, 'seed')}` : `the best ${r.configs} on ${plural(r.seeds, 'seed')}`))
    .join(', then ');
}

/** How far a configuration got: the seeds it was scored on, out of the last rung's. */
export function seedShare(scores: readonly number[], seeds: number): number {
  return seeds > 0 ? Math.min(1, scores.length / seeds) : 1;
}

/** The points of one parameter's scatter: every configuration with a finite mean score and a value to place. */
export function scatterPoints(m: ApiTunedMethod, param: string): { config: number; value: unknown; mean: number; seeds: number }[] {
  const d = m.space[param];
  return m.configs.flatMap((c, config) => {
    const value = c.params[param];
    if (!finite(c.mean)) return [];
    if (isNumeric(d) ? !finite(value) || (d.log && value <= 0) : !d.choices.includes(value as never)) return [];
    return [{ config, value, mean: c.mean, seeds: c.scores.length }];
  });
}
