// The two edges that hand untrusted arguments to tasks: the CLI (models are checkpoint folders) and the job
// runner behind the HTTP API (models are store ids; no file path is ever taken from a request).
import { dirname, join, resolve } from 'node:path';
import { readMeta } from '../models/checkpoint.ts';
import type { Store } from '../store/store.ts';
import { TaskArgsError, type TaskEnv } from './task.ts';

export const cliEnv: TaskEnv = {
  edge: 'cli',
  meta: (dir) => readMeta(dir),
};

/** The store row of a model id, or the error a request gets for it. */
function storedModel(store: Store, id: string) {
  const row = store.getModel(id);
  if (!row) throw new TaskArgsError(`no model "${id}" in the store (see GET /api/models)`, 'unknown_model');
  return row;
}

export function httpEnv(store: Store): TaskEnv {
  return {
    edge: 'http',
    meta(id) {
      const row = storedModel(store, id);
      try {
        return readMeta(row.path);
      } catch (e) {
        throw new TaskArgsError(`model "${id}": ${(e as Error).message}`, 'unknown_model');
      }
    },
  };
}

/** A job's model references resolve to checkpoint folders when it starts. */
export const storeModelDir = (store: Store) => (id: string) => {
  const row = store.getModel(id);
  if (!row) throw new Error(`model ${id} is no longer in the store`);
  return row.path;
};

/** <home>/runs/<job id>, home being the folder of the store. */
export function runDir(store: Store, id: number): string {
  return join(dirname(resolve(store.path)), 'runs', String(id));
}
