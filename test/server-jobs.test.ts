// Jobs end to end: a real server on a free port, a real SQLite file, real worker threads.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../src/jobs/runner.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import { Store } from '../src/store/store.ts';

interface Sse {
  event: string;
  data: any;
}

let home: string;
let server: RunningServer;

const api = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
const submit = async (kind: string, args: Record<string, unknown>) => {
  const r = await api('/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, args }) });
  const body = await r.json();
  return { status: r.status, body };
};

/** Reads a job's event stream until its final event (or `until` says stop); returns the events in order. */
async function events(id: number, until?: (e: Sse) => boolean | Promise<boolean>): Promise<Sse[]> {
  const res = await api(`/api/jobs/${id}/events`);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const out: Sse[] = [];
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return out;
      buf += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || data === undefined) continue;
        const e = { event, data: JSON.parse(data) };
        out.push(e);
        if (['done', 'failed', 'cancelled', 'interrupted'].includes(event) || (await until?.(e))) return out;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lethe-jobs-'));
  server = await startServer({ port: 0, storePath: join(home, 'lethe.db'), maxJobs: 1 });
});

afterAll(async () => {
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('jobs in worker threads', () => {
  let modelId: string;
  const unlearned: Record<string, string> = {};

  it('trains on synthetic data to done, streaming progress, and the model appears in /api/models', async () => {
    const { status, body } = await submit('train', { data: 'synthetic', model: 'mlp', epochs: 2, batchSize: 32, seed: 3 });
    expect(status).toBe(202);
    expect(body).toMatchObject({ id: expect.any(Number), kind: 'train', status: expect.stringMatching(/^(queued|running)$/) });
    const evs = await events(body.id);
    expect(evs[0].event).toBe('state');
    const progress = evs.filter((e) => e.event === 'progress').map((e) => e.data);
    expect(progress.length).toBeGreaterThan(0);
    // 1200 train samples in batches of 32: 38 steps an epoch, 76 in all.
    expect(progress.every((p) => p.phase === 'train' && p.total === 76 && p.done >= 1 && p.done <= 76)).toBe(true);
    const last = evs.at(-1)!;
    expect(last.event).toBe('done');
    expect(last.data).toMatchObject({ id: body.id, status: 'done', error: null, result: { modelId: expect.any(String), checkpoint: join(home, 'runs', String(body.id)) } });
    modelId = last.data.result.modelId;
    expect(existsSync(join(home, 'runs', String(body.id), 'meta.json'))).toBe(true);
    const models = (await (await api('/api/models')).json()) as { id: string; dataset: string; arch: string }[];
    expect(models.find((m) => m.id === modelId)).toMatchObject({ dataset: 'synthetic', arch: 'mlp' });
    expect(await (await api(`/api/jobs/${body.id}`)).json()).toMatchObject({ status: 'done', progress: { done: 76, total: 76 } });
    // A late subscriber gets the latest state, then the final event.
    expect((await events(body.id)).map((e) => e.event)).toEqual(['state', 'done']);
  });

  it('checks a forget spec against the model before any work', async () => {
    const bad = await submit('unlearn', { model: modelId, forget: 'class:7', method: 'ft' });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/unknown class 7.*0\.\.3/) } } });
  });

  it('unlearns with a method to done; the result records its parent', async () => {
    const { status, body } = await submit('unlearn', { model: modelId, forget: { kind: 'class', classes: [1] }, method: 'ft', params: { epochs: 1 } });
    expect(status).toBe(202);
    expect(body.args).toMatchObject({ forget: { kind: 'class', classes: [1] }, params: { epochs: 1, lr: 1e-3, batchSize: 128 } });
    const last = (await events(body.id)).at(-1)!;
    expect(last).toMatchObject({ event: 'done', data: { result: { method: 'ft', forget: 'class:1', forgetCount: 300 } } });
    const models = (await (await api('/api/models')).json()) as { id: string; parent: string | null; method: string }[];
    expect(models.find((m) => m.id === last.data.result.modelId)).toMatchObject({ parent: modelId, method: 'ft' });
    unlearned.ft = last.data.result.modelId;
  });

  it('compares a method with retrain; the comparison is readable through the API', async () => {
    const { status, body } = await submit('compare', { original: modelId, forget: 'random:0.1:seed=1', methods: ['ft'], seeds: 1 });
    expect(status).toBe(202);
    const evs = await events(body.id);
    expect(new Set(evs.filter((e) => e.event === 'progress').map((e) => e.data.phase))).toEqual(new Set(['retrain', 'ft', 'evaluate']));
    const last = evs.at(-1)!;
    expect(last).toMatchObject({ event: 'done', data: { result: { comparisonId: expect.any(String), forgetText: 'random:0.1:seed=1', forgetCount: 120 } } });
    const id = last.data.result.comparisonId;
    const cmp = await (await api(`/api/comparisons/${id}`)).json();
    expect(cmp).toMatchObject({ id, originalId: modelId, dataset: 'synthetic', methods: ['ft'] });
    const ft = cmp.models.find((m: { method: string }) => m.method === 'ft');
    expect(ft.details).toBeUndefined();
    const one = await (await api(`/api/comparisons/${id}/models/${ft.modelId}`)).json();
    expect(one.details.forgetSamples.ids.length).toBeGreaterThan(0);
    const png = await api(`/api/samples/${cmp.dataset}/${one.details.forgetSamples.ids[0]}.png`);
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png']);
  });

  it('evaluates a model against a retrained reference; the metrics join the model', async () => {
    const retrain = await submit('unlearn', { model: modelId, forget: 'class:1', method: 'retrain' });
    unlearned.retrain = (await events(retrain.body.id)).at(-1)!.data.result.modelId;
    expect((await submit('eval', { model: unlearned.ft, reference: 'nope', forget: 'class:1' })).status).toBe(400);
    const { status, body } = await submit('eval', { model: unlearned.ft, reference: unlearned.retrain, forget: 'class:1' });
    expect(status).toBe(202);
    const last = (await events(body.id)).at(-1)!;
    expect(last.data.error).toBeNull();
    expect(last).toMatchObject({ event: 'done', data: { result: { UA: expect.any(Number), mia: expect.any(Number) } } });
    const model = await (await api(`/api/models/${unlearned.ft}`)).json();
    expect(model.metrics.UA).toBe(last.data.result.UA);
  });

  it('a job that throws ends failed with a one-line message', async () => {
    const { body } = await submit('train', { data: 'synthetic', model: 'mlp', epochs: 1, trainSize: 999_999 });
    const last = (await events(body.id)).at(-1)!;
    expect(last.event).toBe('failed');
    expect(last.data.error).toMatch(/^train size 999999 is out of range/);
    expect(last.data.error).not.toContain('\n');
  });

  it('answers while a job runs; DELETE cancels a queued job at once and a running one promptly', async () => {
    const long = await submit('train', { data: 'synthetic', model: 'mlp', epochs: 500, batchSize: 8 });
    const queued = await submit('train', { data: 'synthetic', model: 'mlp', epochs: 1 });
    expect(queued.body.status).toBe('queued'); // max one job at a time
    // Wait until the long job is really training in its worker.
    await events(long.body.id, (e) => e.event === 'progress');
    const t0 = performance.now();
    const health = await api('/api/health');
    expect(health.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(1000);

    const dq = await api(`/api/jobs/${queued.body.id}`, { method: 'DELETE' });
    expect([dq.status, await dq.json()]).toEqual([200, { id: queued.body.id, status: 'cancelled' }]);
    expect(await (await api(`/api/jobs/${queued.body.id}`)).json()).toMatchObject({ status: 'cancelled', started: null });

    const t1 = performance.now();
    const stream = events(long.body.id);
    const dr = await api(`/api/jobs/${long.body.id}`, { method: 'DELETE' });
    expect([dr.status, await dr.json()]).toEqual([202, { id: long.body.id, status: 'cancelling' }]);
    expect((await stream).at(-1)).toMatchObject({ event: 'cancelled', data: { status: 'cancelled' } });
    expect(performance.now() - t1).toBeLessThan(3000);
    // Cancelling again is a conflict, not a change.
    expect((await api(`/api/jobs/${long.body.id}`, { method: 'DELETE' })).status).toBe(409);
  });
});

