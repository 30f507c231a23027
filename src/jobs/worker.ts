// A job's worker thread. It loads the task map and the backend as soon as it starts (a spare worker is warm
// before its job arrives), then runs one job on its own store over the same SQLite file (WAL).
import { parentPort } from 'node:worker_threads';
import { Store } from '../store/store.ts';
import { CancelledError } from '../train/progress.ts';
import { storeModelDir } from './edges.ts';
import { throttle, type FromWorker, type ToWorker, type WorkerInput } from './worker-protocol.ts';

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const abort = new AbortController();

const loading = (async () => {
  const [tasks, backend] = await Promise.all([import('./tasks.ts'), import('../engine/backend.ts')]);
  await backend.initBackend();
  return tasks;
})();
// A loading error is reported when a job runs, not here: an idle spare has no one to tell.
loading.then(() => send({ type: 'ready' }), () => send({ type: 'ready' }));

async function runJob(input: WorkerInput) {
  let store: Store | undefined;
  try {
    const { runTask, keepOf } = await loading;
    store = new Store(input.storePath);
    const result = await runTask(input.kind, input.args as never, {
      out: input.out,
      modelDir: storeModelDir(store),
      store,
      signal: abort.signal,
      onProgress: throttle((progress) => send({ type: 'progress', progress })),
    });
    send({ type: 'done', result: keepOf(input.kind, result) });
  } catch (e) {
    const cancelled = e instanceof CancelledError || abort.signal.aborted;
    const message = (e as Error)?.message ?? String(e);
    send({ type: 'failed', error: message.split('\n')[0], cancelled });
  } finally {
    store?.close();
    port.close();
  }
}

let started = false;
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') abort.abort();
  else if (m.type === 'start' && !started) {
    started = true;
    void runJob(m.input);
  }
});
