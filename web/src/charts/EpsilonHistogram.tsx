// A bank's per-example ε as a histogram: the challenge's score buckets (0.5 wide, worth 1, 1/2, 1/4, …) shaded behind
// the bars, darker where an example earns more, with each bucket's points above it; the cap ε = ceil(ln(N − 1)) as a
// dashed line, and past it one bar of the examples at or above the cap, which earn nothing.
import { scaleLinear } from 'd3-scale';
import { COLORS } from '../lib/colors.ts';
import { inner } from '../lib/layout.ts';
import { pointsLabel, type EpsilonHistogram as Hist } from '../lib/quality.ts';
import { AxisLeft } from './Axis.tsx';

export const QUALITY_COLORS = {
  bar: COLORS.A,
  over: COLORS.forget,
  bucket: '#16a34a',
  cap: COLORS.forget,
} as const;

/** A bucket's shade: the more it is worth, the darker. */
const shade = (points: number) => 0.05 + 0.25 * points;

export function EpsilonHistogram({ h, width, height = 300 }: { h: Hist; width: number; height?: number }) {
  const m = { top: 46, right: 20, bottom: 50, left: 60 };
  const { w, h: ih } = inner(width, height, m);
  // The over-the-cap column sits apart, one bucket wide, after a gap.
  const gap = 22;
  const unit = (w - gap) / (h.cap + 0.5);
  const x = scaleLinear().domain([0, h.cap]).range([0, unit * h.cap]);
  const overX = x(h.cap) + gap;
  const overW = unit * 0.5;
  const y = scaleLinear().domain([0, Math.max(1, h.over, ...h.bins.map((b) => b.count))]).nice(5).range([ih, 0]);
  const yTicks = y.ticks(5).filter(Number.isInteger);
  const yScale = Object.assign((v: number) => y(v), { ticks: () => yTicks, range: () => [ih, 0] });
  const edges = h.buckets.map((b) => b.x0).concat(h.cap);
  const share = (c: number) => (h.total ? ` (${((100 * c) / h.total).toFixed(1)}%)` : '');
  return (
    <svg width={width} height={height} role="img" aria-label={`per-example epsilon of ${h.total} forget examples, N = ${h.n}`} data-testid="epsilon-histogram" data-cap={h.cap} className="epsilon-histogram">
      <g transform={`translate(${m.left},${m.top})`}>
        {h.buckets.map((b) => (
          <g key={b.x0} data-mark="bucket" data-x0={b.x0} data-x1={b.x1} data-points={b.points} data-count={b.count}>
            <rect x={x(b.x0)} width={x(b.x1) - x(b.x0)} height={ih} fill={QUALITY_COLORS.bucket} fillOpacity={shade(b.points)} stroke="white" strokeWidth={1} />
            <text x={(x(b.x0) + x(b.x1)) / 2} y={-8} textAnchor="middle" className="bucket-label">{pointsLabel(b.points)}</text>
            <title>{`ε in [${b.x0}, ${b.x1}): worth ${pointsLabel(b.points)} point${b.points === 1 ? '' : 's'}; ${b.count} example${b.count === 1 ? '' : 's'}${share(b.count)}`}</title>
          </g>
        ))}
        <text x={0} y={-26} className="bucket-caption">points per example</text>
        <g data-mark="over-region">
          <rect x={overX} width={overW} height={ih} fill={QUALITY_COLORS.over} fillOpacity={0.07} />
          <text x={overX + overW / 2} y={-8} textAnchor="middle" className="bucket-label">0</text>
        </g>
        <AxisLeft scale={yScale} x={0} label="forget examples" grid={w} />
        {h.bins.map((b) => b.count > 0 && (
          <rect key={b.x0} data-mark="bar" data-x0={b.x0} data-x1={b.x1} data-count={b.count}
            x={x(b.x0) + 0.5} width={Math.max(1, x(b.x1) - x(b.x0) - 1)} y={y(b.count)} height={ih - y(b.count)} fill={QUALITY_COLORS.bar}>
            <title>{`${b.count} example${b.count === 1 ? '' : 's'} with ε in [${b.x0}, ${b.x1})${share(b.count)}`}</title>
          </rect>
        ))}
        {h.over > 0 && (
          <g data-mark="over" data-count={h.over}>
            <rect x={overX + 0.5} width={Math.max(1, overW - 1)} y={y(h.over)} height={ih - y(h.over)} fill={QUALITY_COLORS.over} />
            {/* Above the bar, or inside it where it reaches the bucket labels. */}
            <text x={overX + overW / 2} y={y(h.over) < 18 ? y(h.over) + 15 : y(h.over) - 5} textAnchor="middle" className={y(h.over) < 18 ? 'bar-value inside' : 'bar-value'}>{h.over}</text>
            <title>{`${h.over} example${h.over === 1 ? '' : 's'} at or above the cap ε = ${h.cap}${share(h.over)}: told apart from retraining as well as N = ${h.n} models can tell, worth 0`}</title>
          </g>
        )}
        <g data-mark="cap" data-value={h.cap}>
          <line x1={x(h.cap) + gap / 2} x2={x(h.cap) + gap / 2} y1={-4} y2={ih} stroke={QUALITY_COLORS.cap} strokeWidth={2} strokeDasharray="5 4" />
        </g>
        <g className="axis" transform={`translate(0,${ih})`}>
          <line x1={0} x2={x(h.cap)} stroke={COLORS.axis} />
          <line x1={overX} x2={overX + overW} stroke={COLORS.axis} />
          {edges.map((e) => (
            <g key={e} transform={`translate(${x(e)},0)`}>
              <line y2={5} stroke={COLORS.axis} />
              <text y={18} textAnchor="middle">{e}</text>
            </g>
          ))}
          <text x={overX + overW / 2} y={18} textAnchor="middle">≥ {h.cap}</text>
          <text className="axis-label" x={x(h.cap) / 2} y={40} textAnchor="middle">ε per forget example (δ = 1e-5)</text>
          <text className="axis-label cap-label" x={x(h.cap) + gap / 2} y={40} textAnchor="middle" fill={QUALITY_COLORS.cap}>cap ⌈ln(N − 1)⌉ = {h.cap}</text>
        </g>
      </g>
    </svg>
  );
}
