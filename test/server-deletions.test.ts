// The deletion service over HTTP: a real server on a free port, a real SQLite file, requests applied by jobs in
// worker threads. Filing, idempotency, every refusal (a 4xx naming the problem, nothing written), certificates,
// the ledger, verification and lineage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit } from '../src/data/dataset.ts';
import { loadData } from '../src/data/registry.ts';
import { verifyCertificate, verifyConsistencyProof } from '../src/deletion/log.ts';
import { deploy } from '../src/deletion/service.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import { Store } from '../src/store/store.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-http-del-'));
let server: RunningServer;
const ds = loadData({ name: 'synthetic' });
const train = idsOfSplit(ds, 'train');
const owner = ds.group[train[3]];

const api = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
const post = (body: unknown, raw?: string) => api('/api/deletions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });

async function until(id: number, states = ['done', 'failed']) {
  for (let i = 0; i < 600; i++) {
    const r = await (await api(`/api/deletions/${id}`)).json();
    if (states.includes(r.state)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`request ${id} did not end`);
}

beforeAll(async () => {
  process.env.LETHE_HOME = home;
  const store = new Store(join(home, 'lethe.db'));
  await trainTask(TrainArgs.parse({ data: 'synthetic', model: 'mlp', epochs: 1, seed: 1, recipe: 'sharded:shards=2,slices=2' }), { store, out: join(home, 'sisa') });
  deploy(store, { name: 'credit', model: join(home, 'sisa'), policy: 'exact' });
  store.close();
  server = await startServer({ port: 0, storePath: join(home, 'lethe.db'), maxJobs: 1 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('POST /api/deletions', () => {
  it('refuses bad input with a 4xx naming the problem, writing nothing', async () => {
    const cases: [unknown, number, string, RegExp][] = [
      [{ deployment: 'nope', forget: `group:${owner}`, key: 'a' }, 404, 'unknown_deployment', /unknown deployment "nope" \(deployments: credit\)/],
      [{ deployment: 'credit', forget: `group:${owner}` }, 400, 'bad_request', /"key": a deletion request needs an idempotency key/],
      [{ deployment: 'credit', forget: `group:${owner}`, key: '' }, 400, 'bad_request', /"key"/],
      [{ deployment: 'credit', forget: 'class:x', key: 'a' }, 400, 'bad_request', /bad forget spec "class:x"/],
      [{ deployment: 'credit', forget: 'class:7', key: 'a' }, 400, 'bad_spec', /unknown class 7/],
      [{ deployment: 'credit', forget: 'random:5:seed=1', key: 'a' }, 400, 'bad_spec', /names its subject/],
      [{ deployment: 'credit', forget: 'worst:5:seed=1', key: 'a' }, 400, 'bad_spec', /names its subject.*not worst/],
      [{ deployment: 'credit', forget: 'manipulated:0.5', key: 'a' }, 400, 'bad_spec', /names its subject.*not manipulated/],
      [{ deployment: 'credit', forget: 'ids:/etc/passwd', key: 'a' }, 400, 'bad_request', /ids/],
      [{ deployment: 'credit', forget: `group:${owner}`, key: 'a', extra: 1 }, 400, 'bad_request', /extra/],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await post(body);
      const j = await r.json();
      expect([r.status, j.error.code], JSON.stringify(body)).toEqual([status, code]);
      expect(j.error.message).toMatch(message);
    }
    expect((await post(undefined, '{"deployment":')).status).toBe(400);
    expect(await (await api('/api/deletions')).json()).toEqual([]);
  });

  it('files a request that a job applies; the same key returns it, another body with it is a 409', async () => {
    const r = await post({ deployment: 'credit', forget: `group:${owner}`, key: 'owner-3' });
    expect(r.status).toBe(202);
    const filed = await r.json();
    expect(filed).toMatchObject({ key: 'owner-3', state: 'received', subject: `group:${owner}` });
    const done = await until(filed.id);
    const held = Array.from(train).filter((i) => ds.group[i] === owner).length;
    expect(done).toMatchObject({ state: 'done', held, parentVersion: 0, childVersion: 1, ledgerSeq: 0 });
    const again = await post({ deployment: 'credit', forget: `group:${owner}`, key: 'owner-3' });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(filed.id);
    const reused = await post({ deployment: 'credit', forget: 'class:1', key: 'owner-3' });
    expect(reused.status).toBe(409);
    expect((await reused.json()).error).toMatchObject({ code: 'key_reused', message: /idempotency key "owner-3" was used for another request/ });
    expect((await (await api('/api/deletions?deployment=credit')).json()).length).toBe(1);
  });
});

describe('reading the record', () => {
  it('the deployment, its certificate (checkable alone), the ledger, verification and lineage', async () => {
    const d = await (await api('/api/deployments/credit')).json();
    expect(d).toMatchObject({ name: 'credit', kind: 'sharded', policy: 'exact', current: 1, done: 1, open: 0 });
    expect(d.versions.map((v: { exactness: string }) => v.exactness)).toEqual(['deployed', 'exact']);
    expect((await api('/api/deployments/nope')).status).toBe(404);

    const id = d.requests[0].id;
    const cert = await (await api(`/api/deletions/${id}/certificate`)).json();
    const { publicKey } = await (await api('/api/ledger/key')).json();
    expect(cert.publicKey).toBe(publicKey);
    expect(verifyCertificate(cert.certificates[0], publicKey)).toMatchObject({ ok: true });
    expect(cert.certificates[0].entry).toMatchObject({ type: 'deletion', request: id, exactness: 'exact', deployment: 'credit' });
    expect((await api('/api/deletions/999/certificate')).status).toBe(404);
    expect((await api('/api/deletions/abc')).status).toBe(404);

    const ledger = await (await api('/api/ledger?deployment=credit')).json();
    expect(ledger.map((e: { seq: number }) => e.seq)).toEqual([0]);
    expect(await (await api('/api/ledger/verify')).json()).toMatchObject({ ok: true, size: 1, checked: { versions: 2, exactVersions: 1 } });
    const cons = await (await api('/api/ledger/consistency?from=1')).json();
    expect(verifyConsistencyProof(cons, publicKey)).toEqual({ ok: true, size: 1 });
    expect((await api('/api/ledger/consistency?from=0')).status).toBe(400);
    expect((await api('/api/ledger/consistency?from=9')).status).toBe(404);

    const lin = await (await api(`/api/lineage?group=${owner}&deployment=credit`)).json();
    expect(lin.rows.map((r: { version: number; status: string }) => [r.version, r.status])).toEqual([[0, 'superseded']]);
    const bad = await api('/api/lineage?sample=-1');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/sample must be a non-negative integer/);
    expect((await api('/api/lineage')).status).toBe(400);
  });

  it('a certificate of a request not yet done is a 409 that says so', async () => {
    const store = new Store(join(home, 'lethe.db'));
    try {
      // Filed straight into the store, so no job applies it while we look.
      const { request } = (await import('../src/deletion/service.ts')).submit(store, { deployment: 'credit', forget: { kind: 'class', classes: [0] }, key: 'later' });
      const r = await api(`/api/deletions/${request.id}/certificate`);
      expect(r.status).toBe(409);
      expect((await r.json()).error.message).toMatch(/is received: only a completed request has a ledger entry/);
    } finally {
      store.close();
    }
  });
});

// Last: the server closes the connection after refusing an oversized body mid-upload.
it('an oversized body is a 413, with nothing written', async () => {
  const before = (await (await api('/api/deletions')).json()).length;
  const big = await post(undefined, JSON.stringify({ deployment: 'credit', forget: { kind: 'ids', ids: Array.from({ length: 300_000 }, (_, i) => i) }, key: 'big' }));
  expect(big.status).toBe(413);
  expect((await big.json()).error.message).toMatch(/larger than \d+ bytes/);
  const store = new Store(join(home, 'lethe.db'));
  try {
    expect(store.deletions.requests().length).toBe(before);
  } finally {
    store.close();
  }
});
