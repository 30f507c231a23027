// Class-wise accuracy: per class, a bar for model A and one for model B, on one 0–100% axis.
import { scaleLinear } from 'd3-scale';
import { COLORS } from '../lib/colors.ts';
import { pct, truncate } from '../lib/format.ts';
import { inner, textWidth } from '../lib/layout.ts';
import type { ClassPair } from '../lib/matrix.ts';
import { AxisBottom } from './Axis.tsx';

const BAR = 13;
const ROW = 2 * BAR + 14;

export function ClassBars({ pairs, width }: { pairs: ClassPair[]; width: number }) {
  const left = Math.min(170, Math.max(70, ...pairs.map((p) => textWidth(truncate(p.name, 22), 13) + 22)));
  const m = { top: 8, right: 56, bottom: 48, left };
  const height = m.top + m.bottom + ROW * pairs.length;
  const { w } = inner(width, height, m);
  const x = scaleLinear().domain([0, 100]).range([0, w]);
  return (
    <svg width={width} height={height} role="img" aria-label="class-wise accuracy of model A and model B">
      <g transform={`translate(${m.left},${m.top})`}>
        <AxisBottom scale={x} y={ROW * pairs.length} ticks={10} label="Accuracy (%)" grid={ROW * pairs.length} />
        {pairs.map((p, i) => (
          <g key={p.cls} transform={`translate(0,${i * ROW})`}>
            {p.forgotten && <rect x={-m.left + 2} y={2} width={width - 4} height={ROW - 4} fill="#fee2e2" opacity={0.6} rx={4} />}
            <text x={-10} y={ROW / 2 - (p.forgotten ? 6 : 0)} dy="0.32em" textAnchor="end" className="tick-label">
              <title>{p.name}</title>
              {truncate(p.name, 22)}
            </text>
            {p.forgotten && (
              <text x={-10} y={ROW / 2 + 9} dy="0.32em" textAnchor="end" className="tag-forgotten">forgotten</text>
            )}
            {(['a', 'b'] as const).map((side, j) => {
              const v = p[side];
              const y = 7 + j * BAR;
              return (
                <g key={side}>
                  <rect
                    data-mark="bar"
                    data-side={side}
                    x={0}
                    y={y}
                    width={v == null ? 0 : Math.max(1, x(v))}
                    height={BAR - 2}
                    rx={2}
                    fill={side === 'a' ? COLORS.A : COLORS.B}
                  >
                    <title>{`${p.name}, model ${side.toUpperCase()}: ${pct(v)}`}</title>
                  </rect>
                  <text x={(v == null ? 0 : x(v)) + 5} y={y + (BAR - 2) / 2} dy="0.32em" className="value-label">{pct(v)}</text>
                </g>
              );
            })}
          </g>
        ))}
      </g>
    </svg>
  );
}
