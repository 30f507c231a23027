// Jobs as the Run view shows them: progress folded into a bar, one line per job kind for its request and its
// result, and the job's server-sent events read. The shapes are the HTTP contract's (src/shared/http.ts).
import { describeSpec, type ForgetSpec } from '../../../src/data/forget/index.ts';
import { isFinal, type ApiModel, type EndStatus, type JobView, type Progress } from '../../../src/shared/http.ts';

type Fields = Record<string, unknown>;

/** How the Run view words one kind of job. */
interface JobText {
  /** What the job was asked to do, from its stored arguments ("ft, ga · forget class:3 · 2 seeds"). */
  summary(args: Fields): string;
  /** What a finished job produced ("train acc 99.5% · test acc 81.2% · 12.3 s"). */
  result(result: Fields): string;
}

const num = (r: Fields, k: string) => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? (r[k] as number) : undefined);
const pc = (r: Fields, k: string, label: string) => (num(r, k) === undefined ? undefined : `${label} ${num(r, k)!.toFixed(1)}%`);
const secs = (r: Fields) => (num(r, 'seconds') === undefined ? undefined : `${num(r, 'seconds')!.toFixed(1)} s`);
const line = (sep: string, parts: unknown[]) => parts.filter((p) => p !== undefined && p !== '').join(sep);
/** The request's forget spec as its text ("class:3"), from the structured spec the server stores. */
function forget(a: Fields): string | undefined {
  if (typeof a.forget === 'string') return `forget ${a.forget}`;
  if (!a.forget || typeof a.forget !== 'object') return undefined;
  try {
    return `forget ${describeSpec(a.forget as ForgetSpec)}`;
  } catch {
    return undefined;
  }
}

/** One entry per job kind the UI words; any other kind is shown by its name. */
const JOB_TEXT = {
  train: {
    summary: (a) => line(' ', [a.model, 'on', a.data, a.epochs !== undefined ? `${a.epochs} epochs` : undefined, a.seed !== undefined ? `seed ${a.seed}` : undefined]),
    result: (r) => line(' · ', [pc(r, 'trainAcc', 'train acc'), pc(r, 'testAcc', 'test acc'), secs(r)]),
  },
  unlearn: {
    summary: (a) => line(' · ', [a.method, forget(a)]),
    result: (r) => line(' · ', [pc(r, 'forgetAcc', 'forget acc'), pc(r, 'retainAcc', 'retain acc'), pc(r, 'testAcc', 'test acc'), secs(r)]),
  },
  compare: {
    summary: (a) => line(' · ', [
      Array.isArray(a.methods) ? a.methods.join(', ') : String(a.methods ?? 'all'),
      forget(a),
      typeof a.seeds === 'number' ? `${a.seeds} seed${a.seeds === 1 ? '' : 's'}` : undefined,
    ]),
    result: (r) => (typeof r.comparisonId === 'string' ? 'comparison stored' : ''),
  },
  bank: {
    summary: (a) => line(' · ', [a.method, forget(a), typeof a.n === 'number' ? `N = ${a.n}` : undefined]),
    result: (r) => {
      const e = fields(r.epsilon);
      const f = num(e, 'forgetScore');
      const s = num(e, 'score');
      if (f === undefined || s === undefined) return '';
      return `forget score ${f.toFixed(4)} · final ${s.toFixed(4)} at N = ${String(r.n)} · see Forgetting quality`;
    },
  },
} satisfies Record<string, JobText>;

const textOf = (kind: string): JobText | undefined => (Object.hasOwn(JOB_TEXT, kind) ? JOB_TEXT[kind as keyof typeof JOB_TEXT] : undefined);
const fields = (v: unknown): Fields => (v && typeof v === 'object' ? (v as Fields) : {});

/** What a job was asked to do, in a few words; a kind the UI does not word shows its name. */
export function jobSummary(kind: string, args: Fields): string {
  return textOf(kind)?.summary(fields(args)) ?? kind;
}

/** What a finished job produced, in a few words; empty where there is nothing to say. */
export function resultText(kind: string, result: unknown): string {
  return textOf(kind)?.result(fields(result)) ?? '';
}

/** The comparison a finished job stored, if it stored one. */
export function comparisonOf(job: Pick<JobView, 'status' | 'result'>): string | undefined {
  const id = fields(job.result).comparisonId;
  return job.status === 'done' && typeof id === 'string' ? id : undefined;
}

/** Share 0..1 of the current phase (a finished job is full, an unknown total is empty). */
export function fraction(status: string, p: Progress | null | undefined): number {
  if (status === 'done') return 1;
  if (!p || !(p.total > 0) || !Number.isFinite(p.done)) return 0;
  return Math.min(1, Math.max(0, p.done / p.total));
}

/** "salun [3/8] · 120/400 · loss 0.412" */
export function progressText(status: string, p: Progress | null | undefined): string {
  if (isFinal(status)) return status;
  if (!p) return status === 'queued' ? 'waiting for a free worker' : 'starting…';
  return line(' · ', [p.message || p.phase, p.total ? `${p.done}/${p.total}` : undefined, p.loss !== undefined && Number.isFinite(p.loss) ? `loss ${p.loss.toFixed(3)}` : undefined]);
}

/** A stored model in a picker: "train · small-cnn · fashion-mnist-mini (600) · seed 1 · 3f2a9c1e". */
export function storedModelLabel(m: Pick<ApiModel, 'id' | 'method' | 'arch' | 'dataset' | 'seed' | 'trainSize'>): string {
  const data = m.trainSize ? `${m.dataset} (${m.trainSize})` : m.dataset;
  return `${m.method} · ${m.arch} · ${data} · seed ${m.seed} · ${m.id.slice(0, 8)}`;
}

/** One server-sent event of a job, read; null for an event that cannot be read. */
export type JobEvent =
  | { type: 'progress'; progress: Progress }
  | { type: 'state'; job: JobView }
  /** The last event. Its job is absent only when its data could not be read. */
  | { type: 'end'; status: EndStatus; job?: JobView };

const parse = (data: string): Fields | undefined => {
  try {
    const v: unknown = JSON.parse(data);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : undefined;
  } catch {
    return undefined;
  }
};

const isJob = (v: Fields | undefined): v is Fields & JobView => typeof v?.id === 'number' && typeof v.status === 'string';
const isProgress = (v: Fields | undefined): v is Fields & Progress => typeof v?.done === 'number' && typeof v.total === 'number';

/**
 * Reads one event of /api/jobs/:id/events: `progress` (a Progress), `state` (a JobView) and one final event
 * named after the end status (a JobView). Bad JSON or an unknown name reads as null, except that a final
 * event still ends the job.
 */
export function readEvent(name: string, data: string): JobEvent | null {
  const d = parse(data);
  if (isFinal(name)) return isJob(d) ? { type: 'end', status: name, job: d } : { type: 'end', status: name };
  if (name === 'state') return isJob(d) ? { type: 'state', job: d } : null;
  if (name === 'progress') return isProgress(d) ? { type: 'progress', progress: d } : null;
  return null;
}
