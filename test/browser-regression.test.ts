// A regression comparison in a real browser (Debian's Chromium through playwright-core) against the real server and a
// real SQLite store: an MLP regressor trained on the committed diabetes set and compared on `target:250..` (ft and
// blindspot, two seeds), and a synthetic classifier beside it. Checks that the Experiments view shows the regression
// columns and no classification one, that the class views are disabled tabs for a regressor, that the Predictions
// view draws every probe sample paired with its retrained reference's prediction (numbers recomputed here from the
// API's stored predictions), and that the Run form offers a regressor only what serves regression and starts a
// regression comparison that the store records. Screenshots go where test/browser.test.ts puts its own.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGRESSION_SETTING } from '../src/jobs/demo-task.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import type { RunningServer } from '../src/server/server.ts';
import type { Comparison, EvaluatedModel } from '../src/shared/contract.ts';
import type { ApiModel, MethodInfo } from '../src/shared/http.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

const FORGET = REGRESSION_SETTING.forget;
const METHODS = ['ft', 'blindspot'];

let rig: BrowserRig | undefined;
let server: RunningServer;
let page: Page;
let comparison: Comparison;
let tunedComparison: Comparison;
let regressor = '';
let classifier = '';
const pageErrors: string[] = [];

const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}api/${path}`)).json() as Promise<T>;
const texts = (sel: string) => page.$$eval(sel, (es) => es.map((e) => (e.textContent ?? '').trim()));
const options = (sel: string) => page.$$eval(`${sel} option`, (os) => os.map((o) => (o as HTMLOptionElement).value));
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

beforeAll(async () => {
  let home: string;
  ({ home, server, page } = rig = await openRig('lethe-regression-ui-', { errors: pageErrors }));
  const ctx = (out: string) => ({ out: join(home, out), store: server.store, modelDir: (m: string) => m });
  const reg = await runTask('train', parseTaskArgs('train', { ...REGRESSION_SETTING.train, epochs: 30 }, cliEnv), ctx('regressor'));
  const cls = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 5, seed: 1 }, cliEnv), ctx('classifier'));
  comparison = await runTask('compare', parseTaskArgs('compare', { original: reg.checkpoint, forget: FORGET, methods: METHODS, seeds: 2 }, cliEnv), ctx('compare'));
  await runTask('tune', parseTaskArgs('tune', { original: reg.checkpoint, forget: FORGET, methods: METHODS, budget: 4, seeds: 2, parallel: 1 }, cliEnv), ctx('tune'));
  tunedComparison = await runTask('compare', parseTaskArgs('compare', { original: reg.checkpoint, forget: FORGET, methods: METHODS, seeds: 1, tuned: true }, cliEnv), ctx('tuned'));
  const models = await api<ApiModel[]>('models');
  regressor = models.find((m) => m.task === 'regression' && m.method === 'train')!.id;
  classifier = models.find((m) => m.task === 'classification' && m.method === 'train')!.id;
  expect(cls.checkpoint).toBeTruthy();
}, 300_000);

afterAll(() => closeRig(rig));

describe('a regression comparison in the UI', () => {
  it('the API tells the task of the comparison, the models and the methods', async () => {
    expect(comparison.task).toBe('regression');
    expect(comparison.target).toBe('progression');
    const methods = await api<MethodInfo[]>('methods');
    expect(methods.find((m) => m.name === 'blindspot')!.tasks).toContain('regression');
    expect(methods.find((m) => m.name === 'scrub')!.tasks).toEqual(['classification']);
    expect(methods.find((m) => m.name === 'ft')!.tasks).toEqual(['classification', 'regression']);
  });

  it('the Experiments view shows the L1 errors and gap, and none of the classification metrics', async () => {
    await page.goto(`${server.url}#view=experiments&c=${comparison.id}`);
    await page.waitForSelector('[data-testid="view-experiments"] tr[data-model]');
    const headers = await texts('[data-testid="view-experiments"] th');
    for (const h of ['forget L1', 'test L1', 'L1 gap']) expect(headers).toContain(h);
    for (const h of ['UA', 'RA', 'TA', 'avgGap']) expect(headers).not.toContain(h);
    // The summary table has a row per method, retrain and the original, in the same columns.
    const summary = await texts('[data-testid="summary-table"] th');
    expect(summary).toContain('forget L1');
    expect(summary).not.toContain('UA');
    await shot('experiments-regression');
  });

  it('the classification views are disabled tabs that say why; the layer view is not', async () => {
    for (const v of ['classwise', 'matrix', 'embedding', 'attack', 'instances', 'relearn', 'sweep']) {
      const tab = `nav.tabs button[data-view="${v}"]`;
      expect(await page.isDisabled(tab)).toBe(true);
      expect(await page.getAttribute(tab, 'title')).toMatch(/classif/i);
    }
    expect(await page.isDisabled('nav.tabs button[data-view="layers"]')).toBe(false);
    expect(await page.isDisabled('nav.tabs button[data-view="predictions"]')).toBe(false);
    // A link to an unserved view says so in one line instead of drawing a class chart.
    await page.goto(`${server.url}#view=classwise&c=${comparison.id}`);
    await page.waitForSelector('[data-testid="view-classwise"]');
    expect(await page.textContent('[data-testid="view-classwise"]')).toMatch(/regress/i);
  });

  it('the Predictions view pairs every probe sample with its reference’s prediction, with the distances recomputed from the API', async () => {
    // Model A: blindspot's second seed; B: the original, so that the two panels differ.
    const pickA = comparison.models.find((m) => m.method === 'blindspot' && m.seed === comparison.seeds[1])!;
    const pickB = comparison.models.find((m) => m.role === 'original')!;
    await page.goto(`${server.url}#view=predictions&c=${comparison.id}&a=${pickA.modelId}&b=${pickB.modelId}`);
    await page.waitForSelector('[data-testid="predictions-A"] [data-mark="point"]');
    await page.waitForSelector('[data-testid="predictions-B"] [data-mark="point"]');
    // The pick cards show the task's key metrics.
    expect(await page.textContent('[data-testid="pick-A"]')).toContain('forget L1');
    expect(await page.textContent('[data-testid="pick-A"]')).not.toContain('UA');
    const a = await api<EvaluatedModel>(`comparisons/${comparison.id}/models/${pickA.modelId}`);
    expect(a.method).toBe('blindspot');
    const ref = await api<EvaluatedModel>(`comparisons/${comparison.id}/models/${pickA.referenceId}`);
    expect(ref.role).toBe('retrain');
    const ra = a.details.regression!;
    const rr = ref.details.regression!;
    const refPred = new Map(rr.ids.map((id, i) => [id, rr.pred[i]]));
    const forgetRows = ra.ids.flatMap((_, i) => (ra.forget[i] ? [i] : []));
    expect(forgetRows.length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="predictions-A"] [data-mark="point"]').count()).toBe(ra.ids.length);
    expect(await page.locator('[data-testid="predictions-A"] [data-mark="point"][data-forget]').count()).toBe(forgetRows.length);
    expect(await page.locator('[data-testid="predictions-A"] [data-mark="diagonal"]').count()).toBe(1);
    const cells = async (side: string, row: string) => texts(`[data-testid="predictions-${side}"] tr[data-row="${row}"] td`);
    const forgetCells = await cells('A', 'forget');
    expect(forgetCells[1]).toBe(String(forgetRows.length));
    const meanAbs = mean(forgetRows.map((i) => Math.abs(ra.pred[i] - refPred.get(ra.ids[i])!)));
    expect(Number(forgetCells[2])).toBeCloseTo(meanAbs, 1);
    await shot('predictions');

    // Against the true target: the forget row's distance is the model's forget L1, as the metric map computed it.
    await page.click('[aria-label="x axis"] button:has-text("true target")');
    await page.waitForFunction(([sel, old]) => document.querySelector(sel)?.textContent !== old,
      ['[data-testid="predictions-A"] tr[data-row="forget"] td:nth-child(3)', forgetCells[2]] as const);
    const againstTarget = await cells('A', 'forget');
    expect(Number(againstTarget[2])).toBeCloseTo(a.metrics.forgetL1!, 1);
    expect(Number(againstTarget[2])).toBeCloseTo(mean(forgetRows.map((i) => Math.abs(ra.pred[i] - ra.target[i]))), 1);
    expect(await page.textContent('[data-testid="predictions-A"]')).toContain('true progression');
  });

  it('the Tuning view of a tuned regression comparison names its score, the L1 gap, in the target\'s units', async () => {
    await page.goto(`${server.url}#view=tuning&c=${tunedComparison.id}`);
    await page.waitForSelector('[data-testid="tuning"] [data-testid="tuning-scatter"]');
    expect(await page.textContent('[data-testid="score-definition"]')).toMatch(/^Score: L1 gap, .* in the target's units; lower is better\.$/);
    expect(await page.$$eval('[data-testid="tuning-method"]', (es) => es.map((e) => e.getAttribute('data-method')))).toEqual(METHODS);
    // Every scatter's y axis is the L1 gap; none says avgGap.
    const labels = await texts('[data-testid="tuning-scatter"] text.axis-label');
    expect(labels.filter((t) => t.startsWith('mean '))).toEqual(Array(await page.locator('[data-testid="tuning-scatter"]').count()).fill("mean L1 gap (the target's units)"));
    expect(await page.textContent('[data-testid="tuning"]')).not.toContain('avgGap');
    await shot('tuning-regression');
  });

  it('the Run form offers a regressor only its methods and forget kinds, a classifier its own', async () => {
    const methods = await api<MethodInfo[]>('methods');
    const serving = (task: string) => methods.filter((m) => m.accepts.includes('single') && m.tasks.includes(task as never)).map((m) => m.name);
    await page.goto(`${server.url}#view=run`);
    await page.click('[aria-label="job kind"] button:has-text("Unlearn")');
    await page.selectOption('select[name=model]', regressor);
    expect(await options('select[name=method]')).toEqual(serving('regression'));
    expect(await options('select[name=forgetKind]')).toContain('target');
    expect(await options('select[name=forgetKind]')).not.toContain('class');
    await page.selectOption('select[name=forgetKind]', 'target');
    expect(await page.inputValue('input[name=targetMin]')).toBe('250');
    await shot('regression-run-unlearn');
    await page.selectOption('select[name=model]', classifier);
    expect(await options('select[name=method]')).toEqual(serving('classification'));
    expect(await options('select[name=forgetKind]')).not.toContain('target');
    expect(await options('select[name=forgetKind]')).toContain('class');
  });

  it('trains a regressor from the Run form: diabetes is marked regression and offered one kind of model, a single network', async () => {
    await page.click('[aria-label="job kind"] button:has-text("Train")');
    expect(await page.textContent('select[name=data] option[value="diabetes"]')).toBe('diabetes (regression)');
    expect(await options('select[name=kind]')).toContain('sharded');
    await page.selectOption('select[name=data]', 'diabetes');
    expect(await options('select[name=kind]')).toEqual(['single']);
    await page.selectOption('select[name=arch]', 'mlp');
    await page.fill('input[name=epochs]', '3');
    const before = (await api<ApiModel[]>('models')).length;
    await page.click('button.primary:has-text("Start training")');
    await expect.poll(async () => (await api<ApiModel[]>('models')).length, { timeout: 60_000 }).toBe(before + 1);
    const trained = (await api<ApiModel[]>('models')).find((m) => m.id !== regressor && m.method === 'train' && m.task === 'regression');
    expect(trained).toBeDefined();
    await page.waitForSelector('li.job[data-status="done"]');
  });

  it('starts a regression comparison from the Run form, and the store records it', async () => {
    await page.click('[aria-label="job kind"] button:has-text("Compare")');
    await page.selectOption('select[name=original]', regressor);
    await page.selectOption('select[name=forgetKind]', 'target');
    await page.fill('input[name=targetMin]', '200');
    for (const m of await page.$$eval('input[name^="method-"]', (is) => is.map((i) => (i as HTMLInputElement).name))) {
      if (m !== 'method-blindspot') await page.uncheck(`input[name="${m}"]`);
    }
    await page.fill('input[name=seeds]', '1');
    const before = (await api<Comparison[]>('comparisons')).length;
    await page.click('button.primary:has-text("Start comparison")');
    await expect.poll(async () => (await api<Comparison[]>('comparisons')).length, { timeout: 120_000 }).toBe(before + 1);
    const newest = (await api<Comparison[]>('comparisons')).sort((x, y) => y.created.localeCompare(x.created))[0];
    expect(newest.methods).toEqual(['blindspot']);
    expect(newest.task).toBe('regression');
    expect(newest.forget).toMatchObject({ kind: 'target', min: 200 });
    expect(pageErrors).toEqual([]);
  });
});