describe('restarts', () => {
  it('a new runner marks jobs a previous process left running or queued as interrupted', async () => {
    const path = join(home, 'restart.db');
    const before = new Store(path);
    const running = before.createJob('train', { data: 'synthetic' });
    before.startJob(running);
    const queued = before.createJob('train', { data: 'synthetic' });
    const done = before.createJob('train', { data: 'synthetic' });
    before.finishJob(done, 'done', { result: { ok: 1 } });
    before.close(); // the process "dies" here

    const store = new Store(path);
    const runner = new JobRunner({ store, prewarm: false });
    expect(runner.interruptedAtStart).toBe(2);
    expect([running, queued, done].map((id) => store.getJob(id)!.status)).toEqual(['interrupted', 'interrupted', 'done']);
    expect(store.getJob(running)!.error).toMatch(/stopped/);
    await runner.close();
    store.close();
  });

  it('stopping the server marks its running job interrupted, and the next server still shows it', async () => {
    const dbPath = join(home, 'serve.db');
    const first = await startServer({ port: 0, storePath: dbPath, maxJobs: 1 });
    const r = await fetch(new URL('/api/jobs', first.url), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'train', args: { data: 'synthetic', model: 'mlp', epochs: 500, batchSize: 8 } }),
    });
    const { id } = await r.json();
    await first.close();
    const second = await startServer({ port: 0, storePath: dbPath });
    try {
      const job = await (await fetch(new URL(`/api/jobs/${id}`, second.url))).json();
      expect(job).toMatchObject({ id, status: 'interrupted', finished: expect.any(String) });
    } finally {
      await second.close();
    }
  });

  it('refuses to bind a non-loopback address without a token', async () => {
    await expect(startServer({ host: '0.0.0.0', port: 0, storePath: join(home, 'x.db'), token: '' })).rejects.toThrow(/LETHE_TOKEN/);
  });
});
