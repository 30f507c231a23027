// The comparator in a real browser (Debian's Chromium through playwright-core) against the real server,
// a real SQLite store and a real comparison. Counts the marks each view draws and saves a screenshot of each.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIDENCE_GRID, ENTROPY_GRID, privacyScore } from '../src/eval/privacy.ts';
import type { RunningServer } from '../src/server/server.ts';
import type { Comparison, EvaluatedModel } from '../src/shared/contract.ts';
import { resolveForget } from '../src/data/forget/index.ts';
import { loadData } from '../src/data/registry.ts';
import { importPredictions } from '../src/jobs/import-task.ts';
import { predictTask } from '../src/jobs/predict-task.ts';
import { SEED_DATA, seedComparison } from './browser-seed.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

// Screenshots of every view; `LETHE_SCREENSHOTS=docs/screenshots npm test` refreshes the README's.
const TOKEN = 'browser-test-token';

let rig: BrowserRig | undefined;
let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let cmp: Comparison;
const pageErrors: string[] = [];

const model = (id: string): EvaluatedModel => cmp.models.find((m) => m.modelId === id)!;
const count = (sel: string) => page.locator(sel).count();
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const nonNull = (xs: (number | null)[]) => xs.filter((v) => v != null && Number.isFinite(v)).length;

async function openView(view: string) {
  await page.click(`nav.tabs button[data-view="${view}"]`);
  await page.waitForSelector(`[data-testid="view-${view}"]`);
}

