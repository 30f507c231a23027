// The Per-example attack view in a real browser (Debian's Chromium through playwright-core) against the real server
// and store: an MLP on the synthetic set, `lethe ulira` of ft with K = 6 shadow models, 30 targets and 30 retain
// examples, and of ga on the same shadows (taken from the store). Checks the empty state first, then the headline
// against the record, every histogram bar's count against the stored per-example accuracies (binned here by hand: one
// bin per multiple of 100/6), the exposed examples' order and images, and, after a comparison that forgets the targets
// (`--forget` with their ids), the click into the Instances view. Screenshots go where test/browser.test.ts puts its
// own (LETHE_SCREENSHOTS overrides).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import type { RunningServer } from '../src/server/server.ts';
import type { Comparison } from '../src/shared/contract.ts';
import type { ApiUliraRecord, ApiUliraSummary } from '../src/shared/http.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

const K = 6;

let rig: BrowserRig | undefined;
let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let checkpoint: string;
let ft: ApiUliraRecord;
let ga: ApiUliraRecord;
const pageErrors: string[] = [];

const count = (sel: string) => page.locator(sel).count();
const attrs = (sel: string, name: string) => page.$$eval(sel, (es, n) => es.map((e) => e.getAttribute(n)), name);
const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}api/${path}`)).json() as Promise<T>;
const ctx = (out: string) => ({ out: join(home, out), store: server.store, modelDir: (m: string) => m });
const ulira = (method: string) => runTask('ulira', parseTaskArgs('ulira', { original: checkpoint, method, shadows: K, targets: 30, retain: 30, parallel: 1 }, cliEnv), ctx(`ulira-${method}`));
const pct = (v: number) => `${v.toFixed(1)}%`;
/** How many of `values` (each 100·j/K for j right out of K) are j / K, per j = 0..K. */
const byShadows = (values: number[]) => Array.from({ length: K + 1 }, (_, j) => values.filter((v) => Math.round((v * K) / 100) === j).length);

let loads = 0;
async function openView(hash = 'view=ulira') {
  await page.goto(`${server.url}?load=${++loads}#${hash}`);
  await page.waitForSelector('[data-testid="view-ulira"] :is([data-testid="no-ulira"], [data-testid="ulira-record"])');
}

beforeAll(async () => {
  ({ home, server, browser, page } = rig = await openRig('lethe-ulira-', { errors: pageErrors }));
  ({ checkpoint } = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 3, seed: 2 }, cliEnv), ctx('original')));
}, 300_000);

afterAll(() => closeRig(rig));

