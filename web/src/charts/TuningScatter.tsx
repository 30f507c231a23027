// One tuned parameter of one method's search: every configuration tried as a point (x: the parameter's value, on a
// log axis where the range is log; y: the configuration's mean score (avgGap, or a regressor's L1 gap) on the
// validation split, lower is better),
// fainter and smaller where successive halving dropped it after fewer seeds. The chosen configuration is ringed,
// the defaults' configuration marked with a diamond and its score drawn across; the retrain noise floor is dashed.
import { scaleLinear, scaleLog } from 'd3-scale';
import type { SearchDim } from '../../../src/shared/http.ts';
import { COLORS } from '../lib/colors.ts';
import { inner } from '../lib/layout.ts';
import { isNumeric, logTicks, rangeText, tickValue, xDomain } from '../lib/tuning.ts';
import { AxisBottom, AxisLeft } from './Axis.tsx';

export const TUNING_COLORS = {
  config: '#475569',
  chosen: '#16a34a',
  defaults: '#7c3aed',
  floor: COLORS.retrain,
  range: '#eef2f7',
  edge: '#d97706',
} as const;

export interface TuningPoint {
  config: number;
  value: unknown;
  mean: number;
  seeds: number;
}

/** A scale the axes can draw: the position of a value, the ticks to label, the pixel range. */
function axisScale(at: (v: number) => number, ticks: number[], range: number[]) {
  return Object.assign((v: number) => at(v), { ticks: () => ticks, range: () => range });
}

/** The reference lines' values, in the right margin beside their lines, pushed apart where the lines are close. */
function refLabels(def?: number, floor?: number): { defaults?: number; floor?: number } {
  const gap = 12;
  if (def == null || floor == null || Math.abs(def - floor) >= gap) return { defaults: def, floor };
  const mid = (def + floor) / 2;
  // The lower line (larger y) keeps the lower label.
  return def >= floor ? { defaults: mid + gap / 2, floor: mid - gap / 2 } : { defaults: mid - gap / 2, floor: mid + gap / 2 };
}

