// The Tuning view in a real browser (Debian's Chromium through playwright-core) against the real server, a real
// SQLite store and a real tuning: an MLP trained on the committed Fashion-MNIST subset, `lethe tune` of rl and ssd
// on a validation split (a small budget), and `lethe compare --tuned` of the same setting; then a plain comparison
// of the same model, which has no tuning. Checks one block per tuned method, one scatter per searched parameter
// with one chosen and one defaults mark, the scores against the API's record, and the edge notes. Screenshots go
// where test/browser.test.ts puts its own (`LETHE_SCREENSHOTS=docs/screenshots` makes them the README's).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import type { RunningServer } from '../src/server/server.ts';
import { tunedLabel, type Comparison } from '../src/shared/contract.ts';
import type { ApiTuning } from '../src/shared/http.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

const DATA = 'fashion-mnist-mini';
const FORGET = 'class:1';
const METHODS = ['rl', 'ssd'];
// A small search: 8 configurations per method, halved from one seed to two. Validation seed 2 draws configurations
// of which one lands at the edge of its range (the view's edge note); the test checks the notes against the
// record whatever they are.
const TUNE = { forget: FORGET, methods: METHODS, budget: 8, seeds: 2, validationSeed: 2 };

let rig: BrowserRig | undefined;
let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
let tuned: Comparison;
let plain: Comparison;
let tuning: ApiTuning;
const pageErrors: string[] = [];

