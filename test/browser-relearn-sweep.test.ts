// The Relearning and Corrective sweep views in a real browser (Debian's Chromium through playwright-core) against the
// real server and store, on the seeded synthetic images: an MLP and `lethe compare` of ft and ga over two seeds on a
// random forget set (its relearning curves), and a backdoor-poisoned copy of the same data with `lethe compare
// --sweep manipulated:0.25,0.5` (one stored comparison per fraction, 1 added as the target). Counts the lines and
// points against the stored comparisons and checks each point's value, recomputed here from the stored models.
// Screenshots go where test/browser.test.ts puts its own (LETHE_SCREENSHOTS overrides).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetHash, writeManipulated } from '../src/data/formats/manipulated.ts';
import { manipulationOf } from '../src/data/manipulation.ts';
import { loadData } from '../src/data/registry.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import type { RunningServer } from '../src/server/server.ts';
import type { Comparison, EvaluatedModel } from '../src/shared/contract.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

const METHODS = ['ft', 'ga'];
const STEPS = [0, 1, 2, 5, 10, 20, 50];

let rig: BrowserRig | undefined;
let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let plain: Comparison;
let sweep: { fraction: number; id: string }[];
let lone: Comparison;
const pageErrors: string[] = [];

const count = (sel: string) => page.locator(sel).count();
const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}api/${path}`)).json() as Promise<T>;
const mean = (vs: number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;
/** Every point of a chart: its series, x, value and centre. */
const points = (chart: string) => page.$$eval(`${chart} [data-mark="point"]`, (es) => es.map((e) => ({
  series: e.closest('[data-series]')!.getAttribute('data-series')!, x: Number(e.getAttribute('data-x')), value: Number(e.getAttribute('data-value')),
  cx: Number(e.getAttribute('cx')), cy: Number(e.getAttribute('cy')),
})));
/** The rows of a comparison the views draw: original, retrain, then each method (the models of each). */
const rowsOf = (c: Comparison): [string, EvaluatedModel[]][] => [
  ['original', c.models.filter((m) => m.role === 'original')],
  ['retrain', c.models.filter((m) => m.role === 'retrain')],
  ...METHODS.map((k): [string, EvaluatedModel[]] => [k, c.models.filter((m) => m.role === 'method' && m.method === k)]),
];
/** Whether y positions are one linear map of the values (the same scale for every point), and higher values sit higher. */
function expectLinearY(ps: { value: number; cy: number }[]) {
  const [a, b] = [ps.reduce((x, y) => (y.value < x.value ? y : x)), ps.reduce((x, y) => (y.value > x.value ? y : x))];
  expect(b.value).toBeGreaterThan(a.value);
  const slope = (b.cy - a.cy) / (b.value - a.value);
  expect(slope).toBeLessThan(0);
  for (const p of ps) expect(p.cy).toBeCloseTo(a.cy + slope * (p.value - a.value), 6);
}

beforeAll(async () => {
  ({ home, server, browser, page } = rig = await openRig('lethe-relearn-sweep-', { errors: pageErrors }));
  const ctx = (out: string) => ({ out: join(home, out), store: server.store, modelDir: (m: string) => m });
  const base = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 5, seed: 1 }, cliEnv), ctx('base'));
  plain = await runTask('compare', parseTaskArgs('compare', { original: base.checkpoint, forget: 'class:1', methods: METHODS, seeds: 2 }, cliEnv), ctx('plain'));
  // The sweep: a 3x3 patch relabelled to class 1 on 60 of the training images.
  const src = loadData({ name: 'synthetic' });
  const data = join(home, 'poisoned');
  writeManipulated(data, manipulationOf(src, { kind: 'poison', count: 60, target: 1, seed: 2 }, { name: 'synthetic', hash: datasetHash(src) }));
  const poisoned = await runTask('train', parseTaskArgs('train', { data, model: 'mlp', epochs: 5, seed: 1 }, cliEnv), ctx('poisoned'));
  const r = await runTask('sweep', parseTaskArgs('sweep', { original: poisoned.checkpoint, sweep: 'manipulated:0.25,0.5:seed=1', methods: METHODS, seeds: 1 }, cliEnv), ctx('sweep'));
  sweep = r.comparisons.map((c) => ({ fraction: c.fraction, id: c.id }));
  // One identified fraction on its own (another selection seed, so another sweep): no target line.
  lone = await runTask('compare', parseTaskArgs('compare', { original: poisoned.checkpoint, forget: 'manipulated:0.5:seed=7', methods: ['ft'], seeds: 1 }, cliEnv), ctx('lone'));
}, 300_000);

afterAll(() => closeRig(rig));

describe('the Relearning view', () => {
  it('opens from its tab with the caption saying what the attack is', async () => {
    await page.goto(`${server.url}#view=experiments&c=${plain.id}`);
    await page.waitForSelector('[data-testid="view-experiments"] tr[data-model]');
    expect(await page.textContent('nav.tabs button[data-view="relearn"]')).toBe('Relearning');
    await page.click('nav.tabs button[data-view="relearn"]');
    await page.waitForSelector('[data-testid="view-relearn"] [data-testid="relearn-chart"]');
    expect(page.url()).toContain(`c=${plain.id}`);
    const caption = (await page.textContent('[data-testid="view-relearn"] .subtitle'))!;
    expect(caption).toContain('32 forget samples');
    expect(caption).toContain('0, 1, 2, 5, 10, 20 and 50 steps');
  });

  it('draws one line per row and one point per stored step, each the mean over the stored seeds', async () => {
    const c = await api<Comparison>(`comparisons/${plain.id}`);
    const rows = rowsOf(c);
    expect(rows.map(([, ms]) => ms.length)).toEqual([1, 2, 2, 2]);
    // The stored curves: every model has one, at the seven step counts, and its point at 10 is its relearnAcc.
    for (const m of c.models) {
      expect(m.relearnCurve!.map((p) => p.steps)).toEqual(STEPS);
      expect(m.relearnCurve!.find((p) => p.steps === 10)!.forgetAcc).toBe(m.metrics.relearnAcc);
    }
    const chart = '[data-testid="relearn-chart"]';
    expect(await page.$$eval(`${chart} [data-series]`, (es) => es.map((e) => e.getAttribute('data-series')))).toEqual(['original', 'retrain', ...METHODS]);
    expect(await count(`${chart} [data-mark="line"]`)).toBe(rows.length);
    const ps = await points(chart);
    expect(ps).toHaveLength(rows.length * STEPS.length);
    for (const [key, ms] of rows) {
      const mine = ps.filter((p) => p.series === key);
      expect(mine.map((p) => p.x)).toEqual(STEPS);
      for (const [i, s] of STEPS.entries()) expect(mine[i].value).toBeCloseTo(mean(ms.map((m) => m.relearnCurve![i].forgetAcc)), 9);
      // A categorical x axis: the same x for the same step on every line, evenly spaced.
      const gaps = mine.slice(1).map((p, i) => p.cx - mine[i].cx);
      for (const g of gaps) expect(g).toBeCloseTo(gaps[0], 6);
    }
    expectLinearY(ps);
    // Whiskers only where two seeds disagree (the original has one curve, so none).
    expect(await count(`${chart} [data-series="original"] [data-mark="whisker"]`)).toBe(0);
    // Retrain, the target, is dashed; the method lines are not.
    expect(await page.getAttribute(`${chart} [data-series="retrain"] [data-mark="line"]`, 'stroke-dasharray')).toBeTruthy();
    for (const k of ['original', ...METHODS]) expect(await page.getAttribute(`${chart} [data-series="${k}"] [data-mark="line"]`, 'stroke-dasharray')).toBeNull();
    const ticks = await page.$$eval(`${chart} g[data-axis="x"] > g > text`, (ts) => ts.map((t) => t.textContent));
    expect(ticks).toEqual(STEPS.map(String));
  });

  it('has a legend entry and a table row per line, with the same means', async () => {
    const c = await api<Comparison>(`comparisons/${plain.id}`);
    const legend = await page.$$eval('[data-testid="relearn-legend"] .legend-item', (es) => es.map((e) => e.textContent));
    expect(legend).toEqual(['original (do nothing)', 'retrain (the target), 2 seeds', 'ft, 2 seeds', 'ga, 2 seeds']);
    for (const [key, ms] of rowsOf(c)) {
      const cells = await page.$$eval(`[data-testid="relearn-table"] tr[data-row="${key}"] td`, (tds) => tds.map((td) => td.textContent));
      expect(cells.slice(2, 2 + STEPS.length)).toEqual(STEPS.map((_, i) => mean(ms.map((m) => m.relearnCurve![i].forgetAcc)).toFixed(1)));
    }
    await page.screenshot({ path: join(SHOTS, 'relearn-view.png'), fullPage: true });
  });
});