export function TuningScatter({ param, dim, points, chosen, defaultsScore, floor, maxSeeds, edge, yDomain, width, height = 250, hovered, onHover, describe, scoreLabel }: {
  param: string;
  /** The y axis's title: the score and its units. */
  scoreLabel: string;
  dim: SearchDim;
  points: TuningPoint[];
  chosen: number;
  defaultsScore: number;
  floor: number | null;
  maxSeeds: number;
  edge?: 'low' | 'high';
  yDomain: [number, number];
  width: number;
  height?: number;
  hovered: number | null;
  onHover: (config: number | null) => void;
  describe: (config: number) => string;
}) {
  const m = { top: 30, right: 40, bottom: 46, left: 58 };
  const { w, h } = inner(width, height, m);
  const numeric = isNumeric(dim);
  const log = numeric && !!dim.log && dim.low > 0;

  // The x axis: the parameter's values (numbers), or the choices' positions.
  let xAt: (v: unknown) => number;
  let xAxis: ReturnType<typeof axisScale>;
  let xFormat: (v: number) => string = tickValue;
  let band: [number, number] | undefined;
  if (numeric) {
    const domain = xDomain(dim, points.map((p) => p.value));
    const x = log ? scaleLog().domain(domain).range([0, w]) : scaleLinear().domain(domain).range([0, w]);
    let ticks = log ? logTicks(domain[0], domain[1], Math.max(3, Math.floor(w / 48))) : x.ticks(Math.max(3, Math.min(6, Math.floor(w / 60))));
    if (dim.int) ticks = ticks.filter(Number.isInteger);
    xAt = (v) => x(v as number);
    xAxis = axisScale(x, ticks, [0, w]);
    band = [x(dim.low), x(dim.high)];
  } else {
    const x = scaleLinear().domain([-0.5, dim.choices.length - 0.5]).range([0, w]);
    xAt = (v) => x(dim.choices.indexOf(v as never));
    xAxis = axisScale(x, dim.choices.map((_, i) => i), [0, w]);
    xFormat = (i) => String(dim.choices[i]);
  }
  const y = scaleLinear().domain(yDomain).range([h, 0]).nice(4);
  const yTicks = y.ticks(4);
  const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
  const yFormat = (v: number) => v.toFixed(yStep < 0.1 ? 2 : yStep < 1 ? 1 : 0);

  const at = (config: number) => points.find((p) => p.config === config);
  const def = at(0);
  const pick = at(chosen);
  const hov = hovered == null ? undefined : at(hovered);
  const share = (p: TuningPoint) => (maxSeeds > 0 ? Math.min(1, p.seeds / maxSeeds) : 1);
  // The points that reached fewer seeds first, so the fully scored ones sit on top.
  const order = [...points].sort((a, b) => a.seeds - b.seeds || a.config - b.config);
  const yDef = Number.isFinite(defaultsScore) ? y(defaultsScore) : undefined;
  const yFloor = floor != null && Number.isFinite(floor) ? y(floor) : undefined;
  const labels = refLabels(yDef, yFloor);

  return (
    <svg width={width} height={height} role="img" aria-label={`${param}: mean score against value`} data-testid="tuning-scatter" data-param={param} className="tuning-scatter" onMouseLeave={() => onHover(null)}>
      <text x={m.left} y={17} className="chart-title">
        {param}
        <tspan className="chart-sub" dx={8}>searched {rangeText(dim)}</tspan>
      </text>
      <g transform={`translate(${m.left},${m.top})`}>
        <rect width={w} height={h} fill="#fcfdfe" stroke={COLORS.grid} />
        {band && <rect data-mark="range" x={Math.max(0, band[0])} width={Math.max(0, Math.min(w, band[1]) - Math.max(0, band[0]))} height={h} fill={TUNING_COLORS.range} />}
        {band && edge && (
          <line data-mark="edge" x1={band[edge === 'low' ? 0 : 1]} x2={band[edge === 'low' ? 0 : 1]} y1={0} y2={h} stroke={TUNING_COLORS.edge} strokeWidth={2.5} />
        )}
        <AxisLeft scale={axisScale(y, yTicks, [h, 0])} x={0} format={yFormat} label={scoreLabel} grid={w} />
        <AxisBottom scale={xAxis} y={h} format={xFormat} label={`${param}${log ? ' (log scale)' : ''}`} />
        {yFloor != null && (
          <g data-mark="floor">
            <line x1={0} x2={w} y1={yFloor} y2={yFloor} stroke={TUNING_COLORS.floor} strokeWidth={1.6} strokeDasharray="6 4" />
            <text x={w + 5} y={labels.floor} dy="0.32em" className="ref-label" fill={TUNING_COLORS.floor}><title>the retrain noise floor</title>{floor!.toFixed(2)}</text>
          </g>
        )}
        {yDef != null && (
          <g data-mark="defaults-line">
            <line x1={0} x2={w} y1={yDef} y2={yDef} stroke={TUNING_COLORS.defaults} strokeWidth={1.3} strokeOpacity={0.75} />
            <text x={w + 5} y={labels.defaults} dy="0.32em" className="ref-label" fill={TUNING_COLORS.defaults}><title>the defaults&apos; score</title>{defaultsScore.toFixed(2)}</text>
          </g>
        )}
        {order.map((p) => {
          const s = share(p);
          return (
            <circle
              key={p.config}
              data-mark="config"
              data-config={p.config}
              data-seeds={p.seeds}
              cx={xAt(p.value)}
              cy={y(p.mean)}
              r={3 + 2.2 * s}
              fill={p.config === chosen ? TUNING_COLORS.chosen : TUNING_COLORS.config}
              fillOpacity={0.3 + 0.65 * s}
              stroke="white"
              strokeWidth={0.8}
              onMouseEnter={() => onHover(p.config)}
            >
              <title>{describe(p.config)}</title>
            </circle>
          );
        })}
        {def && (
          <rect data-mark="defaults" x={xAt(def.value) - 7.5} y={y(def.mean) - 7.5} width={15} height={15} transform={`rotate(45 ${xAt(def.value)} ${y(def.mean)})`} fill="none" stroke={TUNING_COLORS.defaults} strokeWidth={2} pointerEvents="none" />
        )}
        {pick && <circle data-mark="chosen" cx={xAt(pick.value)} cy={y(pick.mean)} r={9} fill="none" stroke={TUNING_COLORS.chosen} strokeWidth={2.5} pointerEvents="none" />}
        {hov && <circle data-mark="hover" cx={xAt(hov.value)} cy={y(hov.mean)} r={13} fill="none" stroke={COLORS.text} strokeWidth={1.5} pointerEvents="none" />}
      </g>
    </svg>
  );
}
