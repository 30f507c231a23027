// One line per method over a few x positions (relearning steps, identified fractions): each point a mean over seeds
// with its ±std whisker; an optional flat target line across the whole chart. Plain SVG over plain numbers.
import { scaleLinear, scalePoint } from 'd3-scale';
import { COLORS } from '../lib/colors.ts';
import { inner } from '../lib/layout.ts';
import { AxisLeft } from './Axis.tsx';

export interface MethodSeries {
  key: string;
  label: string;
  color: string;
  /** Dashed, drawn beneath the methods (the target). */
  dashed?: boolean;
  /** Wide and pale, drawn beneath the methods, so a method line that coincides with it still shows it (the original). */
  wide?: boolean;
  values: (number | null)[];
  std?: (number | null)[];
}

export interface TargetLine {
  label: string;
  value: number;
  color: string;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function MethodLines({ xs, xLabels, xScale, series, target, width, height = 340, title, xLabel, yLabel, yDomain = [0, 100], describe, testId }: {
  xs: number[];
  xLabels: string[];
  /** 'point': evenly spaced categories; 'linear': placed by value (xs within [0, 1]). */
  xScale: 'point' | 'linear';
  series: MethodSeries[];
  target?: TargetLine;
  width: number;
  height?: number;
  title: string;
  xLabel: string;
  yLabel: string;
  yDomain?: [number, number];
  describe: (s: MethodSeries, i: number) => string;
  testId?: string;
}) {
  const m = { top: 34, right: 18, bottom: 52, left: 62 };
  const { w, h } = inner(width, height, m);
  const point = scalePoint<number>().domain(xs).range([0, w]).padding(0.3);
  const linear = scaleLinear().domain([0, 1]).range([0, w]);
  const xAt = (i: number) => (xScale === 'point' ? point(xs[i]) ?? 0 : linear(xs[i]));
  const y = scaleLinear().domain(yDomain).range([h, 0]);
  // Reference lines first, so the methods sit on top of them.
  const under = (s: MethodSeries) => Number(!!s.dashed || !!s.wide);
  const order = [...series].sort((a, b) => under(b) - under(a));
  return (
    <svg width={width} height={height} role="img" aria-label={title} data-testid={testId} className="method-lines">
      <text x={m.left} y={17} className="chart-title">{title}</text>
      <g transform={`translate(${m.left},${m.top})`}>
        <AxisLeft scale={y} x={0} ticks={5} label={yLabel} format={(v) => `${v}`} grid={w} />
        <g className="axis" data-axis="x" transform={`translate(0,${h})`}>
          <line x1={0} x2={w} stroke={COLORS.axis} />
          {xs.map((x, i) => (
            <g key={x} transform={`translate(${xAt(i)},0)`}>
              <line y2={5} stroke={COLORS.axis} />
              <text y={18} textAnchor="middle">{xLabels[i]}</text>
            </g>
          ))}
          <text className="axis-label" x={w / 2} y={40} textAnchor="middle">{xLabel}</text>
        </g>
        {target && finite(target.value) && (
          <g data-mark="target">
            <line x1={0} x2={w} y1={y(target.value)} y2={y(target.value)} stroke={target.color} strokeWidth={2.5} strokeDasharray="7 4" />
            <text x={6} y={y(target.value) + (y(target.value) < 16 ? 14 : -6)} className="ref-label" fill={target.color}>target {target.value.toFixed(1)}</text>
            <title>{`${target.label}: ${target.value.toFixed(2)}%`}</title>
          </g>
        )}
        {order.map((s) => {
          const pts = s.values.map((v, i) => (finite(v) ? ([xAt(i), y(v)] as const) : null));
          const d = pts.reduce((acc, p, i) => (p ? `${acc}${pts[i - 1] ? 'L' : 'M'}${p[0]},${p[1]}` : acc), '');
          return (
            <g key={s.key} data-series={s.key}>
              <path data-mark="line" d={d} fill="none" stroke={s.color} strokeWidth={s.wide ? 7 : s.dashed ? 2.5 : 2.2} strokeOpacity={s.wide ? 0.4 : 1} strokeDasharray={s.dashed ? '7 4' : undefined} strokeLinejoin="round" strokeLinecap="round" />
              {pts.map((p, i) => {
                if (!p) return null;
                const sd = s.std?.[i];
                return (
                  <g key={i}>
                    {finite(sd) && sd > 0 && (
                      <line data-mark="whisker" x1={p[0]} x2={p[0]} y1={y(Math.min(yDomain[1], s.values[i]! + sd))} y2={y(Math.max(yDomain[0], s.values[i]! - sd))} stroke={s.color} strokeOpacity={0.45} strokeWidth={1.5} />
                    )}
                    <circle data-mark="point" data-x={xs[i]} data-value={s.values[i]!} cx={p[0]} cy={p[1]} r={4} fill={s.dashed ? 'white' : s.color} stroke={s.color} strokeWidth={2}>
                      <title>{describe(s, i)}</title>
                    </circle>
                  </g>
                );
              })}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
