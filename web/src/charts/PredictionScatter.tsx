// One regressor's predictions against a reference (retraining's predictions or the true targets): a dot per probe
// sample, forget samples larger and ringed on top, the diagonal y = x where the two agree. The title is the
// accessible name; the view prints it above the chart, where it can wrap.
import { memo } from 'react';
import { scaleLinear } from 'd3-scale';
import { COLORS } from '../lib/colors.ts';
import { inner } from '../lib/layout.ts';
import type { PredictionPoint } from '../lib/predictions.ts';
import { AxisBottom, AxisLeft } from './Axis.tsx';

export const PredictionScatter = memo(function PredictionScatter({ points, size, domain, color, title, xLabel, yLabel }: {
  points: PredictionPoint[];
  size: number;
  domain: [number, number];
  color: string;
  title: string;
  xLabel: string;
  yLabel: string;
}) {
  const m = { top: 10, right: 16, bottom: 52, left: 62 };
  const { w, h } = inner(size, size, m);
  const side = Math.max(40, Math.min(w, h));
  const x = scaleLinear().domain(domain).range([0, side]);
  const y = scaleLinear().domain(domain).range([side, 0]);
  return (
    <svg width={side + m.left + m.right} height={side + m.top + m.bottom} role="img" aria-label={title} className="prediction-scatter">
      <g transform={`translate(${m.left},${m.top})`}>
        <rect width={side} height={side} fill="#f8fafc" />
        <AxisLeft scale={y} x={0} ticks={5} label={yLabel} grid={side} />
        <AxisBottom scale={x} y={side} ticks={5} label={xLabel} />
        <line data-mark="diagonal" x1={x(domain[0])} y1={y(domain[0])} x2={x(domain[1])} y2={y(domain[1])} stroke={COLORS.axis} strokeDasharray="5 4" />
        {points.map((p) => (
          <circle
            key={p.id}
            data-mark="point"
            data-forget={p.forget ? '1' : undefined}
            cx={x(p.x)}
            cy={y(p.y)}
            r={p.forget ? 4.5 : 3}
            fill={p.forget ? color : COLORS.retrain}
            fillOpacity={p.forget ? 0.95 : 0.35}
            stroke={p.forget ? '#111827' : 'none'}
            strokeWidth={p.forget ? 1.2 : 0}
          >
            <title>{`sample ${p.id}${p.forget ? ' (forget)' : ''}: ${p.y.toFixed(1)} against ${p.x.toFixed(1)}`}</title>
          </circle>
        ))}
      </g>
    </svg>
  );
});
