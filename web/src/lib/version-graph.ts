// The version history of a deployment as a graph: versions are nodes in a row (v0, v1, …), the requests that made
// each version are the edge into it (a batch of requests is one edge), an exact retrain is an edge of its own, and a
// request whose version held none of its ids is a loop on that version. Pure geometry; VersionGraph.tsx draws it.
import type { ApiDeletionRequest, ApiVersion } from '../../../src/shared/http.ts';
import { truncate } from './format.ts';
import { textWidth } from './layout.ts';

/** How an edge is drawn: exact (an exact method or a retrain: solid), approximate (dashed), none (nothing held: a dotted loop). */
export type EdgeStyle = 'exact' | 'approximate' | 'none';

export interface GraphNode {
  number: number;
  x: number;
  y: number;
  label: string;
  /** Lines under the node: how the version came to be, its training set's size. */
  lines: string[];
  current: boolean;
  highlighted: boolean;
  exactness: ApiVersion['exactness'];
}

export interface GraphEdge {
  key: string;
  from: number;
  to: number;
  style: EdgeStyle;
  /** The requests on it (for a retrain: the approximate requests it supersedes). */
  requests: number[];
  lines: string[];
  /** The SVG path, from node edge to node edge (a loop for style none). */
  path: string;
  /** Where its first label line's baseline is centred; each further line is LINE_HEIGHT below. */
  labelX: number;
  labelY: number;
  /** Everything about it, for a tooltip. */
  title: string;
}

