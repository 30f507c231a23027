// The API in-process (app.request, no port) against a real SQLite file: shapes, validation, limits, auth.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_DATA } from '../data/registry.ts';
import { MAX_SEEDS } from '../jobs/compare-task.ts';
import { JobRunner } from '../jobs/runner.ts';
import { TASK_KINDS } from '../jobs/tasks.ts';
import type { ApiTuning, TaskInfo } from '../shared/http.ts';
import { ARCH_NAMES } from '../models/registry.ts';
import type { Comparison, EvaluatedModel } from '../shared/contract.ts';
import { Store } from '../store/store.ts';
import { METHOD_NAMES, METHODS } from '../unlearn/registry.ts';
import { createApp } from './app.ts';
import { NOT_BUILT } from './static.ts';

let home: string;
let store: Store;
let runner: JobRunner;
let app: ReturnType<typeof createApp>;

const post = (body: unknown, headers: Record<string, string> = {}, a = app) =>
  a.request('/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function expectError(res: Response | Promise<Response>, status: number, code?: string, text?: RegExp) {
  const r = await res;
  const body = await r.json();
  expect({ status: r.status, body }).toMatchObject({ status, body: { error: { code: code ?? expect.any(String), message: expect.any(String) } } });
  if (text) expect(body.error.message).toMatch(text);
  return body;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'lethe-app-'));
  store = new Store(join(home, 'lethe.db'));
  runner = new JobRunner({ store, maxJobs: 1, prewarm: false });
  app = createApp({ store, runner, backend: 'cpu', webDist: join(home, 'no-dist') });
});

