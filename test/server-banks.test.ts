// Stored banks over HTTP: a real server on a free port, a real SQLite file, a bank started as a job through
// POST /api/jobs (the task map's 'bank'), then GET /api/banks and /api/banks/:id; a second run of the same setting
// replaces the stored bank; unknown ids get the API's one error shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketPoints, maxEpsilon } from '../src/eval/epsilon.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import type { ApiBank, ApiBankRecord, ApiBankSummary, JobView } from '../src/shared/http.ts';

let home: string;
let server: RunningServer;

const api = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
const submit = async (kind: string, args: Record<string, unknown>) => {
  const r = await api('/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, args }) });
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
  home = mkdtempSync(join(tmpdir(), 'lethe-banks-api-'));
  server = await startServer({ port: 0, storePath: join(home, 'lethe.db'), maxJobs: 1 });
});
afterAll(async () => {
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('banks over HTTP', () => {
  let modelId: string;
  let bank: ApiBank;
  const BANK = { forget: 'random:20:seed=3', method: 'ga', n: 4, samples: 30, parallel: 1 };

  it('lists no bank before one ran, and answers an unknown id with the API\'s error shape', async () => {
    expect(await (await api('/api/banks')).json()).toEqual([]);
    const r = await api('/api/banks/0123456789abcdef');
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { code: 'not_found', message: 'bank "0123456789abcdef" not found' } });
  });

  it('starts a bank as a job; its result names the stored bank', async () => {
    const t = await submit('train', { data: 'synthetic', model: 'mlp', epochs: 2, seed: 5 });
    modelId = ((await finished(t.body.id)).result as { modelId: string }).modelId;
    const refused = await submit('bank', { original: modelId, ...BANK, method: 'retrain' });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'unknown_method', message: expect.stringContaining("retrain is the bank's reference side") } } });
    const { status, body } = await submit('bank', { original: modelId, ...BANK });
    expect(status).toBe(202);
    expect(body).toMatchObject({ kind: 'bank', args: { n: 4, method: 'ga', forget: { kind: 'random' } } });
    const job = await finished(body.id);
    expect([job.status, job.error]).toEqual(['done', null]);
    bank = job.result as ApiBank;
    expect(bank).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), n: 4, method: 'ga', originalId: modelId, forgetText: 'random:20:seed=3', forgetCount: 20, computed: 8, stored: 0 });
  });

  it('GET /api/banks lists it with its scores; GET /api/banks/:id gives the whole record', async () => {
    const list = (await (await api('/api/banks')).json()) as ApiBankSummary[];
    expect(list).toEqual([{
      id: bank.id, created: expect.any(String), method: 'ga', params: bank.params, originalId: modelId, dataset: 'synthetic', forgetText: 'random:20:seed=3',
      forgetCount: 20, n: 4, forgetScore: bank.epsilon.forgetScore, score: bank.epsilon.score, medianEpsilon: bank.epsilon.median, klomForget: bank.klom.forget.median,
    }]);
    const r = (await (await api(`/api/banks/${bank.id}`)).json()) as ApiBankRecord;
    const { files: _, ...summary } = bank;
    expect(r).toMatchObject({ ...summary, samples: 30, sampleImages: true, created: list[0].created });
    const e = r.examples;
    for (const k of ['labels', 'epsilon', 'retrainedMedian', 'unlearnedMedian', 'klom'] as const) expect(e[k]).toHaveLength(20);
    expect(new Set(e.ids).size).toBe(20);
    // The summary's numbers follow from the per-example values: the forget score is the mean bucket points, the
    // capped count is the ε at or above ceil(ln 3) = 2.
    expect(maxEpsilon(4)).toBe(2);
    expect(e.epsilon.reduce((a, x) => a + bucketPoints(x, 4), 0) / 20).toBeCloseTo(r.epsilon.forgetScore, 12);
    expect(e.epsilon.filter((x) => x >= 2).length).toBe(r.epsilon.capped);
    expect(e.klom.reduce((a, x) => a + x, 0) / 20).toBeCloseTo(r.klom.forget.mean, 12);
  });

  it('a second run of the same setting replaces the stored bank', async () => {
    const again = await finished((await submit('bank', { original: modelId, ...BANK })).body.id);
    expect(again.result).toMatchObject({ id: bank.id, computed: 0, stored: 8, epsilon: bank.epsilon });
    const list = (await (await api('/api/banks')).json()) as ApiBankSummary[];
    expect(list.map((b) => b.id)).toEqual([bank.id]);
    expect((await (await api(`/api/banks/${bank.id}`)).json()).stored).toBe(8);
  });
});