/** Waits until every <img> under `sel` has loaded with real pixels. */
async function imagesLoaded(sel: string) {
  await page.waitForFunction((s) => {
    const imgs = Array.from(document.querySelectorAll<HTMLImageElement>(`${s} img`));
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, sel, { timeout: 20_000 });
}

beforeAll(async () => {
  ({ home, server, browser, page } = rig = await openRig('lethe-browser-', { errors: pageErrors, token: TOKEN, maxJobs: 2 }));
  cmp = await seedComparison(server.store, home);
}, 600_000);

afterAll(() => closeRig(rig));

describe('the comparator in a browser', () => {
  let a: EvaluatedModel;
  let b: EvaluatedModel;

  it('loads the newest comparison with every model and the table', async () => {
    // The token arrives once in the URL; the page keeps it and drops it from the address bar.
    await page.goto(`${server.url}?token=${TOKEN}`);
    await page.waitForSelector('[data-testid="view-experiments"] tr[data-model]');
    expect(page.url()).not.toContain('token=');
    expect(await page.textContent('header.top h1')).toBe('Lethe');
    expect(await count('[data-testid="view-experiments"] tr[data-model]')).toBe(cmp.models.length);
    expect(await count('[data-testid="summary-table"] tbody tr')).toBe(cmp.table.length);
    // The default pair: a method and the retrained model it was measured against.
    const defA = model((await page.getAttribute('.content tr.is-a', 'data-model'))!);
    const defB = model((await page.getAttribute('.content tr.is-b', 'data-model'))!);
    expect(defA.role).toBe('method');
    expect(defB.modelId).toBe(defA.referenceId);
    await shot('experiments');
  });

  it('sorts, filters and picks model A and model B', async () => {
    const table = '[data-testid="view-experiments"]';
    await page.fill(`${table} input[type=search]`, 'ga');
    expect(await count(`${table} tr[data-model]`)).toBe(cmp.models.filter((m) => m.method === 'ga').length);
    await page.fill(`${table} input[type=search]`, '');
    await page.click(`${table} th[title^="Test accuracy"] button`);
    const tas = await page.$$eval(`${table} tr[data-model]`, (rows) => rows.map((r) => r.getAttribute('data-model')));
    const sorted = [...cmp.models].sort((x, y) => y.metrics.TA! - x.metrics.TA!).map((m) => m.modelId);
    expect(tas.map((id) => model(id!).metrics.TA)).toEqual(sorted.map((id) => model(id).metrics.TA));

    // Pick the first seed's ga as A, and the first seed's retrain as B.
    a = cmp.models.find((m) => m.method === 'ga' && m.seed === cmp.seeds[0])!;
    b = cmp.models.find((m) => m.modelId === a.referenceId)!;
    await page.check(`${table} tr[data-model="${a.modelId}"] input.pick-A`);
    await page.check(`${table} tr[data-model="${b.modelId}"] input.pick-B`);
    expect(await page.getAttribute(`${table} tr.is-a`, 'data-model')).toBe(a.modelId);
    expect(await page.getAttribute(`${table} tr.is-b`, 'data-model')).toBe(b.modelId);
    expect(page.url()).toContain(`a=${a.modelId}`);
  });

  it('class-wise accuracy draws a bar per class and model, on train and test', async () => {
    await openView('classwise');
    await page.waitForSelector('[data-mark="bar"]');
    // The left panel carries the pick over to every view.
    expect(await page.textContent('[data-testid="pick-A"]')).toContain(`ga · seed ${a.seed}`);
    expect(await page.textContent('[data-testid="pick-B"]')).toContain(`retrain · seed ${b.seed}`);
    expect(await count('[data-mark="bar"][data-side="a"]')).toBe(nonNull(a.details.perClass.train));
    expect(await count('[data-mark="bar"][data-side="b"]')).toBe(nonNull(b.details.perClass.train));
    await shot('classwise');
    await page.click('[aria-label="split"] button:has-text("Test set")');
    expect(await count('[data-mark="bar"]')).toBe(nonNull(a.details.perClass.test) + nonNull(b.details.perClass.test));
    // The forgotten class: B (retrain) never saw it, so its train accuracy there is far below A's retain classes.
    const title = await page.locator('[data-mark="bar"][data-side="b"] title').first().textContent();
    expect(title).toContain('model B');
  });

  it('prediction matrices draw k×k cells for A and for B, with the stored counts', async () => {
    await openView('matrix');
    const k = a.details.classNames.length;
    await page.waitForSelector('[data-mark="cell"]');
    expect(await count('[data-mark="cell"][data-side="A"]')).toBe(k * k);
    expect(await count('[data-mark="cell"][data-side="B"]')).toBe(k * k);
    // Cell (1, 1) of A: the title names the count evaluation stored.
    const t = await page.locator('[data-mark="cell"][data-side="A"]').nth(k + 1).locator('title').textContent();
    expect(t).toContain(`: ${a.details.confusion.train[k + 1]} (`);
    await shot('matrix');
  });

  it('layer-wise similarity draws a point per layer, model and reference', async () => {
    await openView('layers');
    await page.waitForSelector('[data-mark="point"]');
    const c = (m: EvaluatedModel) => nonNull(m.details.cka.vsOriginal) + nonNull(m.details.cka.vsRetrain);
    expect(await count('[data-mark="point"]')).toBe(c(a) + c(b));
    await shot('layers');
  });

  it('embedding space draws both projections and shows a hovered sample', async () => {
    await openView('embedding');
    await page.waitForSelector('[data-mark="point"]');
    const e = a.details.embedding;
    expect(await count('svg[aria-label="embedding of model A"] [data-mark="point"]')).toBe(e.ids.length);
    expect(await count('svg[aria-label="embedding of model B"] [data-mark="point"]')).toBe(b.details.embedding.ids.length);
    expect(await count('svg[aria-label="embedding of model A"] [data-forget]')).toBe(e.forget.filter(Boolean).length);
    // Hover the last-drawn forget sample (forget samples are drawn on top).
    await page.locator('svg[aria-label="embedding of model A"] [data-forget]').last().hover({ force: true });
    await page.waitForSelector('[data-testid="embedding-tooltip"]');
    await imagesLoaded('[data-testid="embedding-tooltip"]');
    const tip = (await page.textContent('[data-testid="embedding-tooltip"]'))!;
    expect(tip).toMatch(/Sample \d+/);
    const id = Number(/Sample (\d+)/.exec(tip)![1]);
    const i = e.ids.indexOf(id);
    expect(e.forget[i]).toBe(true);
    expect(tip).toContain(`Label: ${a.details.classNames[e.label[i]]}`);
    expect(tip).toContain(`A predicts: ${a.details.classNames[e.pred[i]]}`);
    await shot('embedding');
  });

  it('attack simulation draws both distributions, computes the privacy score and follows the threshold', async () => {
    await openView('attack');
    await page.waitForSelector('[data-mark="bar"][data-series="retrain"]');
    const n = a.details.forgetSamples.ids.length;
    // Every forget sample of both models lands in one bin: the bar heights' counts add up to 2n.
    const titles = await page.$$eval('[data-mark="bar"] title', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(titles.reduce((s, t) => s + Number(/: (\d+) samples/.exec(t)![1]), 0)).toBe(2 * n);
    expect(await count('[data-mark="bar"][data-series="model"]')).toBeGreaterThan(0);

    // The score shown is privacy.ts on the stored attack features.
    const f = (m: EvaluatedModel) => ({ entropy: m.details.forgetSamples.attackEntropy, confidence: m.details.forgetSamples.attackConfidence });
    const expected = privacyScore({ unlearn: f(a), retrain: f(b) }, { entropy: ENTROPY_GRID, confidence: CONFIDENCE_GRID }).score;
    expect(Number(await page.textContent('[data-testid="privacy-score"] .score-value'))).toBeCloseTo(expected, 3);
    await shot('attack');

    // Dragging the threshold moves it and switches the strategy to manual.
    const before = await page.textContent('[data-testid="attack-metrics"] dd');
    const handle = (await page.locator('[data-testid="threshold-handle"]').boundingBox())!;
    const chart = (await page.locator('svg.attack-chart').boundingBox())!;
    const target = handle.x + 6 < chart.x + chart.width / 2 ? chart.x + chart.width * 0.8 : chart.x + chart.width * 0.25;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(target, handle.y + handle.height / 2, { steps: 8 });
    await page.mouse.up();
    expect(await page.textContent('[data-testid="attack-metrics"] dd')).not.toBe(before);
    expect(await page.getAttribute('[aria-label="strategy"] button:has-text("Manual")', 'aria-checked')).toBe('true');
  });

  it('instances show forget samples as images with both predictions, most different first', async () => {
    await openView('instances');
    await page.waitForSelector('[data-mark="instance"]');
    const n = a.details.forgetSamples.ids.length;
    expect(await count('[data-mark="instance"]')).toBe(Math.min(48, n));
    await imagesLoaded('.instances');
    // The first card is a sample on which A and B disagree most: different classes when there are any.
    const idx = new Map(b.details.forgetSamples.ids.map((id, i) => [id, i]));
    const fa = a.details.forgetSamples;
    const anyDiffer = fa.ids.some((id, i) => fa.pred[i] !== b.details.forgetSamples.pred[idx.get(id)!]);
    const first = Number(await page.getAttribute('[data-mark="instance"]', 'data-id'));
    const i = fa.ids.indexOf(first);
    if (anyDiffer) expect(fa.pred[i]).not.toBe(b.details.forgetSamples.pred[idx.get(first)!]);
    await page.screenshot({ path: join(SHOTS, 'instances.png') });
    if (n > 48) {
      await page.click('button.more');
      expect(await count('[data-mark="instance"]')).toBe(n);
    }
  });
});

describe('jobs from the Run view', () => {
  const jobRow = (id: string) => `li.job[data-job="${id}"]`;

  async function startTrain(epochs: number): Promise<string> {
    await openView('run');
    await page.click('[aria-label="job kind"] button:has-text("Train")');
    await page.selectOption('select[name=data]', 'synthetic');
    await page.selectOption('select[name=arch]', 'mlp');
    await page.fill('input[name=epochs]', String(epochs));
    const known = new Set(await page.$$eval('li.job', (ls) => ls.map((l) => l.getAttribute('data-job'))));
    await page.click('button.primary:has-text("Start training")');
    await page.waitForFunction((ids) => document.querySelector('.form-submit [role=alert]')
      || Array.from(document.querySelectorAll('li.job')).some((l) => !ids.includes(l.getAttribute('data-job'))), [...known]);
    const refused = await page.locator('.form-submit [role=alert]').count();
    if (refused) throw new Error(`the server refused the job: ${await page.textContent('.form-submit [role=alert]')}`);
    const all = await page.$$eval('li.job', (ls) => ls.map((l) => l.getAttribute('data-job')!));
    return all.find((id) => !known.has(id))!;
  }

  /** Waits until the job's bar shows progress strictly between empty and full while it runs. */
  async function sawProgress(id: string) {
    await page.waitForFunction((sel) => {
      const li = document.querySelector(sel);
      const v = Number(li?.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow'));
      return li?.getAttribute('data-status') === 'running' && v > 0 && v < 100;
    }, jobRow(id), { timeout: 60_000, polling: 50 });
  }

  it('a training job shows progress and finishes', async () => {
    // Record every value the job bars take, so that a fast job's progress is seen however quickly it runs.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { job: string; status: string; value: number; text: string }[] };
      w.seen = [];
      new MutationObserver(() => {
        document.querySelectorAll('li.job').forEach((li) => w.seen.push({
          job: li.getAttribute('data-job')!,
          status: li.getAttribute('data-status')!,
          value: Number(li.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')),
          text: li.querySelector('.job-detail')?.textContent ?? '',
        }));
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const id = await startTrain(30);
    await page.waitForSelector(`${jobRow(id)}[data-status="done"]`, { timeout: 90_000 });
    const seen = await page.evaluate((job) => (window as unknown as { seen: { job: string; status: string; value: number; text: string }[] }).seen.filter((s) => s.job === job), id);
    const during = seen.filter((s) => s.status === 'running' && s.value > 0 && s.value < 100);
    expect(during.length).toBeGreaterThan(0);
    expect(during.some((s) => /\d+\/\d+/.test(s.text))).toBe(true);
    expect(await page.getAttribute(`${jobRow(id)} [role=progressbar]`, 'aria-valuenow')).toBe('100');
    expect(server.store.getJob(Number(id))?.status).toBe('done');
  });

  it('builds the unlearning form from each method\'s parameter schema, offering the methods that take the model\'s kind', async () => {
    const all = (await (await fetch(`${server.url}api/methods`)).json()) as { name: string; accepts: string[]; params: { properties?: object } }[];
    // The seeded store holds single networks: sisa (sharded) and analytic (analytic) are not offered for them.
    const methods = all.filter((m) => m.accepts.includes('single'));
    expect(methods.length).toBeLessThan(all.length);
    await openView('run');
    await page.click('[aria-label="job kind"] button:has-text("Unlearn")');
    const options = await page.$$eval('select[name=method] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(methods.map((m) => m.name));
    for (const m of methods) {
      await page.selectOption('select[name=method]', m.name);
      expect(await count('[name^="param-"]')).toBe(Object.keys(m.params.properties ?? {}).length);
    }
  });

  it('a comparison started with an exactly deletable model beside has its exact row, and a sharded model is offered only sisa and retrain', async () => {
    await openView('run');
    await page.click('[aria-label="job kind"] button:has-text("Unlearn")');
    const models = await page.$$eval('select[name=model] option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
    await page.selectOption('select[name=model]', models.find(([, t]) => t.includes('ensemble-2-mlp'))![0]);
    expect(await page.$$eval('select[name=method] option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['retrain', 'sisa']);
    await page.click('[aria-label="job kind"] button:has-text("Compare")');
    const exact = page.locator('input[name^="exact-"]');
    expect(await exact.count()).toBe(1);
    await exact.check();
    for (const m of await page.$$eval('input[name^="method-"]', (is) => is.map((i) => (i as HTMLInputElement).name))) {
      if (m !== 'method-ft') await page.uncheck(`input[name="${m}"]`);
    }
    await page.fill('input[name=seeds]', '1');
    await shot('run-compare-exact');
    const comparisons = async () => (await (await fetch(`${server.url}api/comparisons`)).json()) as { methods: string[]; created: string }[];
    const before = (await comparisons()).length;
    await page.click('button.primary:has-text("Start comparison")');
    await expect.poll(async () => (await comparisons()).length, { timeout: 120_000 }).toBe(before + 1);
    const newest = (await comparisons()).sort((a, b) => b.created.localeCompare(a.created))[0];
    expect(newest.methods).toEqual(['ft', 'sisa@ensemble-2-mlp']);
  });

  it('a cancelled job stops', async () => {
    const id = await startTrain(1000);
    await sawProgress(id);
    // The screenshot shows the schema-generated unlearning form beside the running job.
    await page.click('[aria-label="job kind"] button:has-text("Unlearn")');
    await page.selectOption('select[name=method]', (await page.$$eval('select[name=method] option', (os) => os.map((o) => (o as HTMLOptionElement).value))).includes('salun') ? 'salun' : 'ft');
    await shot('run');
    await page.click(`${jobRow(id)} button.cancel`);
    await page.waitForSelector(`${jobRow(id)}[data-status="cancelled"]`, { timeout: 30_000 });
    expect(await count(`${jobRow(id)} button.cancel`)).toBe(0);
    expect(server.store.getJob(Number(id))?.status).toBe('cancelled');
    expect(pageErrors).toEqual([]);
  });
});

describe('a comparison imported from prediction files', () => {
  let imported: Comparison;

  beforeAll(async () => {
    // The seeded comparison's models, written as exchange CSVs (as another framework would), then imported.
    const dir = join(home, 'predictions');
    mkdirSync(dir);
    for (const m of cmp.models) {
      await predictTask({ model: m.checkpoint, split: 'all', out: join(dir, `${m.role === 'original' ? 'original' : `${m.method}-seed${m.seed}`}.csv`) });
    }
    writeFileSync(join(dir, 'forget.txt'), Array.from(resolveForget(loadData({ name: SEED_DATA, trainSize: 600 }), cmp.forget).forget).join('\n'));
    imported = await importPredictions({ dir }, { out: dir, store: server.store });
  }, 120_000);

  it('opens with every model, and the weight-free views drawn', async () => {
    // A fresh load: the page lists the comparisons it finds at start.
    await page.goto(`${server.url}#view=experiments&c=${imported.id}`);
    await page.reload();
    await page.waitForSelector('[data-testid="view-experiments"] tr[data-model]');
    expect(await page.inputValue('select[aria-label="comparison"]')).toBe(imported.id);
    expect(await count('[data-testid="view-experiments"] tr[data-model]')).toBe(imported.models.length);
    await openView('classwise');
    await page.waitForSelector('[data-mark="bar"]');
    expect(await count('[data-mark="bar"]')).toBeGreaterThan(0);
    await openView('matrix');
    expect(await count('[data-mark="cell"]')).toBe(2 * imported.models[0].details.classNames.length ** 2);
    await openView('attack');
    await page.waitForSelector('[data-testid="view-attack"] svg');
    await openView('instances');
    await page.waitForSelector('[data-mark="instance"]');
    expect(await count('[data-mark="instance"]')).toBeGreaterThan(0);
  });

  it('the views that need weights say why they are empty', async () => {
    await openView('layers');
    expect(await page.textContent('[data-testid="view-layers"]')).toContain('imported from prediction files');
    await openView('embedding');
    expect(await page.textContent('[data-testid="view-embedding"]')).toContain('imported from prediction files');
    expect(pageErrors).toEqual([]);
  });
});