describe('the Corrective sweep view', () => {
  it('says a comparison on unmanipulated data has no sweep, and links the stored one', async () => {
    await page.click('nav.tabs button[data-view="sweep"]');
    await page.waitForSelector('[data-testid="view-sweep"] [data-testid="no-sweep"]');
    expect(await page.textContent('[data-testid="no-sweep"]')).toContain('class:1');
    expect(await count('[data-testid="view-sweep"] svg')).toBe(0);
    const links = await page.$$eval('[data-testid="stored-sweeps"] a', (as) => as.map((a) => a.getAttribute('data-sweep')));
    // Two sweeps are stored: the fractions of selection seed 1, and the lone one of seed 7 (the newest).
    expect(links).toHaveLength(2);
    expect(links[0]).toBe(lone.id);
    expect(sweep.map((s) => s.id)).toContain(links[1]);
    await page.screenshot({ path: join(SHOTS, 'sweep-none.png') });
    await page.click(`[data-testid="stored-sweeps"] a[data-sweep="${links[1]}"]`);
    await page.waitForSelector('[data-testid="view-sweep"] [data-testid="sweep-chart-accCorr"]');
    expect(page.url()).toContain(`c=${links[1]}`);
  });

  it('draws one line per row and one point per fraction, the target flat across, from the stored comparisons', async () => {
    expect(sweep.map((s) => s.fraction)).toEqual([0.25, 0.5, 1]);
    expect(await page.getAttribute('[data-testid="sweep"]', 'data-fractions')).toBe('0.25,0.5,1');
    const cs = await Promise.all(sweep.map((s) => api<Comparison>(`comparisons/${s.id}`)));
    for (const k of ['accCorr', 'cleanAcc'] as const) {
      const chart = `[data-testid="sweep-chart-${k}"]`;
      expect(await page.$$eval(`${chart} [data-series]`, (es) => es.map((e) => e.getAttribute('data-series')))).toEqual(['original', 'retrain', ...METHODS]);
      const ps = await points(chart);
      expect(ps).toHaveLength(4 * sweep.length);
      for (const [i, key] of ['original', 'retrain', ...METHODS].entries()) {
        const mine = ps.filter((p) => p.series === key);
        expect(mine.map((p) => p.x)).toEqual([0.25, 0.5, 1]);
        for (const [j, c] of cs.entries()) expect(mine[j].value).toBeCloseTo(mean(rowsOf(c)[i][1].map((m) => m.metrics[k]!)), 9);
        // x placed by the fraction itself: 0.25 and 0.5 sit at a quarter and a half of the way to 1.
        expect(mine[0].cx / mine[2].cx).toBeCloseTo(0.25, 6);
        expect(mine[1].cx / mine[2].cx).toBeCloseTo(0.5, 6);
      }
      expectLinearY(ps);
      // The target: retrain without every manipulated sample, one flat line at its value (where retrain's last point sits).
      expect(await count(`${chart} [data-mark="target"] line`)).toBe(1);
      const [y1, y2] = await page.$eval(`${chart} [data-mark="target"] line`, (l) => [Number(l.getAttribute('y1')), Number(l.getAttribute('y2'))]);
      expect(y1).toBe(y2);
      expect(y1).toBeCloseTo(ps.filter((p) => p.series === 'retrain')[2].cy, 6);
      expect(await page.textContent(`${chart} [data-mark="target"] title`)).toContain(mean(rowsOf(cs[2])[1][1].map((m) => m.metrics[k]!)).toFixed(2));
    }
    // The backdoor worked on the poisoned original, and retraining without all of it recovers (what the chart shows).
    const orig = rowsOf(cs[2])[0][1][0].metrics;
    expect(orig.accCorr!).toBeLessThan(orig.cleanAcc! - 40);
    expect(rowsOf(cs[2])[1][1][0].metrics.accCorr!).toBeGreaterThan(orig.accCorr! + 40);
    const legend = await page.$$eval('[data-testid="sweep-legend"] .legend-item', (es) => es.map((e) => e.textContent));
    expect(legend).toEqual(['retrain on fully cleaned data (target)', 'original (do nothing)', 'retrain without the identified', ...METHODS]);
    const head = await page.$$eval('[data-testid="sweep-table-accCorr"] th', (ths) => ths.map((th) => th.textContent));
    expect(head).toEqual(['accCorr (%)', ...cs.map((c, i) => `${[25, 50, 100][i]}% (${c.forgetCount})`)]);
    await page.screenshot({ path: join(SHOTS, 'sweep-view.png'), fullPage: true });
  });

  it('the same sweep opens from any of its comparisons, and a lone fraction says it has no target', async () => {
    await page.selectOption('select[aria-label="comparison"]', sweep[0].id);
    await page.waitForSelector(`[data-testid="view-sweep"] [data-testid="sweep"][data-fractions="0.25,0.5,1"]`);
    await page.selectOption('select[aria-label="comparison"]', lone.id);
    await page.waitForSelector('[data-testid="view-sweep"] [data-testid="no-target"]');
    expect(await page.textContent('[data-testid="no-target"]')).toContain('manipulated:1:seed=7');
    expect(await count('[data-testid="view-sweep"] svg')).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
