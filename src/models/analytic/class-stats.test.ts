// Per-class statistics (analytic:classStats=true): a whole class deleted by subtracting its Gram, without its rows,
// gives the head a fresh fit on the remaining rows gives (to rounding); partial deletions keep the statistics right;
// a class only partly named takes the ordinary path; the statistics survive a save and a load.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { idsOfSplit, subset } from '../../data/dataset.ts';
import { synthetic } from '../../data/synthetic.ts';
import { initBackend } from '../../engine/backend.ts';
import type { Progress } from '../../shared/http.ts';
import { buildModel } from '../registry.ts';
import type { Model } from '../layers.ts';
import { fitHead, forgetRows } from './fit.ts';
import { analyticArch } from './model.ts';
import { cloneHead, type Head } from './ridge.ts';
import { headFiles, HEAD_FILE, readHead } from './state.ts';

const ds = synthetic({ train: 1200, test: 200, classes: 4, seed: 3 });
const train = Array.from(idsOfSplit(ds, 'train'));
const dim = 48;
let model: Model;
let head: Head;
const dir = mkdtempSync(join(tmpdir(), 'lethe-class-stats-'));

beforeAll(async () => {
  await initBackend();
  model = buildModel(analyticArch(dim), ds.inputShape, ds.numClasses, 1);
  head = await fitHead(model, subset(ds, train), dim, 0.1, {}, { classStats: true });
});
afterAll(() => {
  model?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Max |a − b| / max |b|. */
function rel(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

async function refit(ids: number[], classStats = true): Promise<Head> {
  const m = buildModel(analyticArch(dim), ds.inputShape, ds.numClasses, 1);
  try {
    return await fitHead(m, subset(ds, ids), dim, 0.1, {}, { classStats });
  } finally {
    m.dispose();
  }
}

it('keeps one Gram per class that adds up to FᵀF, and counts each class in B by the bias feature', () => {
  const p = dim + 1;
  expect(head.G!.length).toBe(ds.numClasses * p * p);
  for (const i of [0, 7, p - 1]) {
    for (const j of [i, p - 1]) {
      const sum = [0, 1, 2, 3].reduce((s, k) => s + head.G![k * p * p + i * p + j], 0);
      expect(Math.abs(sum + (i === j ? 0.1 : 0) - head.A![i * p + j])).toBeLessThan(1e-9 * Math.abs(head.A![i * p + j]) + 1e-12);
    }
  }
  for (let k = 0; k < 4; k++) expect(head.B![(p - 1) * head.c + k]).toBe(train.filter((i) => ds.y[i] === k).length);
});

it('a whole class goes without reading its rows, after a partial deletion, equal to a fresh fit on the rest', async () => {
  const h = cloneHead(head);
  // First a few rows (the Woodbury path, which keeps the per-class Grams current) …
  const few = [train[1], train[6], train[11]];
  await forgetRows(model, h, subset(ds, few));
  // … then every remaining row of class 2: no feature is computed for them (one empty progress step, not two batches).
  const class2 = train.filter((i) => ds.y[i] === 2 && !few.includes(i));
  const events: Progress[] = [];
  await forgetRows(model, h, subset(ds, class2), { onProgress: (e) => events.push(e) });
  expect(class2.length).toBeGreaterThan(256);
  expect(events.map((e) => [e.done, e.total])).toEqual([[1, 1]]);
  const rest = train.filter((i) => !few.includes(i) && ds.y[i] !== 2);
  const ref = await refit(rest);
  expect(h.rows).toBe(rest.length);
  expect(rel(h.W, ref.W)).toBeLessThan(1e-9);
  expect(rel(h.R, ref.R)).toBeLessThan(1e-9);
  expect(rel(h.G!, ref.G!)).toBeLessThan(1e-9);
});

it('a class only partly named takes the ordinary path and is still exact', async () => {
  const h = cloneHead(head);
  const part = train.filter((i) => ds.y[i] === 1).slice(0, 200);
  const events: Progress[] = [];
  await forgetRows(model, h, subset(ds, part), { onProgress: (e) => events.push(e) });
  expect(events.at(-1)!.total).toBe(1); // 200 rows: one batch of features, read
  const ref = await refit(train.filter((i) => !part.includes(i)), false);
  expect(rel(h.W, ref.W)).toBeLessThan(1e-9);
});

it('saves and loads the per-class statistics with the head', () => {
  const bytes = headFiles(head)[HEAD_FILE];
  const p = dim + 1;
  expect(bytes.length).toBe(8 * (2 * (p * p + p * ds.numClasses) + ds.numClasses * p * p));
  writeFileSync(join(dir, HEAD_FILE), bytes);
  const back = readHead(dir, { dim, gamma: 0.1, featureSeed: 1, rows: head.rows }, ds.numClasses);
  expect(Array.from(back.G!)).toEqual(Array.from(head.G!));
});
