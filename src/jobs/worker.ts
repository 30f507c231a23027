// A job's worker thread. It loads the task modules and the backend as soon as it starts (a spare worker is
// warm before its job arrives), then runs one job on its own store over the same SQLite file (WAL).
import { parentPort } from 'node:worker_threads';
import { Store } from '../store/store.ts';
import { CancelledError } from '../train/progress.ts';
import type { TaskContext } from './context.ts';
import type { TaskArgs } from './runner-args.ts';
import { throttle, type FromWorker, type ToWorker, type WorkerInput } from './worker-protocol.ts';

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const abort = new AbortController();

const loading = (async () => {
  const [train, unlearn, compare, evaluate, backend] = await Promise.all([
    import('./train-task.ts'), import('./unlearn-task.ts'), import('./compare-task.ts'), import('./eval-task.ts'), import('../engine/backend.ts'),
  ]);
  await backend.initBackend();
  return { train, unlearn, compare, evaluate };
})();
// A loading error is reported when a job runs, not here: an idle spare has no one to tell.
loading.then(() => send({ type: 'ready' }), () => send({ type: 'ready' }));

async function run(task: TaskArgs, ctx: TaskContext): Promise<unknown> {
  const m = await loading;
  switch (task.kind) {
    case 'train':
      return m.train.trainTask(task.args, ctx);
    case 'unlearn':
      return m.unlearn.unlearnTask(task.args, ctx);
    case 'compare': {
      const c = await m.compare.compareTask(task.args, ctx);
      // The comparison itself is in the store; the job keeps only its id and table.
      return { comparisonId: c.id, forget: c.forget, forgetCount: c.forgetCount, methods: c.methods, seeds: c.seeds, table: c.table };
    }
    case 'eval':
      return m.evaluate.evalTask(task.args, ctx);
  }
}

async function runJob(input: WorkerInput) {
  let store: Store | undefined;
  try {
    store = new Store(input.storePath);
    const result = await run(input.task, {
      store,
      signal: abort.signal,
      onProgress: throttle((progress) => send({ type: 'progress', progress })),
    });
    send({ type: 'done', result });
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
