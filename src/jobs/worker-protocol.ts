// Messages between the job runner (main thread) and a job's worker thread.
import type { Progress } from '../shared/http.ts';
import type { TaskKind } from './tasks.ts';

export interface WorkerInput {
  jobId: number;
  storePath: string;
  kind: TaskKind;
  /** The arguments as validated at submission. */
  args: unknown;
  /** The job's output folder. */
  out: string;
}

/** A worker runs exactly one job: 'start' once, then perhaps 'cancel'. */
export type ToWorker = { type: 'start'; input: WorkerInput } | { type: 'cancel' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: string; cancelled: boolean };

/** At most one progress message per interval, but never drops a phase change or the last step of a phase. */
export function throttle(post: (p: Progress) => void, intervalMs = 100): (p: Progress) => void {
  let last = 0;
  let phase: string | undefined;
  return (p) => {
    const t = Date.now();
    if (t - last >= intervalMs || p.phase !== phase || p.done >= p.total) {
      last = t;
      phase = p.phase;
      post(p);
    }
  };
}
