// Trial workers: lethe tune measures a rung's trials in parallel, one worker thread per core, each holding its own
// copy of the tuning original and the data. A cancel terminates them at once (a trial is seconds; nothing is lost,
// since every finished trial is stored before the next is sent).
import type { Worker } from 'node:worker_threads';
import { spawnTsWorker } from '../jobs/ts-worker.ts';
import type { TrialValues } from '../shared/http.ts';
import { CancelledError } from '../train/progress.ts';
import type { TrialSetting } from './trial.ts';

export interface TrialJob {
  id: number;
  method: string;
  params: Record<string, unknown>;
  seed: number;
}
export type TrialReply = { id: number; values: TrialValues } | { id: number; error: string };

export class TrialPool {
  private readonly workers: Worker[];

  constructor(readonly size: number, setting: TrialSetting) {
    this.workers = Array.from({ length: size }, () => spawnTsWorker(new URL('./trial-worker.ts', import.meta.url).href, setting));
  }

  /**
   * Measures `jobs` on the workers, each worker taking the next job when it is free; `onDone` hears each result as
   * it arrives (the caller stores it). Rejects with the first trial's error, or CancelledError when `signal` aborts.
   */
  run(jobs: TrialJob[], onDone: (job: TrialJob, values: TrialValues) => void, signal?: AbortSignal): Promise<TrialValues[]> {
    const out: TrialValues[] = new Array(jobs.length);
    let next = 0;
    let left = jobs.length;
    return new Promise((resolve, reject) => {
      if (!left) return resolve(out);
      const cleanups: (() => void)[] = [];
      const finish = (e?: Error) => {
        cleanups.forEach((c) => c());
        if (e) reject(e);
        else resolve(out);
      };
      const onAbort = () => {
        this.close();
        finish(new CancelledError('the tuning'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal?.removeEventListener('abort', onAbort));
      const give = (w: Worker) => {
        if (next < jobs.length) w.postMessage(jobs[next++]);
      };
      for (const w of this.workers) {
        const onMessage = (m: TrialReply) => {
          const k = jobs.findIndex((j) => j.id === m.id);
          if ('error' in m) return finish(new Error(`${jobs[k].method} trial (seed ${jobs[k].seed}): ${m.error}`));
          out[k] = m.values;
          onDone(jobs[k], m.values);
          if (--left === 0) return finish();
          give(w);
        };
        const onError = (e: Error) => finish(new Error(`a trial worker failed: ${e.message}`));
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
