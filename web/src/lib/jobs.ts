// Jobs as the Run view shows them: progress events folded into a bar, and a one-line summary of the request.

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface ProgressEvent {
  phase?: string;
  done?: number;
  total?: number;
  loss?: number;
  message?: string;
}

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  args: Record<string, unknown>;
  progress?: ProgressEvent;
  result?: unknown;
  error?: string | null;
  created?: string;
}

/** What a finished job produced, in a few words ("train 99.5% · test 81.2% · 12.3 s"). */
export function resultText(kind: string, result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  const n = (k: string) => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? (r[k] as number) : undefined);
  const pc = (k: string, label: string) => (n(k) === undefined ? undefined : `${label} ${n(k)!.toFixed(1)}%`);
  const secs = n('seconds') === undefined ? undefined : `${n('seconds')!.toFixed(1)} s`;
  switch (kind) {
    case 'train':
      return [pc('trainAcc', 'train acc'), pc('testAcc', 'test acc'), secs].filter(Boolean).join(' · ');
    case 'unlearn':
      return [pc('forgetAcc', 'forget acc'), pc('retainAcc', 'retain acc'), pc('testAcc', 'test acc'), secs].filter(Boolean).join(' · ');
    case 'compare':
      return typeof r.comparisonId === 'string' ? 'comparison stored' : '';
    default:
      return '';
  }
}

export const FINAL: readonly JobStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];
export const isFinal = (s: string) => (FINAL as readonly string[]).includes(s);

/** Share 0..1 of the current phase (a finished job is full, an unknown total is empty). */
export function fraction(status: string, p: ProgressEvent | undefined): number {
  if (status === 'done') return 1;
  if (!p || !p.total || !(p.total > 0) || p.done === undefined) return 0;
  return Math.min(1, Math.max(0, p.done / p.total));
}

/** "salun [3/8] · 120/400 · loss 0.412" */
export function progressText(status: string, p: ProgressEvent | undefined): string {
  if (isFinal(status)) return status;
  if (!p) return status === 'queued' ? 'waiting for a free worker' : 'starting…';
  const parts = [p.message || p.phase, p.total ? `${p.done ?? 0}/${p.total}` : undefined, p.loss !== undefined && Number.isFinite(p.loss) ? `loss ${p.loss.toFixed(3)}` : undefined];
  return parts.filter(Boolean).join(' · ');
}

/** What a job was asked to do, in a few words. */
export function jobSummary(kind: string, args: Record<string, unknown>): string {
  const a = args ?? {};
  const forget = a.forgetText ?? (typeof a.forget === 'string' ? a.forget : undefined);
  switch (kind) {
    case 'train':
      return [a.model, 'on', a.data, a.epochs !== undefined ? `${a.epochs} epochs` : undefined, a.seed !== undefined ? `seed ${a.seed}` : undefined].filter(Boolean).join(' ');
    case 'unlearn':
      return [a.method, forget ? `forget ${forget}` : undefined].filter(Boolean).join(' · ');
    case 'compare': {
      const ms = Array.isArray(a.methods) ? a.methods.join(', ') : String(a.methods ?? 'all');
      return [`${ms}`, forget ? `forget ${forget}` : undefined, a.seeds !== undefined ? `${a.seeds} seed${a.seeds === 1 ? '' : 's'}` : undefined].filter(Boolean).join(' · ');
    }
    default:
      return kind;
  }
}

/** A stored model in a picker: "train · small-cnn · fashion-mnist-mini · seed 1 · 3f2a9c1e". */
export function storedModelLabel(m: { id: string; method: string; arch: string; dataset: string; seed: number; trainSize?: number | null }): string {
  let data = m.trainSize ? `${m.dataset} (${m.trainSize})` : m.dataset;
  try {
    const d = JSON.parse(m.dataset) as { name?: string; trainSize?: number | null };
    if (d && typeof d.name === 'string') data = d.trainSize ? `${d.name} (${d.trainSize})` : d.name;
  } catch {
    /* a plain name */
  }
  return `${m.method} · ${m.arch} · ${data} · seed ${m.seed} · ${m.id.slice(0, 8)}`;
}

/**
 * Reads one server-sent event of a job. The server sends `progress` (a progress object), `state` (the job
 * row, on a status change) and one final event named after the end status (the job row). Unnamed events
 * carrying the same shapes read the same.
 */
export function readEvent(type: string, data: string): { status?: JobStatus; progress?: ProgressEvent; final?: JobStatus; error?: string } {
  let d: Record<string, unknown> = {};
  try {
    d = JSON.parse(data) as Record<string, unknown>;
  } catch {
    /* a bare word */
  }
  const status = typeof d.status === 'string' ? d.status : FINAL.includes(type as JobStatus) ? type : undefined;
  if (status && isFinal(status)) {
    const err = d.error;
    return { final: status as JobStatus, error: typeof err === 'string' ? err : (err as { message?: string } | null | undefined)?.message };
  }
  const p = (d.progress && typeof d.progress === 'object' ? d.progress : type === 'progress' || !status ? d : undefined) as ProgressEvent | undefined;
  const out: { status?: JobStatus; progress?: ProgressEvent } = {};
  if (status) out.status = status as JobStatus;
  if (p && (typeof p.done === 'number' || typeof p.phase === 'string' || typeof p.message === 'string')) out.progress = p;
  return out;
}
