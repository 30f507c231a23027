// The Forgetting quality view in a real browser (Debian's Chromium through playwright-core) against the real server,
// a real SQLite store and real banks: an MLP on the synthetic set, a bank of N = 4 eu-k runs against 4 retrained
// models on a random forget set that a comparison also ran, and a bank of ft on a forget set no comparison ran.
// (eu-k re-initialises the last layer: about a quarter of its forget examples are not fully told apart from
// retraining at N = 4, so the histogram has bars below the cap as well as the capped ones.)
// Counts the histogram's bars, buckets and cap against the stored per-example ε, the leaking examples' images
// against the stored order, and follows one into the Instances view. Screenshots go where test/browser.test.ts
// puts its own (`LETHE_SCREENSHOTS=DIR`).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import type { RunningServer } from '../src/server/server.ts';
import type { Comparison } from '../src/shared/contract.ts';
import type { ApiBankRecord } from '../src/shared/http.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

const FORGET = 'random:60:seed=1';

let rig: BrowserRig | undefined;
let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let euk: ApiBankRecord;
let ft: ApiBankRecord;
let cmp: Comparison;
const pageErrors: string[] = [];

const count = (sel: string) => page.locator(sel).count();
const attrs = (sel: string, name: string) => page.$$eval(sel, (es, n) => es.map((e) => e.getAttribute(n)), name);
const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}api/${path}`)).json() as Promise<T>;

beforeAll(async () => {
  ({ home, server, browser, page } = rig = await openRig('lethe-quality-', { errors: pageErrors }));
  const ctx = (out: string) => ({ out: join(home, out), store: server.store, modelDir: (m: string) => m });
  const { checkpoint } = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 3, seed: 2 }, cliEnv), ctx('original'));
  const bank = (method: string, forget: string) => runTask('bank', parseTaskArgs('bank', { original: checkpoint, forget, method, n: 4, samples: 40, parallel: 1 }, cliEnv), ctx(`bank-${method}`));
  const eukId = (await bank('eu-k', FORGET)).id;
  const ftId = (await bank('ft', 'random:20:seed=2')).id;
  cmp = await runTask('compare', parseTaskArgs('compare', { original: checkpoint, forget: FORGET, methods: ['eu-k'], seeds: 1 }, cliEnv), ctx('compare'));
  [euk, ft] = await Promise.all([api<ApiBankRecord>(`banks/${eukId}`), api<ApiBankRecord>(`banks/${ftId}`)]);
}, 300_000);

afterAll(() => closeRig(rig));

describe('the Forgetting quality view', () => {
  it('opens from its tab on the newest bank, and the picker lists every stored bank', async () => {
    await page.goto(`${server.url}#view=experiments`);
    await page.waitForSelector('[data-testid="view-experiments"] tr[data-model]');
    expect(await page.textContent('nav.tabs button[data-view="quality"]')).toBe('Forgetting quality');
    await page.click('nav.tabs button[data-view="quality"]');
    await page.waitForSelector(`[data-testid="view-quality"] [data-testid="bank"][data-bank="${ft.id}"]`);
    expect(await attrs('select[aria-label="bank"] option', 'value')).toEqual([ft.id, euk.id]);
    await page.selectOption('select[aria-label="bank"]', euk.id);
    await page.waitForSelector(`[data-testid="bank"][data-bank="${euk.id}"]`);
    expect(page.url()).toContain(`bank=${euk.id}`);
  });

  it("shows the bank's N, scores and KLOM medians as stored", async () => {
    expect(await page.textContent('[data-testid="bank-n"]')).toBe('N = 4');
    expect(await page.textContent('[data-testid="bank-method"]')).toContain('eu-k');
    expect(await page.textContent('[data-testid="forget-score"]')).toBe(`${euk.epsilon.forgetScore.toFixed(4)} of 1`);
    expect(await page.textContent('[data-testid="final-score"]')).toBe(euk.epsilon.score.toFixed(4));
    const median = euk.epsilon.median >= 2 ? '≥ 2 (the cap)' : euk.epsilon.median.toFixed(2);
    expect(await page.textContent('[data-testid="median-epsilon"]')).toBe(`${median} · ${euk.epsilon.capped} of 60 at the cap`);
    expect(await page.textContent('[data-testid="klom"]')).toBe(`forget ${euk.klom.forget.median.toFixed(3)} · retain ${euk.klom.retain.median.toFixed(3)} · test ${euk.klom.test.median.toFixed(3)}`);
  });

  it('draws one bar per non-empty ε bin, its count the stored ε in it, inside 2·cap buckets, with the cap marked', async () => {
    const eps = euk.examples.epsilon;
    const cap = Math.ceil(Math.log(4 - 1));
    expect(cap).toBe(2);
    const svg = '[data-testid="epsilon-histogram"]';
    expect(await page.getAttribute(svg, 'data-cap')).toBe('2');
    expect(await attrs(`${svg} [data-mark="cap"]`, 'data-value')).toEqual(['2']);
    // Four buckets of 0.5 below the cap, worth 1, 1/2, 1/4, 1/8; each holds the stored ε in it.
    const buckets = await page.$$eval(`${svg} [data-mark="bucket"]`, (es) => es.map((e) => ['data-x0', 'data-x1', 'data-points', 'data-count'].map((k) => Number(e.getAttribute(k)))));
    expect(buckets).toEqual([0, 1, 2, 3].map((i) => [i / 2, (i + 1) / 2, 2 ** -i, eps.filter((e) => e >= i / 2 && e < (i + 1) / 2).length]));
    const bars = await page.$$eval(`${svg} [data-mark="bar"]`, (es) => es.map((e) => ['data-x0', 'data-x1', 'data-count'].map((k) => Number(e.getAttribute(k)))));
    // Bins are 1/8 wide: the non-empty ones are the distinct floor(8ε) of the ε below the cap.
    const below = eps.filter((e) => e < cap);
    expect(below.length).toBeGreaterThan(0);
    expect(bars.map(([x0]) => x0 * 8)).toEqual([...new Set(below.map((e) => Math.floor(e * 8)))].sort((a, b) => a - b));
    for (const [x0, x1, n] of bars) {
      expect(x1 - x0).toBe(0.125);
      expect(n).toBe(eps.filter((e) => e >= x0 && e < x1).length);
    }
    const over = eps.filter((e) => e >= cap).length;
    expect(over).toBe(euk.epsilon.capped);
    expect(await attrs(`${svg} [data-mark="over"]`, 'data-count')).toEqual(over ? [String(over)] : []);
    expect(bars.reduce((a, [, , n]) => a + n, 0) + over).toBe(60);
    // The bucket table adds up to the stored forget score.
    expect(await page.textContent('[data-testid="bucket-table"] tbody tr:last-child td:last-child')).toBe(euk.epsilon.forgetScore.toFixed(4));
    await page.screenshot({ path: join(SHOTS, 'quality-view.png'), fullPage: true });
    await page.locator(svg).screenshot({ path: join(SHOTS, 'quality-histogram.png') });
  });

  it('shows the 24 examples with the highest ε as images, in the stored order, each linking to the Instances view', async () => {
    const x = euk.examples;
    const gap = (i: number) => Math.abs(x.unlearnedMedian[i] - x.retrainedMedian[i]);
    const order = x.ids.map((_, i) => i).sort((a, b) => x.epsilon[b] - x.epsilon[a] || gap(b) - gap(a) || x.ids[a] - x.ids[b]).slice(0, 24);
    const leaks = '[data-testid="leaks"] [data-mark="leak"]';
    expect(await count(leaks)).toBe(24);
    expect((await attrs(leaks, 'data-id')).map(Number)).toEqual(order.map((i) => x.ids[i]));
    expect((await attrs(leaks, 'data-epsilon')).map(Number)).toEqual(order.map((i) => x.epsilon[i]));
    await page.waitForFunction(() => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="leaks"] img'));
      return imgs.length === 24 && imgs.every((i) => i.complete && i.naturalWidth === 32);
    }, undefined, { timeout: 20_000 });
    expect((await attrs(`${leaks} img`, 'src'))[0]).toBe(`/api/samples/synthetic/${x.ids[order[0]]}.png`);
    const hrefs = await attrs(leaks, 'href');
    const euk1 = cmp.models.find((m) => m.method === 'eu-k')!;
    expect(hrefs[0]).toBe(`#view=instances&c=${cmp.id}&a=${euk1.modelId}&b=${euk1.referenceId}&s=${x.ids[order[0]]}`);
    await page.locator('[data-testid="leaks"]').screenshot({ path: join(SHOTS, 'quality-leaks.png') });
  });

  it('a click opens the Instances view of the comparison of that setting, the sample first and outlined', async () => {
    const first = (await attrs('[data-testid="leaks"] [data-mark="leak"]', 'data-id'))[0]!;
    await page.click(`[data-testid="leaks"] [data-mark="leak"][data-id="${first}"]`);
    await page.waitForSelector('[data-testid="view-instances"] [data-mark="instance"][data-focused="true"]');
    expect(page.url()).toContain(`c=${cmp.id}`);
    expect(page.url()).toContain(`s=${first}`);
    expect(await attrs('[data-testid="view-instances"] [data-mark="instance"][data-focused="true"]', 'data-id')).toEqual([first]);
    expect((await attrs('[data-testid="view-instances"] [data-mark="instance"]', 'data-id'))[0]).toBe(first);
    expect(await page.textContent('[data-testid="focus-note"]')).toBe(`Sample #${first} is shown first, outlined.`);
    await page.screenshot({ path: join(SHOTS, 'quality-instances.png') });
    // Another tab forgets the sample.
    await page.click('nav.tabs button[data-view="experiments"]');
    expect(page.url()).not.toContain('s=');
  });

  it('a bank no comparison ran says how to make one, and its examples are not links', async () => {
    await page.goto(`${server.url}#view=quality&bank=${ft.id}`);
    await page.waitForSelector(`[data-testid="bank"][data-bank="${ft.id}"]`);
    expect(await page.textContent('[data-testid="no-comparison"]')).toContain('lethe compare --original DIR --forget random:20:seed=2 --methods ft');
    expect(await count('[data-testid="leaks"] [data-mark="leak"]')).toBe(20);
    expect(await count('[data-testid="leaks"] a')).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'quality-ft.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