afterAll(async () => {
  await runner.close();
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('catalog', () => {
  it('GET /api/health', async () => {
    const r = await app.request('/api/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/), backend: 'cpu', auth: false, maxJobs: 1 });
  });

  it('GET /api/tasks lists the task map with the schemas every edge validates with', async () => {
    const list = (await (await app.request('/api/tasks')).json()) as TaskInfo[];
    expect(list.map((t) => t.kind)).toEqual(TASK_KINDS);
    const compare = list.find((t) => t.kind === 'compare')!;
    expect(compare.args.properties?.seeds).toMatchObject({ type: 'integer', minimum: 1, maximum: MAX_SEEDS, default: 3 });
    expect(list.find((t) => t.kind === 'train')!.args.properties?.epochs).toMatchObject({ minimum: 1, maximum: 1000 });
  });

  it('GET /api/methods lists the registry, with JSON Schemas and defaults', async () => {
    const list = (await (await app.request('/api/methods')).json()) as { name: string; kind: string; params: { type: string; properties: Record<string, unknown> }; defaults: Record<string, unknown> }[];
    expect(list.map((m) => m.name)).toEqual(METHOD_NAMES);
    for (const m of list) {
      const method = METHODS[m.name as keyof typeof METHODS];
      expect(m.kind).toBe(method.kind);
      expect(m.params.type).toBe('object');
      expect(Object.keys(m.params.properties)).toEqual(Object.keys((method.params as unknown as { shape: object }).shape));
      for (const [key, v] of Object.entries(m.defaults)) expect(m.params.properties[key]).toMatchObject({ default: v });
      expect(m.defaults).toEqual(method.params.parse({}));
    }
  });

  it('GET /api/archs and /api/datasets come from their registries', async () => {
    expect(((await (await app.request('/api/archs')).json()) as { name: string }[]).map((a) => a.name)).toEqual(ARCH_NAMES);
    const ds = (await (await app.request('/api/datasets')).json()) as { name: string; available: boolean }[];
    expect(ds.map((d) => d.name)).toEqual(Object.keys(BUILTIN_DATA));
    expect(ds.find((d) => d.name === 'synthetic')!.available).toBe(true);
  });

  it('GET /api/samples/:dataset/:id.png is the image ×4 as a grayscale PNG', async () => {
    const r = await app.request('/api/samples/synthetic/7.png');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await r.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([32, 32]); // synthetic samples are 8x8
  });
});

describe('comparisons', () => {
  const evaluated = (modelId: string, role: EvaluatedModel['role']) => ({
    modelId, role, method: role === 'method' ? 'ft' : role, seed: 1001, params: {}, checkpoint: `/x/${modelId}`, referenceId: 'r1',
    metrics: { UA: 1, RA: 99, TA: 90 } as EvaluatedModel['metrics'],
    details: { classNames: ['a', 'b'] } as EvaluatedModel['details'],
  });
  beforeAll(() => {
    store.saveComparison({
      id: 'c1', created: '2026-01-01T00:00:00Z', originalId: 'o1', dataset: 'synthetic', arch: 'mlp', forget: { kind: 'class', classes: [1] },
      forgetText: 'class:1', forgetCount: 300, methods: ['ft'], seeds: [1001], table: [],
      models: [evaluated('r1', 'retrain'), evaluated('m1', 'method')],
    } satisfies Comparison);
  });

  it('lists summaries, gives one without details, and one model with details', async () => {
    const list = await (await app.request('/api/comparisons')).json();
    expect(list).toEqual([expect.objectContaining({ id: 'c1', forget: { kind: 'class', classes: [1] }, forgetText: 'class:1' })]);
    expect(list[0].models).toBeUndefined();
    const one = await (await app.request('/api/comparisons/c1')).json();
    expect(one.models.map((m: EvaluatedModel) => [m.modelId, m.role, m.details])).toEqual([['r1', 'retrain', undefined], ['m1', 'method', undefined]]);
    const m = await (await app.request('/api/comparisons/c1/models/m1')).json();
    expect(m).toMatchObject({ modelId: 'm1', metrics: { UA: 1 }, details: { classNames: ['a', 'b'] } });
  });
});

describe('tunings', () => {
  const tuning: ApiTuning = {
    id: 't1', created: '2026-01-02T00:00:00Z', originalId: 'o1', tuningOriginalId: 'o1v', dataset: 'synthetic', forget: { kind: 'class', classes: [1] },
    forgetText: 'class:1', forgetCount: 270, protocol: { validation: { count: 120, seed: 0 }, seeds: [1001], budget: 2, eta: 3, score: 'avgGap' },
    retrains: [{ UA: 100, RA: 99, TA: 90, MIA: 100, seconds: 1 }], floor: null,
    methods: [{
      method: 'rl', space: { lr: { low: 1e-4, high: 1e-2, log: true } }, defaults: { lr: 1e-3 }, rungs: [{ configs: 2, seeds: 1 }], chosen: 1, edges: {},
      configs: [
        { params: { lr: 1e-3 }, scores: [4], mean: 4, values: [{ UA: 96, RA: 99, TA: 90, MIA: 100, seconds: 0.1 }] },
        { params: { lr: 3e-3 }, scores: [1], mean: 1, values: [{ UA: 99, RA: 99, TA: 89, MIA: 99, seconds: 0.1 }] },
      ],
    }],
  };
  beforeAll(() => store.tunings.save(tuning));

  it('lists summaries (defaults against tuned score) and gives one whole; an unknown id is 404', async () => {
    expect(await (await app.request('/api/tunings')).json()).toEqual([expect.objectContaining({
      id: 't1', forgetText: 'class:1', methods: [{ method: 'rl', chosen: { lr: 3e-3 }, defaultScore: 4, tunedScore: 1 }],
    })]);
    expect(await (await app.request('/api/tunings/t1')).json()).toEqual(tuning);
    await expectError(app.request('/api/tunings/zzz'), 404, 'not_found', /tuning "zzz"/);
  });
});

describe('bad requests are 4xx with {error:{code,message}}', () => {
  const unlearn = (args: Record<string, unknown>) => post({ kind: 'unlearn', args: { model: 'nope', forget: 'class:1', method: 'ft', ...args } });
  const train = (args: Record<string, unknown>) => post({ kind: 'train', args: { data: 'synthetic', model: 'mlp', ...args } });

  it('404: unknown routes and ids', async () => {
    await expectError(app.request('/api/nope'), 404, 'not_found');
    await expectError(app.request('/api/jobs/999'), 404, 'not_found');
    await expectError(app.request('/api/jobs/abc'), 404, 'not_found');
    await expectError(app.request('/api/jobs/999/events'), 404, 'not_found');
    await expectError(app.request('/api/jobs/999', { method: 'DELETE' }), 404, 'not_found');
    await expectError(app.request('/api/models/zzz'), 404, 'not_found');
    await expectError(app.request('/api/comparisons/zzz'), 404, 'not_found');
    await expectError(app.request('/api/comparisons/c1/models/zzz'), 404, 'not_found');
    await expectError(app.request('/api/samples/synthetic/1600.png'), 404, 'not_found');
    await expectError(app.request('/api/samples/synthetic/-1.png'), 404, 'not_found');
    await expectError(app.request('/api/samples/synthetic/1.jpg'), 404, 'not_found');
    await expectError(app.request('/api/samples/%2Fetc%2Fpasswd/1.png'), 404, 'not_found');
  });

  it('400: an unknown method', async () => {
    await expectError(unlearn({ method: 'nope' }), 400, 'unknown_method', /unknown method "nope"/);
    await expectError(post({ kind: 'compare', args: { original: 'x', forget: 'class:1', methods: ['ft', 'nope'] } }), 400, 'unknown_method');
  });

  it('400: a bad forget spec, and never a file name', async () => {
    await expectError(unlearn({ forget: 'class:x' }), 400, 'bad_request', /class "x" is not an integer/);
    await expectError(unlearn({ forget: 'ids:/etc/passwd' }), 400, 'bad_request', /names a file/);
    await expectError(unlearn({ forget: { kind: 'random', fraction: 2, seed: 1 } }), 400, 'bad_request');
    await expectError(unlearn({ forget: 'random:0.1:seed=1:oops' }), 400);
  });

  it('400: bad parameters (NaN, unknown key, out of range) for methods and training', async () => {
    await expectError(unlearn({ params: { lr: null } }), 400, 'bad_parameter', /"lr"/); // NaN has no JSON form: it is sent as null
    await expectError(unlearn({ params: { bogus: 1 } }), 400, 'bad_parameter', /bogus/);
    await expectError(unlearn({ params: { lr: 5 } }), 400, 'bad_parameter', /"lr"/);
    await expectError(post('{"kind":"train","args":{"data":"synthetic","model":"mlp","lr":NaN}}'), 400, 'bad_json');
    await expectError(train({ lr: 'NaN' }), 400, 'bad_request', /lr/);
    await expectError(train({ epochs: 0 }), 400, 'bad_request', /epochs/);
    await expectError(train({ bogus: 1 }), 400, 'bad_request', /bogus/);
    await expectError(train({ data: '/etc/passwd' }), 400, 'bad_request', /data/);
    await expectError(train({ model: 'vgg' }), 400, 'bad_request', /model/);
    await expectError(post({ kind: 'eval', args: {} }), 400);
    await expectError(post({ kind: 'compare', args: { original: 'x', forget: 'class:1', seeds: 21 } }), 400, 'bad_request', /seeds/);
  });

  it('400: a model id that is not in the store', async () => {
    await expectError(unlearn({}), 400, 'unknown_model', /no model "nope"/);
  });

  it('413: a body over the limit; 415: a body that is not JSON', async () => {
    const big = JSON.stringify({ kind: 'unlearn', args: { model: 'x', method: 'ft', forget: { kind: 'ids', ids: Array.from({ length: 300_000 }, (_, i) => i) } } });
    expect(big.length).toBeGreaterThan(1024 * 1024);
    await expectError(post(big), 413, 'payload_too_large');
    await expectError(app.request('/api/jobs', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 415);
  });

  it('no job was created by any of them', async () => {
    expect(await (await app.request('/api/jobs')).json()).toEqual([]);
  });
});

describe('security', () => {
  it('401 for a state-changing request without the token, when one is set', async () => {
    const secured = createApp({ store, runner, token: 's3cret-token' });
    const body = { kind: 'unlearn', args: { model: 'nope', forget: 'class:1', method: 'ft' } };
    await expectError(post(body, {}, secured), 401, 'unauthorized');
    await expectError(post(body, { authorization: 'Bearer wrong-token' }, secured), 401, 'unauthorized');
    await expectError(secured.request('/api/jobs/1', { method: 'DELETE' }), 401, 'unauthorized');
    // With the token, the request gets through to validation.
    await expectError(post(body, { authorization: 'Bearer s3cret-token' }, secured), 400, 'unknown_model');
    expect((await secured.request('/api/health')).status).toBe(200);
    expect((await (await secured.request('/api/health')).json()).auth).toBe(true);
  });

  it('403 for a host name the server does not answer to (DNS rebinding)', async () => {
    const local = createApp({ store, runner, allowedHosts: ['localhost', '127.0.0.1'] });
    expect((await local.request('http://127.0.0.1/api/health')).status).toBe(200);
    await expectError(local.request('http://evil.example/api/health'), 403, 'forbidden_host');
  });
});

describe('the UI', () => {
  it('says how to build it when web/dist is missing', async () => {
    const r = await app.request('/');
    expect(await r.text()).toBe(NOT_BUILT);
    expect(NOT_BUILT).toContain('npm run build:web');
  });

  it('serves web/dist with an index.html fallback for client routes', async () => {
    const dist = join(home, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Lethe</title>');
    writeFileSync(join(dist, 'assets/app.js'), 'console.log(1)');
    const ui = createApp({ store, runner, webDist: dist });
    expect(await (await ui.request('/')).text()).toContain('<title>Lethe</title>');
    const js = await ui.request('/assets/app.js');
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, expect.stringMatching(/javascript/), 'console.log(1)']);
    expect(await (await ui.request('/experiments/a/b')).text()).toContain('<title>Lethe</title>');
    expect((await ui.request('/assets/missing.js')).status).toBe(404);
    expect((await ui.request('/../package.json')).status).toBe(404);
    await expectError(ui.request('/api/nope'), 404, 'not_found');
  });
});
