// A paired (dumbbell) chart: one row per item, its value on two conditions as two marks on one axis joined by a line
// (a ring for the first, a filled dot for the second), each with its ±std whisker, and the difference at the right.
// Plain SVG over plain numbers.
import { scaleLinear } from 'd3-scale';
import { COLORS } from '../lib/colors.ts';
import { AxisBottom } from './Axis.tsx';

export interface DumbbellValue {
  mean: number;
  std: number;
}

export interface DumbbellRow {
  key: string;
  label: string;
  a: DumbbellValue;
  b: DumbbellValue;
  /** Drawn bold, with a tinted band (the reference row). */
  emphasis?: boolean;
}

const finite = (v: number) => Number.isFinite(v);

export function Dumbbell({ rows, names, colors, width, title, xLabel, unit = '', digits = 2, domain, testId, rowHeight = 34, flagIncrease = false }: {
  rows: DumbbellRow[];
  /** What the two marks stand for, in the tooltips ("random", "worst case"). */
  names: { a: string; b: string };
  colors: { a: string; b: string };
  width: number;
  title: string;
  xLabel: string;
  unit?: string;
  digits?: number;
  /** The x range; default 0 to the largest mean + std, rounded up. */
  domain?: [number, number];
  testId?: string;
  rowHeight?: number;
  /** Draw the joining line (and the difference) in the second mark's colour where the second value is larger (a worse gap). */
  flagIncrease?: boolean;
}) {
  const longest = Math.max(0, ...rows.map((r) => r.label.length));
  const m = { top: 30, right: 84, bottom: 50, left: Math.min(220, 24 + 7.2 * longest) };
  const w = Math.max(120, width - m.left - m.right);
  const h = rows.length * rowHeight;
  const hi = Math.max(1e-9, ...rows.flatMap((r) => [r.a, r.b].map((v) => (finite(v.mean) ? v.mean + (finite(v.std) ? v.std : 0) : 0))));
  const x = scaleLinear().domain(domain ?? [0, hi]).range([0, w]);
  if (!domain) x.nice(6);
  const [d0, d1] = x.domain();
  const clamp = (v: number) => x(Math.min(d1, Math.max(d0, v)));
  const fmt = (v: number) => `${v.toFixed(digits)}${unit}`;
  const sd = (v: DumbbellValue) => (finite(v.std) && v.std > 0 ? ` ± ${v.std.toFixed(digits)}` : '');
  return (
    <svg width={width} height={m.top + h + m.bottom} role="img" aria-label={title} data-testid={testId} className="dumbbell">
      <text x={0} y={17} className="chart-title">{title}</text>
      <g transform={`translate(${m.left},${m.top})`}>
        <AxisBottom scale={x} y={h} ticks={6} label={xLabel} grid={h} format={(v) => `${v}`} />
        <text x={w + 12} y={-8} className="dumbbell-head">difference<title>{`${names.b} − ${names.a}`}</title></text>
        {rows.map((r, i) => {
          const cy = i * rowHeight + rowHeight / 2;
          const ok = finite(r.a.mean) && finite(r.b.mean);
          const diff = r.b.mean - r.a.mean;
          return (
            <g key={r.key} data-row={r.key} className={r.emphasis ? 'dumbbell-row emphasis' : 'dumbbell-row'}>
              {r.emphasis && <rect x={-m.left} y={i * rowHeight + 2} width={m.left + w + m.right} height={rowHeight - 4} fill="#f1f5f9" rx={4} />}
              <text x={-12} y={cy} dy="0.32em" textAnchor="end" className={r.emphasis ? 'dumbbell-label strong' : 'dumbbell-label'}>{r.label}</text>
              {ok && <line data-mark="link" x1={x(r.a.mean)} x2={x(r.b.mean)} y1={cy} y2={cy} stroke={flagIncrease && diff > 0 ? colors.b : COLORS.muted} strokeOpacity={0.55} strokeWidth={3} strokeLinecap="round" />}
              {(['a', 'b'] as const).map((s) => {
                const v = r[s];
                if (!finite(v.mean)) return null;
                const off = s === 'a' ? -5 : 5;
                return (
                  <g key={s}>
                    {finite(v.std) && v.std > 0 && (
                      <line data-mark="whisker" data-side={s} x1={clamp(v.mean - v.std)} x2={clamp(v.mean + v.std)} y1={cy + off} y2={cy + off} stroke={colors[s]} strokeOpacity={0.6} strokeWidth={1.5} />
                    )}
                    <circle data-mark={s} data-value={v.mean} cx={x(v.mean)} cy={cy} r={6} fill={s === 'a' ? 'white' : colors.b} stroke={colors[s]} strokeWidth={2.2}>
                      <title>{`${r.label}, ${names[s]}: ${fmt(v.mean)}${sd(v)}`}</title>
                    </circle>
                  </g>
                );
              })}
              {ok && (
                <text data-mark="diff" data-value={diff} x={w + 12} y={cy} dy="0.32em" className="dumbbell-diff" fill={flagIncrease && diff > 0 ? colors.b : COLORS.text}>
                  {`${diff > 0 ? '+' : diff < 0 ? '−' : '±'}${Math.abs(diff).toFixed(digits)}`}
                </text>
              )}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
