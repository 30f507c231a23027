// A prediction matrix: rows are true classes, columns predicted classes; colour is the share of the row.
import { cellColor, textOn, type Side } from '../lib/colors.ts';
import { truncate } from '../lib/format.ts';
import { cellSize, matrixCells } from '../lib/matrix.ts';

export function Heatmap({ counts, classNames, side, width, forgotten = [] }: {
  counts: number[]; classNames: string[]; side: Side; width: number; forgotten?: number[];
}) {
  const k = classNames.length;
  const names = classNames.map((n) => truncate(n, 12));
  const left = 112;
  const top = 8;
  const bottom = 96;
  const size = cellSize(width - left - 12, k);
  const cells = matrixCells(counts, k, size);
  const showText = size >= 26;
  return (
    <svg width={left + size * k + 12} height={top + size * k + bottom} role="img" aria-label={`prediction matrix of model ${side}`}>
      <g transform={`translate(${left},${top})`}>
        {cells.map((c) => {
          const fill = cellColor(side, c.share);
          return (
            <g key={`${c.row}-${c.col}`}>
              <rect data-mark="cell" data-side={side} x={c.x} y={c.y} width={c.size - 1} height={c.size - 1} fill={fill} rx={1.5}>
                <title>{`true ${classNames[c.row]} → predicted ${classNames[c.col]}: ${c.count} (${(100 * c.share).toFixed(1)}% of the row)`}</title>
              </rect>
              {showText && c.count > 0 && (
                <text x={c.x + c.size / 2} y={c.y + c.size / 2} dy="0.32em" textAnchor="middle" className="cell-label" fill={textOn(fill)}>
                  {c.share >= 0.995 ? '100' : (100 * c.share).toFixed(c.share < 0.1 ? 1 : 0)}
                </text>
              )}
            </g>
          );
        })}
        {names.map((n, i) => (
          <text key={`r${i}`} x={-8} y={i * size + size / 2} dy="0.32em" textAnchor="end" className={forgotten.includes(i) ? 'tick-label forgotten' : 'tick-label'}>
            {n}
          </text>
        ))}
        {names.map((n, i) => (
          <text
            key={`c${i}`}
            transform={`translate(${i * size + size / 2},${k * size + 8}) rotate(-40)`}
            textAnchor="end"
            dy="0.32em"
            className={forgotten.includes(i) ? 'tick-label forgotten' : 'tick-label'}
          >
            {n}
          </text>
        ))}
        <text className="axis-label" x={(k * size) / 2} y={k * size + bottom - 8} textAnchor="middle">Predicted class</text>
        <text className="axis-label" transform={`translate(${-left + 10},${(k * size) / 2}) rotate(-90)`} textAnchor="middle">True class</text>
      </g>
    </svg>
  );
}
