// What every task receives: where to record, how to report progress, how to be cancelled.
import type { OnProgress } from '../train/progress.ts';
import type { Store } from '../store/store.ts';

export interface TaskContext {
  store?: Store;
  signal?: AbortSignal;
  onProgress?: OnProgress;
}
