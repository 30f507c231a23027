// Progress events shared by training, unlearning and evaluation.

export type { OnProgress, Progress } from '../shared/http.ts';

export class CancelledError extends Error {
  constructor(what = 'work') {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

/** Throws when cancelled; yields to the event loop so that a pending abort can arrive. */
export async function checkpointAbort(signal: AbortSignal | undefined, what?: string): Promise<void> {
  await new Promise<void>((r) => setImmediate(r));
  if (signal?.aborted) throw new CancelledError(what);
}