const count = (sel: string) => page.locator(sel).count();
const attrs = (sel: string, name: string) => page.$$eval(sel, (es, n) => es.map((e) => e.getAttribute(n)), name);
const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}api/${path}`)).json() as Promise<T>;
const block = (method: string) => `[data-testid="tuning-method"][data-method="${method}"]`;

beforeAll(async () => {
  ({ home, server, browser, page } = rig = await openRig('lethe-tuning-', { errors: pageErrors }));
  const ctx = (out: string) => ({ out: join(home, out), store: server.store, modelDir: (m: string) => m });
  const { checkpoint } = await runTask('train', parseTaskArgs('train', { data: DATA, trainSize: 600, model: 'mlp', epochs: 8, seed: 1 }, cliEnv), ctx('original'));
  await runTask('tune', parseTaskArgs('tune', { original: checkpoint, ...TUNE }, cliEnv), ctx('tune'));
  plain = await runTask('compare', parseTaskArgs('compare', { original: checkpoint, forget: FORGET, methods: ['rl'], seeds: 1 }, cliEnv), ctx('plain'));
  tuned = await runTask('compare', parseTaskArgs('compare', { original: checkpoint, forget: FORGET, methods: METHODS, seeds: 2, tuned: true }, cliEnv), ctx('tuned'));
  tuning = await api<ApiTuning>(`tunings/${tuned.tuning!.id}`);
}, 300_000);

afterAll(() => closeRig(rig));

describe('the Tuning view', () => {
  it('opens from its tab for the comparison that was run --tuned, with the protocol', async () => {
    expect(tuned.tuning?.methods).toEqual(METHODS);
    expect(plain.tuning).toBeUndefined();
    await page.goto(`${server.url}#view=experiments&c=${tuned.id}`);
    await page.waitForSelector('[data-testid="view-experiments"] tr[data-model]');
    expect(await page.textContent('nav.tabs button[data-view="tuning"]')).toBe('Tuning');
    expect(await page.getAttribute('nav.tabs button[data-view="tuning"]', 'title')).toBe("Tuning: each method's search on the validation split");
    await page.click('nav.tabs button[data-view="tuning"]');
    await page.waitForSelector(`[data-testid="view-tuning"] [data-testid="tuning"][data-tuning="${tuning.id}"]`);
    expect(page.url()).toContain('view=tuning');
    expect(page.url()).toContain(`c=${tuned.id}`);
    const p = tuning.protocol;
    expect(await page.textContent('[data-testid="validation"]')).toBe(`${p.validation.count} training samples, seed ${p.validation.seed}`);
    expect(await page.textContent('[data-testid="seeds"]')).toBe(p.seeds.join(', '));
    expect(await page.textContent('[data-testid="budget"]')).toBe(`${p.budget} configurations per method`);
    expect(await page.textContent('[data-testid="eta"]')).toBe(String(p.eta));
    expect(await page.textContent('[data-testid="floor"]')).toContain(tuning.floor!.toFixed(2));
    expect(await page.textContent('[data-testid="score-definition"]')).toContain(p.score);
    expect(await page.textContent('[data-testid="no-test-set"]')).toContain('The test set played no part');
    // The overview: a row per tuned method, the validation scores beside this comparison's test-set scores.
    expect(await attrs('[data-testid="tuning-summary"] tbody tr', 'data-method')).toEqual(METHODS);
  });

  it('draws one block per tuned method and one scatter per searched parameter, with one chosen and one defaults mark each', async () => {
    expect(await attrs('[data-testid="tuning-method"]', 'data-method')).toEqual(tuning.methods.map((m) => m.method));
    for (const m of tuning.methods) {
      const params = Object.keys(m.space);
      expect(params.length).toBeGreaterThan(0);
      expect(await attrs(`${block(m.method)} [data-testid="tuning-scatter"]`, 'data-param')).toEqual(params);
      for (const k of params) {
        const svg = `${block(m.method)} [data-testid="tuning-scatter"][data-param="${k}"]`;
        expect(await count(`${svg} [data-mark="chosen"]`)).toBe(1);
        expect(await count(`${svg} [data-mark="defaults"]`)).toBe(1);
        // Every configuration is a point (none diverged here), on the seeds it reached.
        const finite = m.configs.filter((c) => Number.isFinite(c.mean));
        expect(await count(`${svg} [data-mark="config"]`)).toBe(finite.length);
        const seeds = await page.$$eval(`${svg} [data-mark="config"]`, (es) => Object.fromEntries(es.map((e) => [e.getAttribute('data-config'), Number(e.getAttribute('data-seeds'))])));
        expect(seeds).toEqual(Object.fromEntries(m.configs.map((c, i) => [String(i), c.scores.length])));
        // The chosen point is drawn where the chosen configuration is: its ring and its point share a centre.
        const ring = await page.$eval(`${svg} [data-mark="chosen"]`, (e) => [e.getAttribute('cx'), e.getAttribute('cy')]);
        const point = await page.$eval(`${svg} [data-mark="config"][data-config="${m.chosen}"]`, (e) => [e.getAttribute('cx'), e.getAttribute('cy')]);
        expect(ring).toEqual(point);
        // The references: the defaults' score across, and the retrain noise floor dashed.
        expect(await count(`${svg} [data-mark="defaults-line"]`)).toBe(1);
        expect(await count(`${svg} [data-mark="floor"] line[stroke-dasharray]`)).toBe(tuning.floor == null ? 0 : 1);
        // Tick labels on both axes, none overlapping its neighbour.
        const boxes = await page.$$eval(`${svg} g.axis`, (gs) => gs.map((g) => Array.from(g.querySelectorAll(':scope > g > text')).map((t) => {
          const r = t.getBoundingClientRect();
          return { x0: r.left, x1: r.right, y0: r.top, y1: r.bottom };
        })));
        expect(boxes).toHaveLength(2);
        for (const [i, axis] of boxes.entries()) {
          expect(axis.length).toBeGreaterThanOrEqual(2);
          for (let j = 1; j < axis.length; j++) {
            if (i === 0) expect(axis[j].y1).toBeLessThanOrEqual(axis[j - 1].y0 + 0.5);
            else expect(axis[j].x0).toBeGreaterThanOrEqual(axis[j - 1].x1);
          }
        }
      }
    }
  });

  it("shows each method's scores as the API records them, and its chosen parameters", async () => {
    for (const m of tuning.methods) {
      expect(await page.getAttribute(block(m.method), 'data-chosen')).toBe(String(m.chosen));
      expect(await page.textContent(`${block(m.method)} [data-testid="default-score"]`)).toBe(m.configs[0].mean.toFixed(2));
      expect(await page.textContent(`${block(m.method)} [data-testid="tuned-score"]`)).toBe(m.configs[m.chosen].mean.toFixed(2));
      expect(m.configs[m.chosen].mean).toBeLessThanOrEqual(m.configs[0].mean);
      const cells = await page.$$eval(`${block(m.method)} [data-testid="tuning-params"] tr[data-row="chosen"] td`, (tds) => tds.map((td) => td.textContent ?? ''));
      const params = Object.keys(m.space);
      expect(cells).toHaveLength(3 + params.length);
      for (const [i, k] of params.entries()) {
        const v = m.configs[m.chosen].params[k] as number;
        expect(Number(cells[3 + i].replace(/ ⚠.*/, ''))).toBeCloseTo(v, 10);
      }
      // The overview row says the same, and whether this comparison ran the choice as its own row.
      const row = `[data-testid="tuning-summary"] tr[data-method="${m.method}"]`;
      const text = (await page.textContent(row))!;
      expect(text).toContain(m.configs[0].mean.toFixed(2));
      expect(text).toContain(m.configs[m.chosen].mean.toFixed(2));
      if (m.chosen === 0) {
        expect(text).toContain('the defaults won');
        expect(tuned.tuning!.params[m.method]).toBeUndefined();
      } else {
        expect(tuned.tuning!.params[m.method]).toEqual(m.configs[m.chosen].params);
        expect(await page.textContent(`${block(m.method)} .subtitle`)).toContain(tunedLabel(m.method));
        const test = tuned.table.find((r) => r.label === tunedLabel(m.method))!.stats.avgGap!.mean;
        expect(text).toContain(test.toFixed(2));
      }
    }
  });

  it('notes exactly the parameters whose choice sits at an edge of its range', async () => {
    for (const m of tuning.methods) {
      const notes = await page.$$eval(`${block(m.method)} [data-testid="edge-note"]`, (es) => es.map((e) => [e.getAttribute('data-param'), e.getAttribute('data-edge'), e.textContent]));
      expect(notes.map(([k, e]) => [k, e])).toEqual(Object.keys(m.space).filter((k) => m.edges[k]).map((k) => [k, m.edges[k]]));
      for (const [k, e, text] of notes) {
        expect(text).toContain(`The chosen ${k} sits at the ${e} edge of its range`);
        expect(text).toContain('the range should widen');
        expect(await count(`${block(m.method)} [data-testid="tuning-scatter"][data-param="${k}"] [data-mark="edge"]`)).toBe(1);
      }
      expect(await count(`${block(m.method)} [data-mark="edge"]`)).toBe(notes.length);
    }
    await page.screenshot({ path: join(SHOTS, 'tuning-view.png'), fullPage: true });
    await page.locator(block(tuning.methods[0].method)).screenshot({ path: join(SHOTS, `tuning-${tuning.methods[0].method}.png`) });
  });

  it('hovering a configuration rings it in every scatter of its method', async () => {
    const m = tuning.methods[0];
    const k = Object.keys(m.space)[0];
    const i = m.configs.length - 1;
    await page.hover(`${block(m.method)} [data-testid="tuning-scatter"][data-param="${k}"] [data-mark="config"][data-config="${i}"]`, { force: true });
    const title = await page.textContent(`${block(m.method)} [data-testid="tuning-scatter"][data-param="${k}"] [data-mark="config"][data-config="${i}"] title`);
    expect(title).toContain(`configuration ${i}`);
    expect(title).toContain(m.configs[i].mean.toFixed(2));
    expect(await count(`${block(m.method)} [data-mark="hover"]`)).toBe(Object.keys(m.space).length);
    expect(await count('[data-mark="hover"]')).toBe(Object.keys(m.space).length);
    await page.mouse.move(0, 0);
    await expect.poll(() => count('[data-mark="hover"]')).toBe(0);
  });

  it('a comparison without tuning says so in one line, with the commands that make one', async () => {
    await page.selectOption('select[aria-label="comparison"]', plain.id);
    await page.waitForSelector('[data-testid="view-tuning"] [data-testid="no-tuning"]');
    expect(page.url()).toContain(`c=${plain.id}`);
    const text = (await page.textContent('[data-testid="no-tuning"]'))!;
    expect(text).toContain(`lethe tune --original DIR --forget ${FORGET}`);
    expect(text).toContain('lethe compare … --tuned');
    expect(await count('[data-testid="view-tuning"] [data-testid="tuning-method"]')).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'tuning-none.png') });
    expect(pageErrors).toEqual([]);
  });
});
