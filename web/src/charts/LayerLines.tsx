// Layer-wise similarity: linear CKA (0–1) per layer, one line per model, layers in forward order.
import { scaleLinear, scalePoint } from 'd3-scale';
import { COLORS } from '../lib/colors.ts';
import { truncate } from '../lib/format.ts';
import { inner, textWidth } from '../lib/layout.ts';
import { AxisLeft } from './Axis.tsx';

export interface LineSeries {
  key: string;
  label: string;
  color: string;
  values: (number | null)[];
}

export function LayerLines({ layers, series, width, height = 340, title, domain }: {
  layers: string[]; series: LineSeries[]; width: number; height?: number; title: string; domain: [number, number];
}) {
  const names = layers.map((l) => truncate(l, 16));
  const rotate = names.reduce((s, n) => s + textWidth(n, 12) + 12, 0) > width - 90;
  const bottom = rotate ? 28 + Math.max(...names.map((n) => textWidth(n, 12))) * 0.7 : 50;
  const m = { top: 40, right: 20, bottom, left: 62 };
  const { w, h } = inner(width, height, m);
  const x = scalePoint<string>().domain(layers).range([0, w]).padding(0.4);
  const y = scaleLinear().domain(domain).range([h, 0]);
  return (
    <svg width={width} height={height} role="img" aria-label={title}>
      <text x={m.left} y={16} className="chart-title">{title}</text>
      <g transform={`translate(${m.left},${m.top})`}>
        <AxisLeft scale={y} x={0} ticks={5} label="Linear CKA" format={(v) => v.toFixed(domain[1] - domain[0] < 0.5 ? 2 : 1)} grid={w} />
        <line x1={0} x2={w} y1={h} y2={h} stroke={COLORS.axis} />
        {layers.map((l, i) => (
          <g key={l} transform={`translate(${x(l)},${h})`}>
            <line y2={5} stroke={COLORS.axis} />
            {rotate ? (
              <text transform="translate(0,10) rotate(-35)" textAnchor="end" dy="0.32em" className="tick-label"><title>{l}</title>{names[i]}</text>
            ) : (
              <text y={18} textAnchor="middle" className="tick-label"><title>{l}</title>{names[i]}</text>
            )}
          </g>
        ))}
        {!rotate && <text className="axis-label" x={w / 2} y={h + 40} textAnchor="middle">Layer (input → output)</text>}
        {series.map((s) => {
          const pts = s.values.map((v, i) => (v == null || !Number.isFinite(v) ? null : ([x(layers[i]) ?? 0, y(v)] as const)));
          const d = pts.reduce((acc, p, i) => (p ? `${acc}${acc && pts[i - 1] ? 'L' : 'M'}${p[0]},${p[1]}` : acc), '');
          return (
            <g key={s.key}>
              <path d={d} fill="none" stroke={s.color} strokeWidth={2.5} />
              {pts.map((p, i) =>
                p ? (
                  <circle key={i} data-mark="point" cx={p[0]} cy={p[1]} r={4.5} fill="white" stroke={s.color} strokeWidth={2.5}>
                    <title>{`${s.label}, ${layers[i]}: CKA ${s.values[i]!.toFixed(3)}`}</title>
                  </circle>
                ) : null,
              )}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