describe('the Per-example attack view', () => {
  it('with nothing stored, says what to run', async () => {
    await openView();
    expect(await page.textContent('nav.tabs button[data-view="ulira"]')).toBe('Per-example attack');
    expect(await page.textContent('[data-testid="no-ulira"]')).toContain('lethe ulira --original DIR --method M');
    await page.screenshot({ path: join(SHOTS, 'ulira-empty.png') });
  });

  it('opens on the newest evaluation, and the picker lists every stored one', async () => {
    const a = await ulira('ft');
    const b = await ulira('ga');
    // ga trained no shadow original of its own: the K originals came from the store.
    expect(b.stored).toBe(K);
    [ft, ga] = await Promise.all([api<ApiUliraRecord>(`ulira/${a.id}`), api<ApiUliraRecord>(`ulira/${b.id}`)]);
    expect((await api<ApiUliraSummary[]>('ulira')).map((u) => u.id)).toEqual([ga.id, ft.id]);
    await openView();
    expect(await page.getAttribute('[data-testid="ulira-record"]', 'data-ulira')).toBe(ga.id);
    expect(await attrs('select[aria-label="ulira"] option', 'value')).toEqual([ga.id, ft.id]);
    await page.selectOption('select[aria-label="ulira"]', ft.id);
    await page.waitForSelector(`[data-testid="ulira-record"][data-ulira="${ft.id}"]`);
    expect(page.url()).toContain(`u=${ft.id}`);
  }, 300_000);

  it('heads with the balanced accuracy, its rates, and the retain effect before → after, as stored', async () => {
    expect(await page.textContent('[data-testid="ulira-k"]')).toBe(`K = ${K}`);
    expect(await page.textContent('[data-testid="ulira-counts"]')).toBe('30 targets · 30 retain examples');
    expect(await page.textContent('[data-testid="ulira-accuracy"] .score-value')).toBe(pct(ft.forget.accuracy));
    expect(await page.textContent('[data-testid="ulira-tpr"]')).toBe(pct(ft.forget.tpr));
    expect(await page.textContent('[data-testid="ulira-tnr"]')).toBe(pct(ft.forget.tnr));
    // Balanced: the mean of the two rates.
    expect(ft.forget.accuracy).toBeCloseTo((ft.forget.tpr + ft.forget.tnr) / 2, 9);
    const retain = (await page.textContent('[data-testid="ulira-retain"] .ulira-effect-values'))!;
    expect(retain).toContain(`${pct(ft.retain.before)}→${pct(ft.retain.after)}`);
    const d = ft.forget.accuracy - 50;
    expect(await page.textContent('[data-testid="ulira-verdict"]')).toContain(Math.abs(d) < 0.5 ? 'ideal' : `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} points from 50%`);
  });

  it('draws the histograms: one bar per non-empty step of 100/K, its count the stored examples there', async () => {
    const bars = (chart: string, series: string) => page.$$eval(`[data-testid="${chart}"] [data-series="${series}"] [data-mark="bar"]`, (es) => es.map((e) => [Number(e.getAttribute('data-center')), Number(e.getAttribute('data-count'))]));
    const expected = (values: number[]) => byShadows(values).map((n, j) => [j, n]).filter(([, n]) => n > 0);
    const check = async (chart: string, series: string, values: number[]) => {
      const got = await bars(chart, series);
      expect(got.map(([c, n]) => [Math.round((c * K) / 100), n])).toEqual(expected(values));
      for (const [c] of got) expect((c * K) / 100).toBeCloseTo(Math.round((c * K) / 100), 9);
      expect(got.reduce((a, [, n]) => a + n, 0)).toBe(values.length);
    };
    expect(ft.examples.accuracy).toHaveLength(30);
    // Every stored accuracy is a whole number of shadows out of K.
    for (const v of [...ft.examples.accuracy, ...ft.retainExamples.before, ...ft.retainExamples.after]) expect((v * K) / 100).toBeCloseTo(Math.round((v * K) / 100), 9);
    await check('ulira-hist-forget', 'forget', ft.examples.accuracy);
    await check('ulira-hist-retain', 'before', ft.retainExamples.before);
    await check('ulira-hist-retain', 'after', ft.retainExamples.after);
    expect(await count('[data-testid="ulira-hist-forget"] [data-mark="ideal"]')).toBe(1);
    // The per-example spread the headline prints is the stored examples' (median: the lower middle of 30, p90 at floor(0.9 · 29)).
    const sorted = [...ft.examples.accuracy].sort((a, b) => a - b);
    expect([ft.forget.perExample.median, ft.forget.perExample.p90]).toEqual([sorted[14], sorted[26]]);
    expect(await page.textContent('[data-testid="ulira-spread"]')).toBe(`${pct(sorted[14])} · ${pct(sorted[26])}`);
    await page.screenshot({ path: join(SHOTS, 'ulira-view.png'), fullPage: true });
  });

  it('shows the 24 targets the attack gets right most often, in order, as images; without a comparison they do not link', async () => {
    const x = ft.examples;
    const order = x.ids.map((_, i) => i).sort((a, b) => x.accuracy[b] - x.accuracy[a] || x.ids[a] - x.ids[b]).slice(0, 24);
    const cards = '[data-testid="exposed"] [data-mark="exposed"]';
    expect((await attrs(cards, 'data-id')).map(Number)).toEqual(order.map((i) => x.ids[i]));
    expect((await attrs(cards, 'data-accuracy')).map(Number)).toEqual(order.map((i) => x.accuracy[i]));
    await page.waitForFunction(() => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="exposed"] img'));
      return imgs.length === 24 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    }, undefined, { timeout: 20_000 });
    expect(await count('[data-testid="exposed"] a')).toBe(0);
    await page.waitForSelector('[data-testid="no-instances"]');
    expect(await page.textContent('[data-testid="compare-command"]')).toBe(`lethe compare --original ${checkpoint} --forget ids:targets.txt --methods ft`);
    const href = (await page.getAttribute('[data-testid="targets-file"]', 'href'))!;
    expect(decodeURIComponent(href.replace(/^data:text\/plain;charset=utf-8,/, '')).trim().split('\n').map(Number)).toEqual(x.ids);
  });

  it('after a comparison that forgets the targets, a click opens the Instances view on the sample', async () => {
    const c: Comparison = await runTask('compare', parseTaskArgs('compare', { original: checkpoint, forget: { kind: 'ids', ids: ft.examples.ids }, methods: ['ft'], seeds: 1 }, cliEnv), ctx('compare'));
    await openView(`view=ulira&u=${ft.id}`);
    await page.waitForSelector('[data-testid="exposed"] a[data-mark="exposed"]');
    expect(await count('[data-testid="exposed"] a[data-mark="exposed"]')).toBe(24);
    expect(await page.textContent('[data-testid="exposed-note"]')).toContain(`Click one to open it in the Instances view of the comparison ${c.forgetText} of this original`);
    expect(await count('[data-testid="no-instances"]')).toBe(0);
    const first = (await attrs('[data-testid="exposed"] [data-mark="exposed"]', 'data-id'))[0]!;
    const m = c.models.find((x) => x.role === 'method')!;
    expect(await page.getAttribute(`[data-testid="exposed"] a[data-id="${first}"]`, 'href')).toBe(`#view=instances&c=${c.id}&a=${m.modelId}&b=${m.referenceId}&s=${first}`);
    await page.locator('[data-testid="exposed"]').screenshot({ path: join(SHOTS, 'ulira-exposed.png') });
    await page.click(`[data-testid="exposed"] a[data-id="${first}"]`);
    await page.waitForSelector('[data-testid="view-instances"] [data-mark="instance"][data-focused="true"]');
    expect(await attrs('[data-testid="view-instances"] [data-mark="instance"][data-focused="true"]', 'data-id')).toEqual([first]);
    // The tab row beside the side panel: the groups wrap as wholes.
    await page.screenshot({ path: join(SHOTS, 'ulira-instances.png') });
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
