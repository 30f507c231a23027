// The Worst case vs random view in a real browser (Debian's Chromium through playwright-core) against the real server
// and store: an MLP on the first 1000 training images of fashion-mnist-mini, `lethe compare` of ft, ga and rl over two
// seeds on the worst-case 10% (worst:0.1:seed=1, the bi-level search with the original) and on a random 10%
// (random:0.1:seed=1), and a second, smaller pair (50 samples, ft, one seed) for the picker. Checks the empty states
// before the pairs exist, then every mark, cell and rank against the stored comparisons, recomputed here.
// Screenshots go where test/browser.test.ts puts its own (LETHE_SCREENSHOTS overrides).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import type { RunningServer } from '../src/server/server.ts';
import type { Comparison, EvaluatedModel } from '../src/shared/contract.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

const METHODS = ['ft', 'ga', 'rl'];

let rig: BrowserRig | undefined;
let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let checkpoint: string;
let worst: Comparison;
let random: Comparison;
let small: { worst: Comparison; random: Comparison };
const pageErrors: string[] = [];

const count = (sel: string) => page.locator(sel).count();
const attrs = (sel: string, name: string) => page.$$eval(sel, (es, n) => es.map((e) => e.getAttribute(n)), name);
const texts = (sel: string) => page.$$eval(sel, (es) => es.map((e) => e.textContent ?? ''));
const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}api/${path}`)).json() as Promise<T>;
const ctx = (out: string) => ({ out: join(home, out), store: server.store, modelDir: (m: string) => m });
const compare = (forget: string, methods: string[], seeds: number, out: string) =>
  runTask('compare', parseTaskArgs('compare', { original: checkpoint, forget, methods, seeds }, cliEnv), ctx(out));

const mean = (vs: number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;
const sd = (vs: number[]) => Math.sqrt(vs.reduce((a, b) => a + (b - mean(vs)) ** 2, 0) / (vs.length - 1));
/** "mean ± std" with two decimals, as the view prints a row over two seeds. */
const pm = (vs: number[]) => `${mean(vs).toFixed(2)} ± ${sd(vs).toFixed(2)}`;
const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(2)}`;
const models = (c: Comparison, method: string): EvaluatedModel[] => c.models.filter((m) => m.role === 'method' && m.method === method);
const gapOf = (c: Comparison, method: string) => c.table.find((r) => r.role === 'method' && r.label === method)!.stats.avgGap!;
/** Ranks as the paper's tables read: 1 for the smallest avgGap. */
const rankOf = (c: Comparison, method: string) => 1 + METHODS.filter((m) => gapOf(c, m).mean < gapOf(c, method).mean).length;

let loads = 0;
/** A fresh page load (a new query string: the same URL with another hash would not reload the comparisons). */
async function openView() {
  await page.goto(`${server.url}?load=${++loads}#view=worst`);
  await page.waitForSelector('[data-testid="view-worst"] :is([data-testid="no-pair-commands"], [data-testid="pair"] [data-testid="worst-random-chart"])');
}

beforeAll(async () => {
  ({ home, server, browser, page } = rig = await openRig('lethe-worst-random-', { errors: pageErrors }));
  ({ checkpoint } = await runTask('train', parseTaskArgs('train', { data: 'fashion-mnist-mini', trainSize: 1000, model: 'mlp', epochs: 3, seed: 1 }, cliEnv), ctx('original')));
}, 300_000);

afterAll(() => closeRig(rig));

