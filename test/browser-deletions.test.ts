// The Deletions view in a real browser (Debian's Chromium through playwright-core) against the real server, a real
// SQLite store and a real deployment: a sharded model trained on the committed Fashion-MNIST subset, deployed with
// the exact policy. Files a group deletion from the form, follows it through the queue to done, opens its ledger
// entry's certificate, verifies the ledger, and asks the lineage of the group; then looks at a second deployment
// with an approximate policy (its pending exact retrain, its dashed edge). Screenshots go where
// test/browser.test.ts puts its own (`LETHE_SCREENSHOTS=docs/screenshots npm test` refreshes the README's).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit } from '../src/data/dataset.ts';
import { loadData } from '../src/data/registry.ts';
import { awaitRequest, deploy, submit, subjectIds } from '../src/deletion/service.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import type { RunningServer } from '../src/server/server.ts';
import type { ApiCertificates, ApiDeployment, ApiLineage } from '../src/shared/http.ts';
import { type BrowserRig, closeRig, openRig, SHOTS } from './support/browser.ts';

const TOKEN = 'deletions-test-token';
const DATA = 'fashion-mnist-mini';
const TRAIN_SIZE = 600;
const NAME = 'prod';
/** A second deployment: a single network under an approximate policy (gradient ascent now, an exact retrain within a day). */
const APPROX = 'staging';

