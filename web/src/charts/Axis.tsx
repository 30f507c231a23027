// Axes drawn from a d3 scale's ticks: plain SVG, labelled, with the same look in every chart.
import { COLORS } from '../lib/colors.ts';

interface LinearLike {
  (v: number): number;
  ticks(n?: number): number[];
  range(): number[];
}

export function AxisBottom({ scale, y, ticks = 5, format = String, label, grid = 0 }: {
  scale: LinearLike; y: number; ticks?: number; format?: (v: number) => string; label?: string; grid?: number;
}) {
  const [r0, r1] = scale.range();
  return (
    <g className="axis" transform={`translate(0,${y})`}>
      <line x1={r0} x2={r1} stroke={COLORS.axis} />
      {scale.ticks(ticks).map((t) => (
        <g key={t} transform={`translate(${scale(t)},0)`}>
          {grid > 0 && <line y1={-grid} y2={0} stroke={COLORS.grid} />}
          <line y2={5} stroke={COLORS.axis} />
          <text y={18} textAnchor="middle">{format(t)}</text>
        </g>
      ))}
      {label && <text className="axis-label" x={(r0 + r1) / 2} y={38} textAnchor="middle">{label}</text>}
    </g>
  );
}

export function AxisLeft({ scale, x, ticks = 5, format = String, label, grid = 0 }: {
  scale: LinearLike; x: number; ticks?: number; format?: (v: number) => string; label?: string; grid?: number;
}) {
  const [r0, r1] = scale.range();
  return (
    <g className="axis" transform={`translate(${x},0)`}>
      <line y1={r0} y2={r1} stroke={COLORS.axis} />
      {scale.ticks(ticks).map((t) => (
        <g key={t} transform={`translate(0,${scale(t)})`}>
          {grid > 0 && <line x1={0} x2={grid} stroke={COLORS.grid} />}
          <line x2={-5} stroke={COLORS.axis} />
          <text x={-8} dy="0.32em" textAnchor="end">{format(t)}</text>
        </g>
      ))}
      {label && (
        <text className="axis-label" transform={`translate(${-44},${(r0 + r1) / 2}) rotate(-90)`} textAnchor="middle">{label}</text>
      )}
    </g>
  );
}

export function Legend({ items, testId }: {
  items: { label: string; color: string; shape?: 'square' | 'line' | 'dash' | 'dot' | 'ring' | 'diamond'; opacity?: number }[];
  testId?: string;
}) {
  return (
    <div className="legend" data-testid={testId}>
      {items.map((it) => (
        <span key={it.label} className="legend-item">
          <svg width={16} height={12} aria-hidden opacity={it.opacity}>
            {it.shape === 'dash' ? (
              <line x1={1} x2={15} y1={6} y2={6} stroke={it.color} strokeWidth={2} strokeDasharray="4 3" />
            ) : it.shape === 'diamond' ? (
              <rect x={4} y={2} width={8} height={8} transform="rotate(45 8 6)" fill="white" stroke={it.color} strokeWidth={2} />
            ) : it.shape === 'line' ? (
              <line x1={1} x2={15} y1={6} y2={6} stroke={it.color} strokeWidth={2.5} />
            ) : it.shape === 'dot' ? (
              <circle cx={8} cy={6} r={4} fill={it.color} />
            ) : it.shape === 'ring' ? (
              <circle cx={8} cy={6} r={4} fill="white" stroke={it.color} strokeWidth={2} />
            ) : (
              <rect x={2} y={1} width={12} height={10} rx={2} fill={it.color} />
            )}
          </svg>
          {it.label}
        </span>
      ))}
    </div>
  );
}
