// The attack simulation: forget-sample distributions of a model and of retrain, a draggable threshold,
// and below them the attack score and success rate the threshold would have at each grid point.
import { scaleLinear } from 'd3-scale';
import { useRef } from 'react';
import type { ThresholdPoint } from '../lib/attack.ts';
import { COLORS } from '../lib/colors.ts';
import { maxCount, snap, type Bin } from '../lib/histogram.ts';
import { inner } from '../lib/layout.ts';
import { AxisBottom, AxisLeft } from './Axis.tsx';

export interface Dist {
  key: string;
  label: string;
  color: string;
  bins: Bin[];
}

export function AttackChart({ dists, curve, thresholds, index, onIndex, aboveLabel, belowLabel, aboveColor, belowColor, xLabel, width }: {
  dists: [Dist, Dist];
  curve: ThresholdPoint[];
  thresholds: number[];
  index: number;
  onIndex: (i: number) => void;
  aboveLabel: string;
  belowLabel: string;
  aboveColor: string;
  belowColor: string;
  xLabel: string;
  width: number;
}) {
  const m = { top: 30, right: 24, bottom: 50, left: 64 };
  const histH = 250;
  const gap = 56;
  const curveH = 130;
  const height = m.top + histH + gap + curveH + m.bottom;
  const { w } = inner(width, height, m);
  const lo = thresholds[0];
  const hi = thresholds[thresholds.length - 1];
  const x = scaleLinear().domain([lo, hi]).range([0, w]);
  const y = scaleLinear().domain([0, maxCount(dists[0].bins, dists[1].bins)]).nice().range([histH, 0]);
  const yc = scaleLinear().domain([0, 1]).range([curveH, 0]);
  const t = thresholds[index];
  const tx = x(t);
  const svgRef = useRef<SVGSVGElement>(null);

  const toIndex = (clientX: number) => {
    const r = svgRef.current!.getBoundingClientRect();
    return snap(x.invert(clientX - r.left - m.left), thresholds);
  };
  const line = (key: 'attackScore' | 'accuracy', f: (p: ThresholdPoint) => number) =>
    curve.map((p, i) => `${i ? 'L' : 'M'}${x(thresholds[i])},${yc(f(p))}`).join('');

  return (
    <svg
      ref={svgRef}
      width={width}
      height={height}
      className="attack-chart"
      role="img"
      aria-label="attack simulation"
      onPointerDown={(e) => {
        (e.target as Element).setPointerCapture?.(e.pointerId);
        onIndex(toIndex(e.clientX));
      }}
      onPointerMove={(e) => {
        if (e.buttons & 1) onIndex(toIndex(e.clientX));
      }}
    >
      <g transform={`translate(${m.left},${m.top})`}>
        {/* Which model the attack names on each side of the threshold. */}
        <rect x={0} y={0} width={tx} height={histH} fill={belowColor} opacity={0.06} />
        <rect x={tx} y={0} width={w - tx} height={histH} fill={aboveColor} opacity={0.06} />
        <text x={tx - 8} y={-10} textAnchor="end" className="region-label" fill={belowColor}>← guessed {belowLabel}</text>
        <text x={tx + 8} y={-10} className="region-label" fill={aboveColor}>guessed {aboveLabel} →</text>
        <AxisLeft scale={y} x={0} ticks={5} label="Forget samples" grid={w} />
        {dists.map((d, j) =>
          d.bins.map((b, i) => {
            if (!b.count) return null;
            const bw = (x(b.x1) - x(b.x0)) / 2;
            return (
              <rect key={`${d.key}${i}`} data-mark="bar" data-series={d.key} x={x(b.x0) + j * bw + 0.5} y={y(b.count)} width={Math.max(1, bw - 1)} height={histH - y(b.count)} fill={d.color}>
                <title>{`${d.label}: ${b.count} samples in [${b.x0.toFixed(2)}, ${b.x1.toFixed(2)})`}</title>
              </rect>
            );
          }),
        )}
        <AxisBottom scale={x} y={histH} ticks={10} format={(v) => String(Number(v.toFixed(2)))} />

        <g transform={`translate(0,${histH + gap})`}>
          <AxisLeft scale={yc} x={0} ticks={2} format={(v) => v.toFixed(1)} grid={w} />
          <text className="axis-label" transform={`translate(${-44},${curveH / 2}) rotate(-90)`} textAnchor="middle">Score</text>
          <path d={line('attackScore', (p) => p.attackScore)} fill="none" stroke="#7c3aed" strokeWidth={2} />
          <path d={line('accuracy', (p) => p.accuracy / 100)} fill="none" stroke="#0891b2" strokeWidth={2} strokeDasharray="5 3" />
          <AxisBottom scale={x} y={curveH} ticks={10} format={(v) => String(Number(v.toFixed(2)))} label={xLabel} />
        </g>

        <g className="threshold" transform={`translate(${tx},0)`}>
          {/* Two segments, so that the line never runs through the axis labels between the plots. */}
          <line y1={-4} y2={histH} stroke="#111827" strokeWidth={2} />
          <line y1={histH + gap} y2={histH + gap + curveH} stroke="#111827" strokeWidth={2} />
          <rect data-testid="threshold-handle" x={-7} y={histH / 2 - 18} width={14} height={36} rx={4} fill="#111827" style={{ cursor: 'ew-resize' }} />
          <circle cx={0} cy={histH + gap + yc(curve[index].attackScore)} r={4.5} fill="#7c3aed" />
          <circle cx={0} cy={histH + gap + yc(curve[index].accuracy / 100)} r={4.5} fill="#0891b2" />
        </g>
      </g>
    </svg>
  );
}
