// Output conventions: with --json one JSON document on stdout; otherwise text. Progress always on stderr.
import { Store } from '../store/store.ts';
import { terminalProgress } from './progress.ts';
import type { TaskContext } from '../jobs/task.ts';

export interface GlobalOpts {
  json?: boolean;
}

export function emit(opts: GlobalOpts, result: unknown, text: () => string) {
  process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : text() + '\n');
}

/** A task context for one CLI command: the store, a terminal progress bar, and Ctrl-C as cancel. */
export async function withContext<T>(fn: (ctx: Pick<TaskContext, 'store' | 'signal' | 'onProgress'>) => Promise<T>): Promise<T> {
  const store = new Store();
  const progress = terminalProgress();
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await fn({ store, signal: abort.signal, onProgress: progress });
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    store.close();
  }
}

/** Runs `fn` with the store open, closing it after. */
export function withStore<T>(fn: (store: Store) => T): T {
  const store = new Store();
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : `${v.toFixed(2)}%`);
