// A deployment's version history: versions as nodes, the requests that made them as edges; exact edges solid,
// approximate ones dashed, a request whose version held nothing a dotted loop. Lineage hits are ringed.
import type { ApiDeletionRequest, ApiVersion } from '../../../src/shared/http.ts';
import { COLORS } from '../lib/colors.ts';
import { LINE_HEIGHT, versionGraph, type EdgeStyle } from '../lib/version-graph.ts';

export const EDGE_COLORS: Record<EdgeStyle, string> = { exact: '#0f766e', approximate: COLORS.B, none: '#94a3b8' };
export const EDGE_DASH: Record<EdgeStyle, string | undefined> = { exact: undefined, approximate: '7 5', none: '2 4' };
export const HIGHLIGHT = '#f59e0b';

export function VersionGraph({ versions, requests, current, highlight, title }: {
  versions: ApiVersion[]; requests: ApiDeletionRequest[]; current: number; highlight: ReadonlySet<number>; title: string;
}) {
  const g = versionGraph(versions, requests, current, highlight);
  return (
    <svg width={g.width} height={g.height} role="img" aria-label={title} data-testid="version-graph">
      <defs>
        {(['exact', 'approximate'] as const).map((s) => (
          <marker key={s} id={`arrow-${s}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill={EDGE_COLORS[s]} />
          </marker>
        ))}
      </defs>
      {g.edges.map((e) => (
        <g key={e.key} data-mark="edge" data-style={e.style} data-from={e.from} data-to={e.to} data-requests={e.requests.join(',')}>
          <title>{e.title}</title>
          <path d={e.path} fill="none" stroke={EDGE_COLORS[e.style]} strokeWidth={2.5} strokeDasharray={EDGE_DASH[e.style]} markerEnd={e.style === 'none' ? undefined : `url(#arrow-${e.style})`} />
          {e.lines.map((l, i) => (
            <text key={i} x={e.labelX} y={e.labelY + i * LINE_HEIGHT} textAnchor="middle" className={i === 0 ? 'edge-label' : 'edge-sub'}>{l}</text>
          ))}
        </g>
      ))}
      {g.nodes.map((n) => (
        <g key={n.number} data-mark="version" data-version={n.number} data-current={n.current} data-highlighted={n.highlighted} transform={`translate(${n.x},${n.y})`}>
          <title>{`${n.label}: ${n.lines.join(', ')}${n.current ? ' (current)' : ''}${n.highlighted ? ' — holds the searched ids' : ''}`}</title>
          {n.highlighted && <circle r={g.r + 6} fill="#fef3c7" stroke={HIGHLIGHT} strokeWidth={3.5} data-mark="highlight" />}
          <circle r={g.r} fill={n.current ? COLORS.text : '#ffffff'} stroke={n.current ? COLORS.text : COLORS.axis} strokeWidth={2} />
          <text textAnchor="middle" dy="0.35em" className="node-label" fill={n.current ? '#ffffff' : COLORS.text}>{n.label}</text>
          {n.lines.map((l, i) => (
            <text key={i} y={g.r + 16 + i * LINE_HEIGHT} textAnchor="middle" className="node-sub">{l}</text>
          ))}
          {n.current && <text y={g.r + 16 + n.lines.length * LINE_HEIGHT} textAnchor="middle" className="node-current">current</text>}
        </g>
      ))}
    </svg>
  );
}

/** The graph's legend (HTML, above it). */
export function VersionLegend({ searching }: { searching: boolean }) {
  const line = (s: EdgeStyle) => (
    <svg width={34} height={10} aria-hidden>
      <line x1={1} x2={33} y1={5} y2={5} stroke={EDGE_COLORS[s]} strokeWidth={2.5} strokeDasharray={EDGE_DASH[s]} />
    </svg>
  );
  return (
    <div className="legend" data-testid="graph-legend">
      <span className="legend-item">{line('exact')} exact deletion (exact method or retrain)</span>
      <span className="legend-item">{line('approximate')} approximate (an exact retrain follows)</span>
      <span className="legend-item">{line('none')} nothing held: no new version</span>
      <span className="legend-item">
        <svg width={16} height={16} aria-hidden><circle cx={8} cy={8} r={6} fill={COLORS.text} /></svg> current version
      </span>
      {searching && (
        <span className="legend-item">
          <svg width={18} height={18} aria-hidden><circle cx={9} cy={9} r={7} fill="#fef3c7" stroke={HIGHLIGHT} strokeWidth={2.5} /></svg> holds the searched ids
        </span>
      )}
    </div>
  );
}
