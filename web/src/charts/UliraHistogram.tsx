// Per-example attack accuracy as a histogram of one or more series side by side in each bin (bins centred on 0, w, …,
// 100: with few shadows one per value an accuracy can take), with the ideal 50% marked: a series' bar in a bin counts
// its examples whose accuracy falls there. Plain SVG.
import { scaleLinear } from 'd3-scale';
import { COLORS } from '../lib/colors.ts';
import { inner } from '../lib/layout.ts';
import type { AccuracyBin } from '../lib/ulira.ts';
import { AxisLeft } from './Axis.tsx';

export interface HistogramSeries {
  key: string;
  label: string;
  color: string;
  bins: AccuracyBin[];
  /** A lighter bar with a coloured outline (the "before" of a before/after pair). */
  outline?: boolean;
}

/** A bin's tooltip range: "33.3% (33.3 ± 8.3)". */
const range = (b: AccuracyBin) => `${+b.center.toFixed(1)}% (bin ${+b.x0.toFixed(1)} to ${+b.x1.toFixed(1)})`;

export function UliraHistogram({ series, width, height = 272, title, yLabel, idealColor, testId }: {
  series: HistogramSeries[];
  width: number;
  height?: number;
  title: string;
  yLabel: string;
  idealColor: string;
  testId?: string;
}) {
  const m = { top: 46, right: 14, bottom: 50, left: 56 };
  const { w, h } = inner(width, height, m);
  const bins = series[0]?.bins ?? [];
  const step = bins.length > 1 ? bins[1].center - bins[0].center : 100;
  // Each bin's slot is `step` wide around its centre; the x scale runs half a slot past 0 and 100.
  const x = scaleLinear().domain([-step / 2, 100 + step / 2]).range([0, w]);
  const slot = x(step) - x(0);
  const bar = (slot * 0.84) / Math.max(1, series.length);
  const top = Math.max(1, ...series.flatMap((s) => s.bins.map((b) => b.count)));
  const y = scaleLinear().domain([0, top]).nice(5).range([h, 0]);
  const yTicks = y.ticks(5).filter(Number.isInteger);
  const yScale = Object.assign((v: number) => y(v), { ticks: () => yTicks, range: () => [h, 0] });
  const totals = series.map((s) => s.bins.reduce((a, b) => a + b.count, 0));
  const every = Math.max(1, Math.ceil(bins.length / 11));
  return (
    <svg width={width} height={height} role="img" aria-label={title} data-testid={testId} className="ulira-histogram">
      <text x={0} y={17} className="chart-title">{title}</text>
      <g transform={`translate(${m.left},${m.top})`}>
        <AxisLeft scale={yScale} x={0} label={yLabel} grid={w} />
        {series.map((s, si) => (
          <g key={s.key} data-series={s.key}>
            {s.bins.map((b) => {
              if (!b.count) return null;
              const x0 = x(b.center) - (bar * series.length) / 2 + si * bar;
              const share = totals[si] ? ` (${((100 * b.count) / totals[si]).toFixed(1)}%)` : '';
              return (
                <rect key={b.center} data-mark="bar" data-center={b.center} data-count={b.count}
                  x={x0 + 0.5} width={Math.max(1, bar - 1)} y={y(b.count)} height={h - y(b.count)}
                  fill={s.color} fillOpacity={s.outline ? 0.28 : 1} stroke={s.outline ? s.color : 'none'} strokeWidth={s.outline ? 1.2 : 0}>
                  <title>{`${s.label}: ${b.count} example${b.count === 1 ? '' : 's'} with accuracy ${range(b)}${share}`}</title>
                </rect>
              );
            })}
          </g>
        ))}
        {/* The ideal line over the bars, its label above the plot. */}
        <g data-mark="ideal">
          <line x1={x(50)} x2={x(50)} y1={-4} y2={h} stroke={idealColor} strokeWidth={2} strokeDasharray="5 4" />
          <text x={x(50)} y={-7} textAnchor="middle" className="ref-label" fill={idealColor}>50% ideal</text>
        </g>
        <g className="axis" transform={`translate(0,${h})`}>
          <line x1={0} x2={w} stroke={COLORS.axis} />
          {bins.map((b, i) => (
            <g key={b.center} transform={`translate(${x(b.center)},0)`}>
              <line y2={5} stroke={COLORS.axis} />
              {/* At most about 11 labels, always 0 and 100. */}
              {(i % every === 0 || i === bins.length - 1) && (i === bins.length - 1 || bins.length - 1 - i >= every / 2) && <text y={18} textAnchor="middle">{Math.round(b.center)}</text>}
            </g>
          ))}
          <text className="axis-label" x={w / 2} y={40} textAnchor="middle">per-example attack accuracy (%)</text>
        </g>
      </g>
    </svg>
  );
}
