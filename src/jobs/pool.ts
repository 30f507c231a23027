// Worker threads for many independent measurements (lethe tune's trials, a model bank's members): one thread per
// core, each loading its setting once (the model, the data), then taking the next job whenever it is free. A cancel
// terminates them at once; a caller stores each result as it arrives, so nothing finished is lost.
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { CancelledError } from '../train/progress.ts';
import { spawnTsWorker } from './ts-worker.ts';

type Reply<R> = { id: number; value: R } | { id: number; error: string };

export class WorkerPool<J extends { id: number }, R> {
  private readonly workers: Worker[];

  private readonly describe: (job: J) => string;
  private readonly what: string;

  /**
   * `module` is a worker module that calls `serveJobs`; `setting` reaches its `init`. `describe` names a job in its
   * error, `what` the whole in a cancel ("the tuning was cancelled").
   */
  constructor(o: { size: number; module: string; setting: unknown; describe: (job: J) => string; what: string }) {
    this.describe = o.describe;
    this.what = o.what;
    this.workers = Array.from({ length: o.size }, () => spawnTsWorker(o.module, o.setting));
  }

  /**
   * Runs `jobs` on the workers; `onDone` hears each result as it arrives. Rejects with the first job's error, or
   * with CancelledError when `signal` aborts (the workers are then terminated).
   */
  run(jobs: J[], onDone: (job: J, value: R) => void, signal?: AbortSignal): Promise<R[]> {
    const out: R[] = new Array(jobs.length);
    let next = 0;
    let left = jobs.length;
    return new Promise((resolve, reject) => {
      if (!left) return resolve(out);
      const cleanups: (() => void)[] = [];
      let settled = false;
      const finish = (e?: Error) => {
        if (settled) return;
        settled = true;
        cleanups.forEach((c) => c());
        if (e) reject(e);
        else resolve(out);
      };
      const onAbort = () => {
        this.close();
        finish(new CancelledError(this.what));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal?.removeEventListener('abort', onAbort));
      const give = (w: Worker) => {
        if (next < jobs.length) w.postMessage(jobs[next++]);
      };
      for (const w of this.workers) {
        const onMessage = (m: Reply<R>) => {
          const k = jobs.findIndex((j) => j.id === m.id);
          if ('error' in m) return finish(new Error(`${this.describe(jobs[k])}: ${m.error}`));
          out[k] = m.value;
          onDone(jobs[k], m.value);
          if (--left === 0) return finish();
          give(w);
        };
        const onError = (e: Error) => finish(new Error(`a worker thread failed: ${e.message}`));
        w.on('message', onMessage);
        w.on('error', onError);
        cleanups.push(() => { w.off('message', onMessage); w.off('error', onError); });
        give(w);
      }
    });
  }

  close() {
    for (const w of this.workers) void w.terminate();
  }
}

/** The worker side: `init` once with the pool's setting, then `handle` each job, one at a time, in order. */
export function serveJobs<S, C, J extends { id: number }, R>(init: (setting: S) => Promise<C>, handle: (ctx: C, job: J) => Promise<R>) {
  const port = parentPort!;
  const ready = init(workerData as S);
  let queue: Promise<unknown> = ready;
  port.on('message', (job: J) => {
    queue = queue.then(() => ready)
      .then((ctx) => handle(ctx, job))
      .then((value) => port.postMessage({ id: job.id, value } satisfies Reply<R>), (e) => port.postMessage({ id: job.id, error: ((e as Error)?.message ?? String(e)).split('\n')[0] } satisfies Reply<R>));
  });
}
