// U-LiRA over HTTP: a real server on a free port and a real SQLite file; a U-LiRA evaluation started as a job through
// POST /api/jobs (the task map's 'ulira'), then GET /api/ulira and /api/ulira/:id; a second run of the same setting
// replaces its row; bad requests and unknown ids get the API's one error shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/server.ts';
import type { ApiUlira, ApiUliraRecord, ApiUliraSummary, JobView } from '../src/shared/http.ts';

let home: string;
let server: RunningServer;

const api = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
const submit = async (kind: string, args: Record<string, unknown>) => {
  const body = JSON.stringify({ kind, args }, (_, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v));
  const r = await api('/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: r.status, body: await r.json() };
};
async function finished(id: number): Promise<JobView> {
  for (;;) {
    const j = (await (await api(`/api/jobs/${id}`)).json()) as JobView;
    if (!['queued', 'running'].includes(j.status)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lethe-ulira-api-'));
  server = await startServer({ port: 0, storePath: join(home, 'lethe.db'), maxJobs: 1 });
});
afterAll(async () => {
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('U-LiRA over HTTP', () => {
  let modelId: string;
  let u: ApiUlira;
  const ARGS = { method: 'ga', shadows: 4, targets: 10, retain: 12, parallel: 1 };

  it('lists nothing before a run, and answers an unknown id with the API\'s error shape naming it', async () => {
    expect(await (await api('/api/ulira')).json()).toEqual([]);
    const r = await api('/api/ulira/0123456789abcdef');
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { code: 'not_found', message: 'U-LiRA evaluation "0123456789abcdef" not found' } });
  });

  it('refuses bad requests with 400 and a message naming the argument', async () => {
    const t = await submit('train', { data: 'synthetic', trainSize: 60, model: 'mlp', epochs: 5, seed: 5 });
    modelId = ((await finished(t.body.id)).result as { modelId: string }).modelId;
    const bad = async (args: Record<string, unknown>) => submit('ulira', { original: modelId, ...ARGS, ...args });
    expect(await bad({ method: 'nope' })).toMatchObject({ status: 400, body: { error: { code: 'unknown_method', message: expect.stringContaining('unknown method "nope"') } } });
    expect(await bad({ shadows: 3 })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^shadows: /) } } });
    expect(await bad({ shadows: NaN })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^shadows: /) } } });
    expect(await bad({ data: '/etc/passwd' })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('not a built-in data set') } } });
    expect(await bad({ original: 'no-such-model' })).toMatchObject({ status: 400, body: { error: { code: 'unknown_model' } } });
  });

  it('runs as a job; GET /api/ulira lists it and GET /api/ulira/:id gives the whole record', async () => {
    const { status, body } = await submit('ulira', { original: modelId, ...ARGS });
    expect(status).toBe(202);
    const job = await finished(body.id);
    expect([job.status, job.error]).toEqual(['done', null]);
    u = job.result as ApiUlira;
    expect(u).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), method: 'ga', originalId: modelId, shadows: 4, targets: 10, retainCount: 12, computed: 8, stored: 0 });
    const list = (await (await api('/api/ulira')).json()) as ApiUliraSummary[];
    expect(list).toEqual([{
      id: u.id, created: expect.any(String), method: 'ga', params: u.params, originalId: modelId, dataset: 'synthetic', shadows: 4, targets: 10,
      accuracy: u.forget.accuracy, retainBefore: u.retain.before, retainAfter: u.retain.after,
    }]);
    const r = (await (await api(`/api/ulira/${u.id}`)).json()) as ApiUliraRecord;
    expect(r).toMatchObject({ ...u, created: list[0].created, sampleImages: true, classNames: ['class 0', 'class 1', 'class 2', 'class 3'] });
    for (const k of ['ids', 'labels', 'accuracy'] as const) expect(r.examples[k]).toHaveLength(10);
    for (const k of ['ids', 'labels', 'before', 'after'] as const) expect(r.retainExamples[k]).toHaveLength(12);
    // Per-example accuracies over K = 4 shadows are multiples of 25%, and their mean is the summary's.
    for (const a of [...r.examples.accuracy, ...r.retainExamples.before, ...r.retainExamples.after]) expect([0, 25, 50, 75, 100]).toContain(a);
    expect(r.examples.accuracy.reduce((a, b) => a + b, 0) / 10).toBeCloseTo(u.forget.perExample.mean, 12);
  }, 60_000);

  it('a second run of the same setting takes every shadow from the store and replaces the row', async () => {
    const again = await finished((await submit('ulira', { original: modelId, ...ARGS })).body.id);
    expect(again.result).toEqual({ ...u, computed: 0, stored: 8 });
    expect(((await (await api('/api/ulira')).json()) as ApiUliraSummary[]).map((x) => x.id)).toEqual([u.id]);
    expect((await (await api(`/api/ulira/${u.id}`)).json()).stored).toBe(8);
  }, 60_000);
});
