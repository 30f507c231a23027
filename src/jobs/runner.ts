// The job runner: jobs live in SQLite, each one runs in its own worker thread so the server keeps answering.
// At most `maxJobs` run at once; the rest wait in a queue. A job that a previous process left queued or
// running is marked 'interrupted' at start: never lost, never left "running". Loading tfjs and the tasks
// takes a worker seconds, so one spare worker is kept loaded and a job starts at once.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { isFinal, type EndStatus, type JobStatus, type JobView, type Progress } from '../shared/http.ts';
import type { Store } from '../store/store.ts';
import { httpEnv, runDir } from './edges.ts';
import { parseTaskArgs, TASK_KINDS, type TaskKind } from './tasks.ts';
import { spawnTsWorker } from './ts-worker.ts';
import type { FromWorker, ToWorker, WorkerInput } from './worker-protocol.ts';

export { isFinal };
export type { EndStatus, JobStatus, JobView };

/** POST /api/jobs: a task kind and its arguments (validated by the task's own schema). */
export const JobRequestSchema = z.object({ kind: z.enum(TASK_KINDS), args: z.record(z.string(), z.unknown()).default({}) }).strict();
export type JobRequest = z.infer<typeof JobRequestSchema>;

/** What subscribers hear: a snapshot when the status changes, progress, and one final event. */
export type JobEvent =
  | { type: 'state'; job: JobView }
  | { type: 'progress'; progress: Progress }
  | { type: 'end'; job: JobView };

export interface RunnerOptions {
  store: Store;
  /** Jobs running at once (default: one per core). */
  maxJobs?: number;
  /** How long a cancelled job may take to stop by itself before its worker is terminated. */
  cancelGraceMs?: number;
  /** Keep one spare worker with the modules loaded, so that a job starts at once (default true). */
  prewarm?: boolean;
  /** Accept and queue jobs but start none until `resume()` (maintenance; tests of what is accepted). */
  paused?: boolean;
}

interface Running {
  worker: Worker;
  cancelRequested: boolean;
  ended: boolean;
  timer?: NodeJS.Timeout;
}

const spawn = () => spawnTsWorker(new URL('./worker.ts', import.meta.url).href);

export class JobRunner {
  readonly store: Store;
  readonly maxJobs: number;
  /** How many jobs a previous process had left queued or running. */
  readonly interruptedAtStart: number;
  private readonly cancelGraceMs: number;
  private readonly queue: number[] = [];
  private readonly running = new Map<number, Running>();
  private readonly listeners = new Map<number, Set<(e: JobEvent) => void>>();
  private closed = false;
  private readonly prewarm: boolean;
  private spare?: { worker: Worker; ready: Promise<void>; forget: () => void };

  private paused: boolean;

  constructor({ store, maxJobs = availableParallelism(), cancelGraceMs = 5000, prewarm = true, paused = false }: RunnerOptions) {
    if (!Number.isInteger(maxJobs) || maxJobs < 1) throw new Error(`max jobs must be an integer ≥ 1, got ${maxJobs}`);
    this.store = store;
    this.maxJobs = maxJobs;
    this.cancelGraceMs = cancelGraceMs;
    this.prewarm = prewarm;
    this.paused = paused;
    this.interruptedAtStart = store.interruptJobs();
    store.interruptDeadRuns();
    this.warmUp();
  }

  /** Validates (throws TaskArgsError before any work), records and queues a job. */
  submit(req: JobRequest): JobView {
    if (this.closed) throw new Error('the job runner is shut down');
    const args = parseTaskArgs(req.kind, req.args, httpEnv(this.store));
    const id = this.store.createJob(req.kind, args);
    this.queue.push(id);
    this.pump();
    return this.store.getJob(id)!;
  }

  get(id: number): JobView | undefined {
    return this.store.getJob(id);
  }

  list(): JobView[] {
    return this.store.listJobs();
  }

  get activeCount(): number {
    return this.running.size;
  }

