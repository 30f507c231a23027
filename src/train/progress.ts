// Progress events shared by training, unlearning and evaluation.

export interface Progress {
  /** What is running, e.g. 'train', 'salun', 'eval'. */
  phase: string;
  /** Work done and total, in the phase's own unit (steps). */
  done: number;
  total: number;
  /** Optional details: epoch, loss. */
  epoch?: number;
  epochs?: number;
  loss?: number;
  message?: string;
}
export type OnProgress = (p: Progress) => void;

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