let rig: BrowserRig | undefined;
let home: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
/** The owner whose samples the test deletes, and how many train samples it has. */
let group: string;
let groupSize: number;
/** The first request: its id and idempotency key. */
let first: { id: string; key: string };
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `deletions-${name}.png`), fullPage: true });
const count = (sel: string) => page.locator(sel).count();
const attrs = (sel: string, name: string) => page.$$eval(sel, (es, n) => es.map((e) => e.getAttribute(n)), name);
const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}api/${path}`)).json() as Promise<T>;
const row = (id: string) => `[data-testid="queue"] tr[data-request="${id}"]`;
const node = (v: number) => `[data-testid="version-graph"] [data-mark="version"][data-version="${v}"]`;

/** Files a request from the form and returns the id the page says it got (or the error it shows). */
async function fileRequest(kind: string, subject: string, key?: string): Promise<{ id?: string; created?: string; error?: string }> {
  await page.selectOption('select[name=subjectKind]', kind);
  await page.fill('input[name=subject]', subject);
  if (key !== undefined) await page.fill('input[name=key]', key);
  const answered = Number(await page.getAttribute('[data-testid="request-form"]', 'data-answered'));
  await page.click('[data-testid="file-request"]');
  await page.waitForSelector(`[data-testid="request-form"][data-answered="${answered + 1}"]`);
  if (await count('[data-testid="request-form"] [role=alert]')) return { error: (await page.textContent('[data-testid="request-form"] [role=alert]'))! };
  const id = (await page.getAttribute('[data-testid="filed"]', 'data-request'))!;
  return { id, created: (await page.getAttribute('[data-testid="filed"]', 'data-created'))! };
}

async function expandEntry(request: string) {
  const entry = `[data-testid="ledger"] li.ledger-entry[data-request="${request}"]`;
  await page.waitForSelector(entry, { timeout: 10_000 });
  await page.click(`${entry} [data-testid="ledger-toggle"]`);
  await page.waitForSelector(`${entry} [data-testid="certificate"]`);
  return entry;
}

async function verify() {
  await page.click('[data-testid="verify-ledger"]');
  await page.waitForSelector('[data-testid="verdict"]');
  return { ok: await page.getAttribute('[data-testid="verdict"]', 'data-ok'), text: (await page.textContent('[data-testid="verdict"]'))! };
}

async function searchLineage(q: string) {
  await page.fill('input[name=lineage]', q);
  await page.click('[data-testid="lineage-search"]');
  await page.waitForSelector(`[data-testid="lineage-result"][data-query="group ${q}"]`);
}

const highlighted = () => attrs('[data-testid="version-graph"] [data-mark="version"][data-highlighted="true"]', 'data-version');

beforeAll(async () => {
  // The 409 the key-reuse check provokes is logged by Chromium as a failed resource; anything else is an error.
  ({ home, server, browser, page } = rig = await openRig('lethe-deletions-', { errors: pageErrors, ignore: /status of 409/, token: TOKEN }));
  // A sharded ensemble (3 shards of 2 slices) of the first 600 train samples: the exact policy serves it by SISA.
  const model = join(home, 'sharded');
  await trainTask(TrainArgs.parse({ data: DATA, trainSize: TRAIN_SIZE, model: 'mlp', epochs: 1, seed: 1, recipe: 'sharded:shards=3,slices=2' }), { store: server.store, out: model });
  deploy(server.store, { name: NAME, model, policy: 'exact' });
  // The owner of the first train sample: a group with train samples in this data.
  const ds = loadData({ name: DATA, trainSize: TRAIN_SIZE });
  group = ds.group[idsOfSplit(ds, 'train')[0]];
  groupSize = subjectIds(ds, { kind: 'group', groups: [group] }).length;
  // The approximate deployment has the group deleted already (by the service, as the CLI would): its retrain is due.
  const single = join(home, 'single');
  await trainTask(TrainArgs.parse({ data: DATA, trainSize: TRAIN_SIZE, model: 'mlp', epochs: 1, seed: 1 }), { store: server.store, out: single });
  deploy(server.store, { name: APPROX, model: single, policy: 'approximate:ga,retrain-within=1d' });
  const { request } = submit(server.store, { deployment: APPROX, forget: { kind: 'group', groups: [group] }, key: 'staging-1' });
  await awaitRequest(server.store, request.id);
}, 120_000);

afterAll(() => closeRig(rig));

describe('the Deletions view', () => {
  it('shows the deployment: policy, kind, current version, no retrain due', async () => {
    expect(groupSize).toBeGreaterThan(0);
    await page.goto(`${server.url}?token=${TOKEN}#view=deletions`);
    await page.waitForSelector(`[data-testid="view-deletions"] [data-testid="deletions"][data-deployment="${NAME}"]`);
    expect(page.url()).not.toContain('token=');
    expect(await page.getAttribute('nav.tabs button[data-view="deletions"]', 'aria-selected')).toBe('true');
    expect(await page.inputValue('select[name=deployment]')).toBe(NAME);
    expect(await page.textContent('[data-testid="policy"]')).toBe('exact');
    expect(await page.textContent('[data-testid="kind"]')).toBe('sharded');
    expect(await page.textContent('[data-testid="current-version"]')).toMatch(/^v0 · deployed · train · 600 samples/);
    expect(await page.textContent('[data-testid="retrain-due"]')).toBe('none pending');
    expect(await count(`${node(0)}[data-current="true"]`)).toBe(1);
    expect(await page.textContent('[data-testid="queue-empty"]')).toBe('No request yet.');
    // A fresh random idempotency key is there already.
    expect(await page.inputValue('input[name=key]')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('files a group deletion from the form and follows it through the queue to done', async () => {
    // Record every state the request's row shows, so the live states are seen however fast the worker is.
    await page.evaluate(() => {
      const w = window as unknown as { states: Record<string, string[]> };
      w.states = {};
      new MutationObserver(() => {
        document.querySelectorAll('[data-testid="queue"] tr[data-request]').forEach((tr) => {
          const id = tr.getAttribute('data-request')!;
          const s = tr.getAttribute('data-state')!;
          const seen = (w.states[id] ??= []);
          if (seen.at(-1) !== s) seen.push(s);
        });
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const key = await page.inputValue('input[name=key]');
    const filed = await fileRequest('group', group);
    expect(filed.error).toBeUndefined();
    expect(filed.created).toBe('true');
    first = { id: filed.id!, key };
    await page.waitForSelector(row(first.id));
    await page.waitForSelector(`${row(first.id)}[data-state="done"]`, { timeout: 30_000 });
    const states = await page.evaluate((id) => (window as unknown as { states: Record<string, string[]> }).states[id], first.id);
    expect(['received', 'resolved', 'applying']).toContain(states[0]);
    expect(states.at(-1)).toBe('done');
    const text = (await page.textContent(row(first.id)))!;
    expect(text).toContain(`#${first.id}`);
    expect(text).toContain(`group:${group}`);
    expect(text).toContain(`${groupSize} of ${groupSize}`);
    expect(text).toContain('v0 → v1');
    expect(await page.getAttribute(`${row(first.id)} td.key-cell`, 'title')).toBe(key);
    // The deployment moved on to the new version; the new key is not the one used.
    await expect.poll(() => page.textContent('[data-testid="current-version"]')).toMatch(/^v1 · exact · sisa · /);
    expect(await page.textContent('[data-testid="current-version"]')).toContain(`${TRAIN_SIZE - groupSize} samples`);
    expect(await page.inputValue('input[name=key]')).not.toBe(key);
    // The graph: v0 → v1, an exact (solid) edge carrying the request.
    expect(await attrs('[data-testid="version-graph"] [data-mark="version"]', 'data-version')).toEqual(['0', '1']);
    expect(await count(`${node(1)}[data-current="true"]`)).toBe(1);
    const edge = '[data-testid="version-graph"] [data-mark="edge"][data-from="0"][data-to="1"]';
    expect(await page.getAttribute(edge, 'data-style')).toBe('exact');
    expect(await page.getAttribute(edge, 'data-requests')).toBe(first.id);
    expect(await page.getAttribute(`${edge} path`, 'stroke-dasharray')).toBeNull();
    await shot('queue');
  });

  it('lists it in the ledger, with its certificate, and verifies the ledger', async () => {
    const entry = await expandEntry(first.id);
    const cert = await api<ApiCertificates>(`deletions/${first.id}/certificate`);
    const c = cert.certificates[0];
    expect(await attrs('[data-testid="ledger"] li.ledger-entry', 'data-seq')).toEqual([String(c.entry.seq)]);
    const json = JSON.parse((await page.textContent(`${entry} [data-testid="entry-json"]`))!);
    expect(json).toEqual(c.entry);
    expect(json).toMatchObject({ type: 'deletion', request: Number(first.id), deployment: NAME, exactness: 'exact', held: groupSize, subject: { kind: 'group', groups: [group] } });
    const head = (await page.textContent(`${entry} [data-testid="tree-head"]`))!;
    expect(head).toContain(c.head.rootHash);
    expect(head).toContain(c.head.signature);
    // One signed log for every deployment: the staging deployment's entry came first, so this one's proof is a hash.
    expect(c.head.size).toBe(2);
    expect(head).toContain('2 entries');
    expect(await attrs(`${entry} [data-testid="proof"] li code`, 'class')).toHaveLength(1);
    expect(await page.textContent(`${entry} [data-testid="proof"]`)).toBe(c.proof.join(''));
    // The evidence: which shards SISA retrained, and the new manifest.
    const evidence = (await page.textContent(`${entry} [data-testid="evidence"]`))!;
    expect(evidence).toMatch(/shard \d/);
    expect(evidence).toContain(`"count":${TRAIN_SIZE - groupSize}`);
    const v = await verify();
    expect(v.ok).toBe('true');
    expect(v.text).toContain('Ledger verified: 2 entries');
    await shot('certificate');
  });

  it('the lineage of the group marks exactly the version trained on it: v0, superseded', async () => {
    await searchLineage(group);
    const truth = await api<ApiLineage>(`lineage?group=${group}&deployment=${NAME}`);
    expect(truth.rows.map((r) => r.version)).toEqual([0]);
    expect(await attrs('[data-testid="lineage-rows"] li', 'data-version')).toEqual(['0']);
    expect(await attrs('[data-testid="lineage-rows"] li', 'data-status')).toEqual(['superseded']);
    expect(await page.textContent('[data-testid="lineage-rows"] li')).toContain(`holds ${groupSize} of ${groupSize}`);
    expect(await page.getAttribute(node(0), 'data-highlighted')).toBe('true');
    expect(await page.getAttribute(node(1), 'data-highlighted')).toBe('false');
    expect(await count(`${node(0)} [data-mark="highlight"]`)).toBe(1);
    expect(await count(`${node(1)} [data-mark="highlight"]`)).toBe(0);
    expect(await page.textContent('[data-testid="graph-legend"]')).toContain('holds the searched ids');
    await shot('lineage');
  });

  it('a repeated key returns the first request, a reused key is refused, and a request for data already gone changes nothing', async () => {
    const rows = await count('[data-testid="queue"] tbody tr');
    const again = await fileRequest('group', group, first.key);
    expect(again).toMatchObject({ id: first.id, created: 'false' });
    expect(await page.textContent('[data-testid="filed"]')).toContain('Key seen before');
    expect(await count('[data-testid="queue"] tbody tr')).toBe(rows);

    const reused = await fileRequest('class', '0', first.key);
    expect(reused.error).toContain('was used for another request');

    await page.click('[data-testid="request-form"] button:has-text("New key")');
    expect(await page.inputValue('input[name=key]')).not.toBe(first.key);
    const second = await fileRequest('group', group);
    expect(second.created).toBe('true');
    await page.waitForSelector(`${row(second.id!)}[data-state="done"]`, { timeout: 30_000 });
    const text = (await page.textContent(row(second.id!)))!;
    expect(text).toContain(`0 of ${groupSize}`);
    expect(text).toContain('v1 (unchanged)');
    // A loop on v1, drawn dotted; still two versions.
    expect(await page.getAttribute('[data-mark="edge"][data-from="1"][data-to="1"]', 'data-style')).toBe('none');
    expect(await count('[data-testid="version-graph"] [data-mark="version"]')).toBe(2);

    // Two entries of this deployment now (three in the log): the new one's certificate is against the new head.
    const entry = await expandEntry(second.id!);
    expect(await count('[data-testid="ledger"] li.ledger-entry')).toBe(2);
    const cert = await api<ApiCertificates>(`deletions/${second.id}/certificate`);
    expect(cert.certificates[0].head.size).toBe(3);
    expect(await count(`${entry} [data-testid="proof"] li`)).toBe(cert.certificates[0].proof.length);
    expect(await page.textContent(`${entry} [data-testid="tree-head"]`)).toContain(cert.certificates[0].head.rootHash);
    // The first entry's certificate, still open, was fetched again against the new head.
    await expect.poll(() => page.textContent(`[data-testid="ledger"] li.ledger-entry[data-request="${first.id}"] [data-testid="tree-head"]`)).toContain(cert.certificates[0].head.rootHash);
    expect(await page.textContent(`${entry} [data-testid="entry-json"]`)).toContain('"exactness": "nothing-held"');
    const v = await verify();
    expect(v.ok).toBe('true');
    expect(v.text).toContain('3 entries');
    // The lineage is unchanged: only v0 was trained on the group.
    await searchLineage(group);
    expect(await highlighted()).toEqual(['0']);
    await shot('full');
    await page.locator('[data-testid="version-graph"]').screenshot({ path: join(SHOTS, 'deletions-graph.png') });
  });

  it('an approximate deployment shows its exact retrain due time, a dashed edge, and a current version still to be retrained', async () => {
    await page.selectOption('select[name=deployment]', APPROX);
    await page.waitForSelector(`[data-testid="deletions"][data-deployment="${APPROX}"]`);
    expect(page.url()).toContain(`d=${APPROX}`);
    const d = await api<ApiDeployment>(`deployments/${APPROX}`);
    expect(d.retrainDue).not.toBeNull();
    expect(await page.textContent('[data-testid="policy"]')).toBe('approximate:ga,retrain-within=1d');
    expect(await page.textContent('[data-testid="kind"]')).toBe('single');
    expect(await page.textContent('[data-testid="current-version"]')).toMatch(/^v1 · approximate · ga · /);
    // The exact due time, to the second, and how far off it is.
    expect(await page.getAttribute('[data-testid="retrain-due"] time', 'datetime')).toBe(d.retrainDue);
    expect(await page.textContent('[data-testid="retrain-due"]')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in (23h \d+m|1d)\)$/);
    const edge = '[data-testid="version-graph"] [data-mark="edge"][data-from="0"][data-to="1"]';
    expect(await page.getAttribute(edge, 'data-style')).toBe('approximate');
    expect(await page.getAttribute(`${edge} path`, 'stroke-dasharray')).toBe('7 5');
    // The request list and lineage belong to this deployment only; an approximate version still holds the group.
    expect(await count('[data-testid="queue"] tbody tr')).toBe(1);
    await searchLineage(group);
    expect(await attrs('[data-testid="lineage-rows"] li', 'data-status')).toEqual(['superseded', 'to be retrained']);
    expect(await highlighted()).toEqual(['0', '1']);
    await shot('approximate');
    await page.locator('[data-testid="version-graph"]').screenshot({ path: join(SHOTS, 'deletions-graph-approximate.png') });
    expect(pageErrors).toEqual([]);
  });
});