export interface GraphLayout {
  width: number;
  height: number;
  r: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const LINE_HEIGHT = 14;
const R = 18;
const FONT = 11.5;
const MAX_CHARS = 28;
const MIN_STEP = 150;

/** "#3", "#3, #4", "#3–#9 (5)": the request ids on an edge. */
export function requestList(ids: readonly number[]): string {
  const s = [...ids].sort((a, b) => a - b);
  if (s.length <= 3) return s.map((i) => `#${i}`).join(', ');
  return `#${s[0]}–#${s.at(-1)} (${s.length})`;
}

const styleOf = (v: ApiVersion | undefined): EdgeStyle => (v?.exactness === 'approximate' ? 'approximate' : 'exact');

/**
 * Lays out versions and requests. `highlight` holds the version numbers to mark (those whose manifest holds the
 * searched ids). Requests that are not done, or failed, have no edge.
 */
export function versionGraph(versions: readonly ApiVersion[], requests: readonly ApiDeletionRequest[], current: number, highlight: ReadonlySet<number> = new Set()): GraphLayout {
  const byNumber = new Map(versions.map((v) => [v.number, v]));
  const sorted = [...versions].sort((a, b) => a.number - b.number);
  type Pending = Omit<GraphEdge, 'path' | 'labelX' | 'labelY'>;
  const pending: Pending[] = [];

  const groups = new Map<string, ApiDeletionRequest[]>();
  for (const r of requests) {
    if (r.state !== 'done' || r.parentVersion == null || r.childVersion == null) continue;
    const k = `${r.parentVersion}-${r.childVersion}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [k, rs] of groups) {
    const { parentVersion: from, childVersion: to } = rs[0] as { parentVersion: number; childVersion: number };
    const child = byNumber.get(to);
    const style: EdgeStyle = from === to ? 'none' : styleOf(child);
    rs.sort((a, b) => a.id - b.id);
    const ids = rs.map((r) => r.id);
    const subject = rs.length === 1 ? rs[0].subject : `${rs[0].subject} +${rs.length - 1}`;
    const held = rs.reduce((s, r) => s + (r.held ?? 0), 0);
    const lines = [truncate(`${requestList(ids)} ${subject}`, MAX_CHARS), style === 'none' ? 'nothing held' : truncate(`${child?.method ?? '?'} · −${held} samples`, MAX_CHARS)];
    const title = `${rs.map((r) => `request #${r.id} (${r.subject}, key ${r.key}): held ${r.held ?? '?'}`).join('\n')}\n${style === 'none' ? `v${from} held none of the ids: no new version` : `v${from} → v${to}, ${child?.exactness} (${child?.method})`}`;
    pending.push({ key: `r${k}`, from, to, style, requests: ids, lines, title });
  }

  // Versions no request made: exact retrains (of an approximate policy), from the version before.
  let lastRetrain = -1;
  for (const v of sorted) {
    if (v.number === 0) continue;
    if (!pending.some((e) => e.to === v.number && e.from !== e.to)) {
      const from = sorted.filter((x) => x.number < v.number).at(-1)?.number ?? v.number - 1;
      const superseded = v.exactness === 'retrain'
        ? requests.filter((r) => r.supersededSeq != null && r.childVersion != null && r.childVersion < v.number && r.childVersion > lastRetrain).map((r) => r.id)
        : [];
      const what = v.exactness === 'retrain' ? 'exact retrain' : `${v.exactness} (${v.method})`;
      const lines = [what, superseded.length ? truncate(`supersedes ${requestList(superseded)}`, MAX_CHARS) : truncate(`${v.method} · ${v.manifestCount} samples`, MAX_CHARS)];
      pending.push({ key: `v${v.number}`, from, to: v.number, style: styleOf(v), requests: superseded, lines, title: `v${from} → v${v.number}: ${what}${superseded.length ? `, superseding requests ${superseded.join(', ')}` : ''}` });
    }
    if (v.exactness === 'retrain') lastRetrain = v.number;
  }

  pending.sort((a, b) => a.to - b.to || a.from - b.from);
  const nodeLines = (v: ApiVersion) => [v.number === 0 ? `deployed · ${v.method}` : `${v.exactness} · ${v.method}`, `${v.manifestCount} samples${v.pruned ? ' · pruned' : ''}`];
  const width = (s: string) => textWidth(s, FONT);
  const forward = pending.filter((e) => e.style !== 'none');
  const loops = pending.filter((e) => e.style === 'none');
  const step = Math.ceil(Math.max(
    MIN_STEP,
    ...forward.map((e) => Math.max(...e.lines.map(width)) / Math.max(1, e.to - e.from) + 2 * R + 20),
    ...sorted.map((v) => Math.max(...nodeLines(v).map(width)) + 18),
    ...loops.map((e) => Math.max(...e.lines.map(width)) + 18),
  ));
  const pad = Math.max(step / 2, 40);
  const top = 8;
  // Room above the nodes for loops and their labels, when there are any.
  const loopSpace = loops.length ? 36 : 0;
  const cy = top + loopSpace + 2 * LINE_HEIGHT + 14;
  const index = new Map(sorted.map((v, i) => [v.number, i]));
  const xOf = (n: number) => pad + (index.get(n) ?? n) * step;

  const nodes: GraphNode[] = sorted.map((v) => ({
    number: v.number, x: xOf(v.number), y: cy, label: `v${v.number}`, lines: nodeLines(v),
    current: v.number === current, highlighted: highlight.has(v.number), exactness: v.exactness,
  }));

  const edges: GraphEdge[] = pending.map((e) => {
    const x1 = xOf(e.from);
    const x2 = xOf(e.to);
    if (e.style === 'none') {
      // A loop above the node (its top is at about cy - 44), its two label lines just above it.
      const a = R * Math.sin(Math.PI / 5);
      const b = cy - R * Math.cos(Math.PI / 5);
      const h = cy - R - 36;
      return { ...e, path: `M${x1 - a},${b} C${x1 - 30},${h} ${x1 + 30},${h} ${x1 + a},${b}`, labelX: x1, labelY: cy - 52 - LINE_HEIGHT };
    }
    const span = (index.get(e.to) ?? 0) - (index.get(e.from) ?? 0);
    if (span === 1) return { ...e, path: `M${x1 + R},${cy} L${x2 - R - 2},${cy}`, labelX: (x1 + x2) / 2, labelY: cy - LINE_HEIGHT - 10 };
    // Not between neighbours (never made by the service, which always builds on the current version): an arc below.
    const dip = cy + R + 2 * LINE_HEIGHT + 24;
    return { ...e, path: `M${x1},${cy + R} Q${(x1 + x2) / 2},${dip + 20} ${x2},${cy + R + 2}`, labelX: (x1 + x2) / 2, labelY: dip + 10 };
  });

  // Under each node: its two lines and, for the current version, a third.
  const bottom = Math.max(cy + R + 3 * LINE_HEIGHT + 10, ...edges.map((e) => e.labelY + e.lines.length * LINE_HEIGHT));
  return { width: Math.ceil(2 * pad + Math.max(0, sorted.length - 1) * step), height: Math.ceil(bottom + 4), r: R, nodes, edges };
}
