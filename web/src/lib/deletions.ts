// The Deletions view's logic without React: request states, the request form's subject, the lineage query, and
// texts for requests and ledger entries. The version graph's layout is in ./version-graph.ts.
import { BadForgetSpec, describeSpec, parseForgetSpec, type ForgetSpec } from '../../../src/data/forget/index.ts';
import type { ApiDeletionRequest, ApiVerdict, LedgerEntry, RequestState } from '../../../src/shared/http.ts';
import { plural } from './format.ts';

export const OPEN_STATES: readonly RequestState[] = ['received', 'resolved', 'applying'];

export const isOpen = (s: RequestState) => OPEN_STATES.includes(s);
/** Whether the queue should be polled: some request has not ended. */
export const anyOpen = (rs: readonly ApiDeletionRequest[]) => rs.some((r) => isOpen(r.state));

// ——— the request form ———

export type SubjectKind = 'group' | 'class' | 'ids';

/** The subjects a request may name (the server's SUBJECT_KINDS), with what the form's one text field takes. */
export const SUBJECT_FORMS: { kind: SubjectKind; label: string; hint: string; placeholder: string }[] = [
  { kind: 'group', label: "an owner's samples (groups)", hint: 'group ids, comma-separated', placeholder: 'u17,u42' },
  { kind: 'class', label: 'whole classes', hint: 'class numbers, comma-separated', placeholder: '3' },
  { kind: 'ids', label: 'sample ids', hint: 'train sample ids, separated by commas or spaces', placeholder: '12, 40, 41' },
];

/**
 * The `forget` of POST /api/deletions for the form's kind and text: the CLI text for groups and classes (checked by
 * the server's own parser), the JSON form for ids (whose text form names a file, which the server never reads).
 */
export function subjectBody(kind: SubjectKind, text: string): { forget: string | ForgetSpec; spec: string } | { error: string } {
  const t = text.trim();
  if (!t) return { error: kind === 'ids' ? 'give at least one sample id' : kind === 'group' ? 'give at least one group id' : 'give at least one class' };
  if (kind === 'ids') {
    const parts = t.split(/[\s,]+/).filter(Boolean);
    const bad = parts.find((p) => !/^\d{1,10}$/.test(p));
    if (bad !== undefined) return { error: `"${bad}" is not a sample id (a non-negative integer)` };
    const ids = [...new Set(parts.map(Number))];
    const spec: ForgetSpec = { kind: 'ids', ids };
    return { forget: spec, spec: ids.length <= 6 ? `ids ${ids.join(', ')}` : `${ids.length} ids` };
  }
  const list = t.split(',').map((x) => x.trim()).filter(Boolean).join(',');
  const cli = `${kind}:${list}`;
  try {
    parseForgetSpec(cli);
  } catch (e) {
    return { error: e instanceof BadForgetSpec ? e.reason : (e as Error).message };
  }
  return { forget: cli, spec: cli };
}

/** A fresh idempotency key: a random UUID (crypto.randomUUID needs a secure context; the fallback does not). */
export function randomKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ——— lineage ———

export type LineageKind = 'auto' | 'sample' | 'group';

/** What GET /api/lineage asks: `auto` reads digits as a sample id and anything else as a group (owner) id. */
export function lineageQuery(text: string, kind: LineageKind): { sample: number } | { group: string } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'type a sample id or a group id' };
  const asSample = kind === 'sample' || (kind === 'auto' && /^\d+$/.test(t));
  if (asSample) return /^\d{1,10}$/.test(t) ? { sample: Number(t) } : { error: `"${t}" is not a sample id (a non-negative integer)` };
  return { group: t };
}

// ——— requests and ledger entries as text ———

/** "v0 → v1"; "v2 (unchanged)" when the version held none of the ids; "—" before it is applied. */
export function versionEdge(r: Pick<ApiDeletionRequest, 'parentVersion' | 'childVersion'>): string {
  if (r.parentVersion == null) return '—';
  if (r.childVersion == null || r.childVersion === r.parentVersion) return r.childVersion == null ? `v${r.parentVersion} → …` : `v${r.parentVersion} (unchanged)`;
  return `v${r.parentVersion} → v${r.childVersion}`;
}

/** "13 of 13": how many of the resolved ids the version still held. */
export function heldText(r: Pick<ApiDeletionRequest, 'held' | 'ids'>): string {
  if (r.ids == null) return '—';
  return r.held == null ? `? of ${r.ids.count}` : `${r.held} of ${r.ids.count}`;
}

interface VersionRef {
  version: number;
  model?: string;
}

const refOf = (v: unknown): VersionRef | undefined => (v && typeof v === 'object' && typeof (v as VersionRef).version === 'number' ? (v as VersionRef) : undefined);

/** A ledger entry's subject ("group:u17"), version edge ("v0 → v1") and one-line meaning. */
export function entryText(e: LedgerEntry): { subject: string; edge: string; what: string } {
  let subject = '—';
  try {
    if (e.subject && typeof e.subject === 'object') subject = describeSpec(e.subject as ForgetSpec);
  } catch {
    subject = JSON.stringify(e.subject);
  }
  const p = refOf(e.parent);
  const c = refOf(e.child);
  const edge = !p || !c ? '—' : p.version === c.version ? `v${p.version} (unchanged)` : `v${p.version} → v${c.version}`;
  const held = typeof e.held === 'number' ? e.held : undefined;
  const what = e.type === 'retrain'
    ? `exact retrain superseding entry ${String(e.supersedes ?? '?')}`
    : e.exactness === 'nothing-held' ? 'nothing held: no new version'
    : `${e.exactness} deletion${held !== undefined ? ` of ${plural(held, 'sample')}` : ''}${typeof e.method === 'string' ? ` by ${e.method}` : ''}`;
  return { subject, edge, what };
}

/** The result line of GET /api/ledger/verify. */
export function verdictText(v: ApiVerdict): string {
  const c = v.checked;
  const pruned = c.pruned ? ` (${c.pruned} pruned: meta and manifest only)` : '';
  if (v.ok) return `Ledger verified: ${v.size} ${v.size === 1 ? 'entry' : 'entries'} signed and consistent; checked ${plural(c.versions, 'version')}${pruned}, ${plural(c.requests, 'request')}, ${plural(c.exactVersions, 'exact version')}.`;
  return `Verification failed${v.seq !== undefined ? ` at entry ${v.seq}` : ''}: ${v.problem ?? 'unknown problem'}`;
}

/** An evidence value as lines of text: lists one item a line, objects as "key: value", numbers as they are. */
export function evidenceLines(evidence: unknown): { key: string; value: string | string[] }[] {
  if (!evidence || typeof evidence !== 'object' || Array.isArray(evidence)) return evidence === undefined ? [] : [{ key: 'evidence', value: JSON.stringify(evidence) }];
  return Object.entries(evidence as Record<string, unknown>).map(([key, v]) => ({
    key,
    value: Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v),
  }));
}