describe('the Worst case vs random view', () => {
  it('with no comparison stored, says to run both sides', async () => {
    await openView();
    expect(await page.textContent('nav.tabs button[data-view="worst"]')).toBe('Worst vs random');
    expect(await page.textContent('nav.tabs [data-group="strict"] .tab-group-caption')).toBe('Strict evaluation');
    expect(await texts('[data-testid="no-pair-commands"] code')).toEqual([
      'lethe compare --original DIR --forget worst:0.1:seed=1',
      'lethe compare --original DIR --forget random:0.1:seed=1',
    ]);
    await page.screenshot({ path: join(SHOTS, 'worst-random-empty.png') });
  });

  it('with only the worst-case comparison, names the random one to run on the same original, methods and seeds', async () => {
    worst = await compare('worst:0.1:seed=1', METHODS, 2, 'worst');
    expect(worst.forgetCount).toBe(100);
    await openView();
    expect(await page.textContent('[data-testid="no-pair"]')).toContain('worst:0.1:seed=1');
    // The original's folder, as the store knows it.
    expect(await texts('[data-testid="no-pair-commands"] code')).toEqual([`lethe compare --original ${checkpoint} --forget random:0.1:seed=1 --methods ft,ga,rl --seeds 2`]);
    expect(await count('[data-testid="view-worst"] svg')).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'worst-random-half.png') });
  }, 300_000);

  it('pairs it with the random comparison of the same size and draws one row per method, two marks each, from the stored avgGaps', async () => {
    random = await compare('random:0.1:seed=1', METHODS, 2, 'random');
    expect(random.forgetCount).toBe(100);
    [worst, random] = await Promise.all([api<Comparison>(`comparisons/${worst.id}`), api<Comparison>(`comparisons/${random.id}`)]);
    await openView();
    expect(await page.getAttribute('[data-testid="pair"]', 'data-worst')).toBe(worst.id);
    expect(await page.getAttribute('[data-testid="pair"]', 'data-random')).toBe(random.id);
    expect(await attrs('select[aria-label="pair"] option', 'value')).toEqual([`${worst.id}+${random.id}`]);

    // Rows by rank on the random set (the stored table's avgGap), ties in the comparison's order.
    const order = [...METHODS].sort((a, b) => rankOf(random, a) - rankOf(random, b) || METHODS.indexOf(a) - METHODS.indexOf(b));
    const chart = '[data-testid="worst-random-chart"]';
    expect(await attrs(`${chart} [data-row]`, 'data-row')).toEqual(order);
    expect(await count(`${chart} circle[data-mark="a"]`)).toBe(3);
    expect(await count(`${chart} circle[data-mark="b"]`)).toBe(3);
    expect(await count(`${chart} [data-mark="link"]`)).toBe(3);
    for (const m of order) {
      const row = `${chart} [data-row="${m}"]`;
      const [r, w] = [gapOf(random, m), gapOf(worst, m)];
      // The table's avgGap is the mean over the seeds of each model's own.
      expect(r.mean).toBeCloseTo(mean(models(random, m).map((x) => x.metrics.avgGap!)), 9);
      expect(Number(await page.getAttribute(`${row} circle[data-mark="a"]`, 'data-value'))).toBeCloseTo(r.mean, 9);
      expect(Number(await page.getAttribute(`${row} circle[data-mark="b"]`, 'data-value'))).toBeCloseTo(w.mean, 9);
      expect(await page.textContent(`${row} [data-mark="diff"]`)).toBe(signed(w.mean - r.mean));
      // One x scale for both marks: the link runs from one to the other.
      const [cxa, cxb] = [Number(await page.getAttribute(`${row} circle[data-mark="a"]`, 'cx')), Number(await page.getAttribute(`${row} circle[data-mark="b"]`, 'cx'))];
      expect([Number(await page.getAttribute(`${row} [data-mark="link"]`, 'x1')), Number(await page.getAttribute(`${row} [data-mark="link"]`, 'x2'))]).toEqual([cxa, cxb]);
      expect(Math.sign(cxb - cxa)).toBe(Math.sign(w.mean - r.mean));
    }
    await page.screenshot({ path: join(SHOTS, 'worst-random-view.png'), fullPage: true });
  }, 300_000);

  it('the table has each method\'s avgGap on both sets, the difference and both ranks; the distances come from the stored models', async () => {
    const order = await attrs('[data-testid="worst-random-chart"] [data-row]', 'data-row') as string[];
    expect(await attrs('[data-testid="worst-random-table"] tbody tr', 'data-row')).toEqual(order);
    for (const m of order) {
      const cells = await texts(`[data-testid="worst-random-table"] tr[data-row="${m}"] td`);
      const [r, w] = [models(random, m).map((x) => x.metrics.avgGap!), models(worst, m).map((x) => x.metrics.avgGap!)];
      expect(cells.slice(0, 6)).toEqual([m, '2', pm(r), pm(w), signed(mean(w) - mean(r)), String(rankOf(random, m))]);
      expect(cells[6].replace(/ [↑↓]$/, '')).toBe(String(rankOf(worst, m)));
      // |ΔUA|, |ΔRA|, |ΔTA|, |ΔMIA| per seed against the model's own retrained reference, random then worst case.
      const dist = (c: Comparison, k: 'UA' | 'RA' | 'TA' | 'mia') => models(c, m).map((x) => Math.abs(x.metrics[k]! - c.models.find((y) => y.modelId === x.referenceId)!.metrics[k]!));
      const gaps = await texts(`[data-testid="worst-random-gaps"] tr[data-row="${m}"] td`);
      expect(gaps).toEqual([m, ...(['UA', 'RA', 'TA', 'mia'] as const).flatMap((k) => [pm(dist(random, k)), pm(dist(worst, k))])]);
      // Their mean is the model's avgGap.
      for (const c of [random, worst]) {
        const ds = (['UA', 'RA', 'TA', 'mia'] as const).map((k) => dist(c, k));
        models(c, m).forEach((x, i) => expect(mean(ds.map((d) => d[i]))).toBeCloseTo(x.metrics.avgGap!, 9));
      }
    }
  });

  it("shows retraining's own UA on both sets, and each method's UA beside it", async () => {
    const ua = (c: Comparison) => c.models.filter((m) => m.role === 'retrain').map((m) => m.metrics.UA!);
    expect(ua(worst)).toHaveLength(2);
    const text = (await page.textContent('[data-testid="retrain-ua"]'))!;
    expect(await page.textContent('[data-testid="retrain-ua"] b[data-side="worst"]')).toBe(`${pm(ua(worst))}%`);
    expect(await page.textContent('[data-testid="retrain-ua"] b[data-side="random"]')).toBe(`${pm(ua(random))}%`);
    expect(text).toContain(`(${signed(mean(ua(worst)) - mean(ua(random)))} points)`);
    expect(text).toContain(mean(ua(worst)) < mean(ua(random)) ? 'Lower, as Fan et al. found' : 'Not lower here');
    const chart = '[data-testid="worst-random-ua"]';
    const order = await attrs('[data-testid="worst-random-chart"] [data-row]', 'data-row');
    expect(await attrs(`${chart} [data-row]`, 'data-row')).toEqual(['retrain', ...order]);
    expect(Number(await page.getAttribute(`${chart} [data-row="retrain"] circle[data-mark="a"]`, 'data-value'))).toBeCloseTo(mean(ua(random)), 9);
    expect(Number(await page.getAttribute(`${chart} [data-row="retrain"] circle[data-mark="b"]`, 'data-value'))).toBeCloseTo(mean(ua(worst)), 9);
    for (const m of METHODS) {
      expect(Number(await page.getAttribute(`${chart} [data-row="${m}"] circle[data-mark="b"]`, 'data-value'))).toBeCloseTo(mean(models(worst, m).map((x) => x.metrics.UA!)), 9);
    }
    // Two seeds that disagree draw a whisker; the retrained references' UA spread is the stored one.
    const whiskers = await count(`${chart} [data-row="retrain"] [data-mark="whisker"]`);
    expect(whiskers).toBe([ua(random), ua(worst)].filter((v) => sd(v) > 0).length);
  });

  it('lets the user pick among pairs, and follows the comparison chosen in the header', async () => {
    small = { worst: await compare('worst:50:seed=2', ['ft'], 1, 'small-worst'), random: await compare('random:50:seed=2', ['ft'], 1, 'small-random') };
    await openView();
    // The newest pair first; the header's default comparison (the newest) is in it.
    expect(await attrs('select[aria-label="pair"] option', 'value')).toEqual([`${small.worst.id}+${small.random.id}`, `${worst.id}+${random.id}`]);
    expect(await page.getAttribute('[data-testid="pair"]', 'data-worst')).toBe(small.worst.id);
    expect(await attrs('[data-testid="worst-random-chart"] [data-row]', 'data-row')).toEqual(['ft']);
    // One seed: no whiskers, no ±.
    expect(await count('[data-testid="worst-random-chart"] [data-mark="whisker"]')).toBe(0);
    expect((await texts('[data-testid="worst-random-table"] tr[data-row="ft"] td'))[2]).toBe(gapOf(small.random, 'ft').mean.toFixed(2));
    await page.screenshot({ path: join(SHOTS, 'worst-random-small.png'), fullPage: true });
    await page.selectOption('select[aria-label="pair"]', `${worst.id}+${random.id}`);
    await page.waitForSelector(`[data-testid="pair"][data-worst="${worst.id}"]`);
    expect(page.url()).toContain(`c=${worst.id}`);
    expect(await count('[data-testid="worst-random-chart"] [data-row]')).toBe(3);
    // The random side of the small pair, picked in the header, brings its pair back.
    await page.selectOption('select[aria-label="comparison"]', small.random.id);
    await page.waitForSelector(`[data-testid="pair"][data-worst="${small.worst.id}"]`);
    expect(await count('[data-testid="pair-note"]')).toBe(0);
  }, 300_000);

  it('a comparison in no pair (a random set with no worst-case one of its size) says so and shows the newest pair', async () => {
    const lone = await compare('random:30:seed=1', ['ft'], 1, 'lone');
    await openView();
    // The newest comparison is the header's default; the pairs are the same two.
    expect(await page.$eval('select[aria-label="comparison"]', (e) => (e as HTMLSelectElement).value)).toBe(lone.id);
    expect(await attrs('select[aria-label="pair"] option', 'value')).toEqual([`${small.worst.id}+${small.random.id}`, `${worst.id}+${random.id}`]);
    expect(await page.getAttribute('[data-testid="pair"]', 'data-worst')).toBe(small.worst.id);
    expect(await page.textContent('[data-testid="pair-note"]')).toBe('The comparison chosen above (forget random:30:seed=1) is in no pair; showing the newest pair.');
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
