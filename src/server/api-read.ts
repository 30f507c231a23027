// The read-only API: what Lethe offers (methods, architectures, data sets) and what the store holds.
import { Hono } from 'hono';
import { BUILTIN_DATA, dataAvailable, loadData, refTask, type DataRef } from '../data/registry.ts';
import { ARCH_NAMES, ARCHS } from '../models/registry.ts';
import type { ApiModel, ArchInfo, DatasetInfo, Health } from '../shared/http.ts';
import type { ModelRow, Store } from '../store/store.ts';
import { describeMethods } from '../unlearn/registry.ts';
import { describeTasks } from '../jobs/tasks.ts';
import { ApiError, notFound } from './errors.ts';
import { encodeGrayPng, scaleNearest } from './png.ts';

const SAMPLE_SCALE = 4;

/** A model as the API shows it: the data set as its name (and train size), not the store's key. */
export function apiModel(row: ModelRow): ApiModel {
  let ref: Partial<Omit<DataRef, 'trainSize'>> & { trainSize?: number | null } = {};
  try {
    ref = JSON.parse(row.dataset);
  } catch {
    ref = { name: row.dataset };
  }
  const name = ref.name ?? row.dataset;
  return { ...row, dataset: name, trainSize: ref.trainSize ?? null, task: refTask({ name, targetColumn: ref.targetColumn ?? undefined }) };
}

function samplePng(dataset: string, file: string): Buffer {
  if (!Object.hasOwn(BUILTIN_DATA, dataset)) throw notFound(`data set "${dataset}"`);
  const m = /^(\d{1,9})\.png$/.exec(file);
  if (!m) throw notFound(`sample "${file}"`);
  let ds;
  try {
    ds = loadData({ name: dataset });
  } catch (e) {
    throw new ApiError(404, 'not_found', (e as Error).message.split('\n')[0]);
  }
  const id = Number(m[1]);
  const [h, w, ch = 1] = ds.inputShape;
  if (id >= ds.size) throw notFound(`sample ${id} of ${dataset} (ids 0..${ds.size - 1})`);
  if (ds.inputShape.length < 2 || ch !== 1) throw new ApiError(404, 'not_found', `${dataset} samples are not grayscale images`);
  const px = new Uint8Array(h * w);
  for (let i = 0; i < px.length; i++) px[i] = Math.max(0, Math.min(255, Math.round(ds.x[id * h * w + i] * 255)));
  return encodeGrayPng(scaleNearest(px, w, h, SAMPLE_SCALE), w * SAMPLE_SCALE, h * SAMPLE_SCALE);
}

export function readRoutes(store: Store, info: { version: string; backend: string; auth: boolean; maxJobs: number }) {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true, version: info.version, backend: info.backend, auth: info.auth, maxJobs: info.maxJobs } satisfies Health));
  app.get('/methods', (c) => c.json(describeMethods()));
  app.get('/tasks', (c) => c.json(describeTasks()));
  app.get('/archs', (c) => c.json(ARCH_NAMES.map((name): ArchInfo => ({ name, description: ARCHS[name].description }))));
  app.get('/datasets', (c) => c.json((Object.keys(BUILTIN_DATA) as (keyof typeof BUILTIN_DATA)[]).map((name): DatasetInfo => ({
    name, description: BUILTIN_DATA[name], available: dataAvailable(name), task: refTask({ name }),
  }))));
  app.get('/models', (c) => c.json(store.listModels().map(apiModel)));
  app.get('/models/:id', (c) => {
    const row = store.getModel(c.req.param('id'));
    if (!row) throw notFound(`model "${c.req.param('id')}"`);
    return c.json(apiModel(row));
  });
  app.get('/comparisons', (c) => c.json(store.listComparisons()));
  app.get('/comparisons/:id', (c) => {
    const cmp = store.getComparison(c.req.param('id'), false);
    if (!cmp) throw notFound(`comparison "${c.req.param('id')}"`);
    return c.json(cmp);
  });
  app.get('/tunings', (c) => c.json(store.tunings.list()));
  app.get('/tunings/:id', (c) => {
    const t = store.tunings.get(c.req.param('id'));
    if (!t) throw notFound(`tuning "${c.req.param('id')}"`);
    return c.json(t);
  });
  app.get('/banks', (c) => c.json(store.banks.list()));
  app.get('/banks/:id', (c) => {
    const b = store.banks.get(c.req.param('id'));
    if (!b) throw notFound(`bank "${c.req.param('id')}"`);
    return c.json(b);
  });
  app.get('/ulira', (c) => c.json(store.ulira.list()));
  app.get('/ulira/:id', (c) => {
    const u = store.ulira.get(c.req.param('id'));
    if (!u) throw notFound(`U-LiRA evaluation "${c.req.param('id')}"`);
    return c.json(u);
  });
  app.get('/comparisons/:id/models/:modelId', (c) => {
    const { id, modelId } = c.req.param();
    const m = store.getEvaluation(id, modelId);
    if (!m) throw notFound(`model "${modelId}" in comparison "${id}"`);
    return c.json(m);
  });
  app.get('/samples/:dataset/:file', (c) => {
    const png = samplePng(c.req.param('dataset'), c.req.param('file'));
    return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' });
  });
  return app;
}
