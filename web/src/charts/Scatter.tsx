// One model's embedding: a dot per sample in its class colour; forget samples larger, ringed in black, on top.
import { memo } from 'react';
import { classColor } from '../lib/colors.ts';
import type { Point } from '../lib/embedding.ts';

export type ColorBy = 'pred' | 'label';

export const Scatter = memo(function Scatter({ points, size, colorBy, hovered, onHover, side }: {
  points: Point[];
  size: number;
  colorBy: ColorBy;
  hovered: number | null;
  onHover: (id: number | null, e?: React.MouseEvent) => void;
  side: 'A' | 'B';
}) {
  return (
    <svg width={size} height={size} className="scatter" role="img" aria-label={`embedding of model ${side}`} onMouseLeave={() => onHover(null)}>
      <rect width={size} height={size} fill="#f8fafc" rx={6} />
      {points.map((p) => (
        <circle
          key={p.id}
          data-mark="point"
          data-forget={p.forget ? '1' : undefined}
          cx={p.px}
          cy={p.py}
          r={p.forget ? 5 : 3.2}
          fill={classColor(colorBy === 'pred' ? p.pred : p.label)}
          fillOpacity={p.forget ? 1 : 0.6}
          stroke={p.forget ? '#111827' : 'none'}
          strokeWidth={p.forget ? 1.6 : 0}
          onMouseEnter={(e) => onHover(p.id, e)}
          onMouseMove={(e) => onHover(p.id, e)}
        />
      ))}
      {hovered != null &&
        points
          .filter((p) => p.id === hovered)
          .map((p) => <circle key="hover" cx={p.px} cy={p.py} r={9} fill="none" stroke="#111827" strokeWidth={2} pointerEvents="none" />)}
    </svg>
  );
});
