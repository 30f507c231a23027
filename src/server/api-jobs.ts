// Jobs over HTTP: submit (validated before any work), list, inspect, follow as server-sent events, cancel.
import { Hono, type Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { isFinal, JobRequestSchema, type JobEvent, type JobRunner } from '../jobs/runner.ts';
import { TaskArgsError } from '../jobs/task.ts';
import type { CancelResult } from '../shared/http.ts';
import { ApiError, notFound, parseOr400 } from './errors.ts';

const HEARTBEAT_MS = 15_000;

function jobId(c: Context): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw notFound(`job "${raw}"`);
  return Number(raw);
}

/** Reads a JSON body; only application/json is accepted, which also keeps other web pages from posting here. */
export async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
  }
  try {
    return await c.req.json();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, 'bad_json', 'the body is not valid JSON');
  }
}

function follow(c: Context, runner: JobRunner, id: number) {
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    let chain = Promise.resolve();
    const write = (event: string, data: unknown) => {
      chain = chain.then(() => stream.writeSSE({ event, data: JSON.stringify(data) })).catch(() => undefined);
    };
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    // Subscribe before reading the snapshot: no event can fall between the two.
    const off = runner.subscribe(id, (e: JobEvent) => {
      if (e.type === 'progress') write('progress', e.progress);
      else if (e.type === 'state') write('state', e.job);
      else {
        write(e.job.status, e.job);
        void chain.then(finish);
      }
    });
    const heartbeat = setInterval(() => {
      chain = chain.then(() => stream.write(': ping\n\n')).then(() => undefined, () => undefined);
    }, HEARTBEAT_MS);
    stream.onAbort(() => finish());
    const job = runner.get(id)!;
    write('state', job);
    if (isFinal(job.status)) {
      write(job.status, job);
      void chain.then(finish);
    }
    await finished;
    clearInterval(heartbeat);
    off();
    await chain;
  });
}

export function jobRoutes(runner: JobRunner) {
  const app = new Hono();
  app.post('/', async (c) => {
    const req = parseOr400(JobRequestSchema, await jsonBody(c));
    try {
      return c.json(runner.submit(req), 202);
    } catch (e) {
      if (e instanceof TaskArgsError) throw new ApiError(400, e.code, e.message);
      throw e;
    }
  });
  app.get('/', (c) => c.json(runner.list()));
  app.get('/:id', (c) => {
    const job = runner.get(jobId(c));
    if (!job) throw notFound(`job ${c.req.param('id')}`);
    return c.json(job);
  });
  app.get('/:id/events', (c) => {
    const id = jobId(c);
    if (!runner.get(id)) throw notFound(`job ${id}`);
    return follow(c, runner, id);
  });
  app.delete('/:id', (c) => {
    const id = jobId(c);
    const r = runner.cancel(id);
    if (!r) throw notFound(`job ${id}`);
    if ('already' in r) throw new ApiError(409, 'conflict', `job ${id} has already ended (${r.status})`);
    return c.json({ id, status: r.status } satisfies CancelResult, r.status === 'cancelled' ? 200 : 202);
  });
  return app;
}