  /** Cancels a job: a queued one at once, a running one by aborting its worker. */
  cancel(id: number): { status: 'cancelled' | 'cancelling' } | { status: EndStatus; already: true } | undefined {
    const job = this.store.getJob(id);
    if (!job) return undefined;
    const q = this.queue.indexOf(id);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.end(id, 'cancelled', { error: 'cancelled before it started' });
      return { status: 'cancelled' };
    }
    const r = this.running.get(id);
    if (r && !r.ended) {
      if (!r.cancelRequested) {
        r.cancelRequested = true;
        r.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
        // A task that does not check its signal for a while is stopped the hard way.
        r.timer = setTimeout(() => r.ended || this.end(id, 'cancelled', { error: 'cancelled (worker terminated)' }), this.cancelGraceMs);
      }
      return { status: 'cancelling' };
    }
    return isFinal(job.status) ? { status: job.status, already: true } : undefined;
  }

  /** Listens to one job's events; returns the unsubscribe function. */
  subscribe(id: number, fn: (e: JobEvent) => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  /** Resolves with the job once it has ended. */
  wait(id: number): Promise<JobView> {
    return new Promise((resolve, reject) => {
      const off = this.subscribe(id, (e) => {
        if (e.type === 'end') {
          off();
          resolve(e.job);
        }
      });
      const job = this.store.getJob(id);
      if (!job) {
        off();
        reject(new Error(`no job ${id}`));
      } else if (isFinal(job.status)) {
        off();
        resolve(job);
      }
    });
  }

  /** Stops every worker; running and queued jobs end 'interrupted'. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const workers: Worker[] = [];
    for (const [id, r] of this.running) {
      workers.push(r.worker);
      this.end(id, 'interrupted', { error: 'the server stopped before the job finished' }, false);
    }
    for (const id of this.queue.splice(0)) this.end(id, 'interrupted', { error: 'the server stopped before the job started' }, false);
    if (this.spare) workers.push(this.spare.worker);
    this.spare = undefined;
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
  }

  private emit(id: number, e: JobEvent) {
    for (const fn of [...(this.listeners.get(id) ?? [])]) {
      try {
        fn(e);
      } catch {
        // A broken listener (a closed connection) must not stop the job.
      }
    }
  }

  /** Starts a spare worker (loading takes seconds); it does not keep the process alive while idle. */
  private warmUp() {
    if (!this.prewarm || this.closed || this.spare) return;
    const w = spawn();
    w.unref();
    const forget = () => {
      if (this.spare?.worker === w) this.spare = undefined;
    };
    w.once('error', forget);
    w.once('exit', forget);
    const ready = new Promise<void>((r) => w.on('message', (m: FromWorker) => m.type === 'ready' && r()));
    this.spare = { worker: w, ready, forget };
  }

  /** The spare (or a new worker); the next spare starts loading once this one has loaded, so two never load at once. */
  private takeWorker(): Worker {
    const spare = this.spare;
    this.spare = undefined;
    const w = spare?.worker ?? spawn();
    if (spare) {
      w.off('error', spare.forget);
      w.off('exit', spare.forget);
    }
    w.ref();
    if (this.prewarm) {
      if (spare) void spare.ready.then(() => this.warmUp());
      else w.on('message', (m: FromWorker) => m.type === 'ready' && this.warmUp());
    }
    return w;
  }

  /** Starts the queued jobs of a paused runner. */
  resume() {
    this.paused = false;
    this.pump();
  }

  private pump() {
    while (!this.closed && !this.paused && this.running.size < this.maxJobs && this.queue.length) this.start(this.queue.shift()!);
  }

  private start(id: number) {
    const job = this.store.getJob(id)!;
    const input: WorkerInput = { jobId: id, storePath: this.store.path, kind: job.kind as TaskKind, args: job.args, out: runDir(this.store, id) };
    this.store.startJob(id);
    const worker = this.takeWorker();
    worker.postMessage({ type: 'start', input } satisfies ToWorker);
    const r: Running = { worker, cancelRequested: false, ended: false };
    this.running.set(id, r);
    // Whatever the worker does after the job has ended (its exit, a late message) is ignored.
    const failed = () => (r.cancelRequested ? 'cancelled' : 'failed');
    worker.on('message', (m: FromWorker) => {
      if (r.ended) return;
      if (m.type === 'ready') return;
      if (m.type === 'progress') {
        this.store.setJobProgress(id, m.progress);
        this.emit(id, { type: 'progress', progress: m.progress });
      } else if (m.type === 'done') {
        this.end(id, 'done', { result: m.result });
      } else {
        this.end(id, m.cancelled ? 'cancelled' : failed(), { error: m.error });
      }
    });
    worker.on('error', (e) => r.ended || this.end(id, failed(), { error: firstLine(e) }));
    worker.on('exit', (code) => r.ended || this.end(id, failed(), { error: `the worker exited (code ${code}) before the job finished` }));
    this.emit(id, { type: 'state', job: this.store.getJob(id)! });
  }

  /** Records how a job ended (once), stops its worker, tells subscribers, and starts the next job. */
  private end(id: number, status: EndStatus, extra: { result?: unknown; error?: string }, next = true) {
    const r = this.running.get(id);
    if (r) {
      r.ended = true;
      clearTimeout(r.timer);
      this.running.delete(id);
      void r.worker.terminate().catch(() => undefined);
    }
    this.store.finishJob(id, status, extra);
    const job = this.store.getJob(id)!;
    this.emit(id, { type: 'end', job });
    this.listeners.delete(id);
    if (next) this.pump();
  }
}

function firstLine(e: unknown): string {
  return ((e as Error)?.message ?? String(e)).split('\n')[0];
}
