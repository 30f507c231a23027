// kill -9 of real processes applying deletion requests, on a real store: at each step of a request's life (through
// LETHE_FAILPOINT, which makes the process SIGKILL itself at that exact point), at random moments, and of a running
// server. After a restart every request is done exactly once (one ledger entry each, one new version per batch),
// nothing is half-written, and `lethe ledger verify` passes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit } from '../src/data/dataset.ts';
import { loadData, REPO_ROOT } from '../src/data/registry.ts';
import { verifyAll } from '../src/deletion/audit.ts';
import type { Failpoint } from '../src/shared/failpoint.ts';
import { deploy, drain, ledgerOf, submit } from '../src/deletion/service.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import { Store } from '../src/store/store.ts';

const BIN = join(REPO_ROOT, 'bin/lethe.js');
const home = mkdtempSync(join(tmpdir(), 'lethe-delcrash-'));
let store: Store;
const sharded = join(home, 'sharded');
const single = join(home, 'single');

function lethe(args: string[], failpoint?: Failpoint) {
  const env: NodeJS.ProcessEnv = { ...process.env, LETHE_HOME: home };
  delete env.LETHE_FAILPOINT;
  if (failpoint) env.LETHE_FAILPOINT = failpoint;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((r) => child.on('close', (code, signal) => r({ code, signal, out, err })));
  return { child, done };
}

const ds = loadData({ name: 'synthetic' });
/** Owners with train samples, so every request here deletes something. */
const owners = [...new Set(Array.from(idsOfSplit(ds, 'train'), (i) => ds.group[i]))];
const group = (n: number) => owners[n];

/** Every request of the deployment done exactly once, versions numbered without gaps, the whole record verified. */
function expectConsistent(name: string, requests: number, versions: number) {
  const reqs = store.deletions.requests(name);
  expect(reqs.map((r) => r.state)).toEqual(Array(requests).fill('done'));
  const entries = ledgerOf(store).entries().filter((e) => e.deployment === name && e.type === 'deletion');
  expect(entries.map((e) => e.request).sort()).toEqual(reqs.map((r) => r.id).sort());
  for (const r of reqs) expect(entries.find((e) => e.request === r.id)!.seq).toBe(r.ledgerSeq);
  expect(store.deletions.versions(name).map((v) => v.number)).toEqual([...Array(versions).keys()]);
  expect(readdirSync(join(home, 'deployments', name)).sort()).toEqual([...Array(versions).keys()].map((n) => `v${n}`).sort());
  expect(verifyAll(store)).toMatchObject({ ok: true });
}

beforeAll(async () => {
  store = new Store(join(home, 'lethe.db'));
  process.env.LETHE_HOME = home;
  const base = { data: 'synthetic', model: 'mlp', epochs: 1, seed: 1 };
  await trainTask(TrainArgs.parse({ ...base, recipe: 'sharded:shards=3,slices=2' }), { store, out: sharded });
  await trainTask(TrainArgs.parse(base), { store, out: single });
}, 120_000);

afterAll(() => {
  store?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('a kill -9 at each step of a request, then a restart', () => {
  // What a kill at each step leaves behind, oldest request first.
  // ("writing" is inside the new version's checkpoint write, before its rename: it leaves a temporary folder that
  // the next holder sweeps.)
  const left: Partial<Record<Failpoint, string[]>> = {
    resolved: ['resolved', 'received'], applying: ['applying', 'applying'], writing: ['applying', 'applying'], saved: ['applying', 'applying'], ledger: ['applying', 'applying'],
  };
  const steps = Object.keys(left) as Failpoint[];
  for (const [i, step] of steps.entries()) {
    it(`killed at "${step}": both requests end done once, in one new version`, async () => {
      const name = `at-${step}`;
      deploy(store, { name, model: sharded, policy: 'exact' });
      submit(store, { deployment: name, forget: { kind: 'group', groups: [group(2 * i)] }, key: `${name}-1` });
      // The second request comes from `lethe delete`, which applies both and dies at the failpoint.
      const killed = await lethe(['delete', '--deployment', name, '--forget', `group:${group(2 * i + 1)}`, '--key', `${name}-2`], step).done;
      expect(killed.signal).toBe('SIGKILL');
      const states = store.deletions.requests(name).map((r) => r.state).reverse();
      expect(states).toEqual(left[step]);
      // A kill inside the commit leaves nothing of it: no entry, no version.
      expect(ledgerOf(store).entries().filter((e) => e.deployment === name)).toEqual([]);
      expect(store.deletions.versions(name).length).toBe(1);

      // The same command again: the key is known, so it waits for (and here applies) the first request's result.
      const again = await lethe(['--json', 'delete', '--deployment', name, '--forget', `group:${group(2 * i + 1)}`, '--key', `${name}-2`]).done;
      expect(again.code).toBe(0);
      expect(again.err).toMatch(/was seen before/);
      expect(JSON.parse(again.out)).toMatchObject({ state: 'done', childVersion: 1 });
      expectConsistent(name, 2, 2);
    }, 60_000);
  }

  it('killed after the exact retrain was written, before its entries: the retrain runs again and supersedes once', async () => {
    deploy(store, { name: 'approx', model: single, policy: 'approximate:neggrad-plus,steps=4,retrain-within=1h' });
    submit(store, { deployment: 'approx', forget: { kind: 'group', groups: [group(20)] }, key: 'approx-1' });
    await drain(store, 'approx');
    const killed = await lethe(['deletions', '--deployment', 'approx', '--retrain-now'], 'retrain-saved').done;
    expect(killed.signal).toBe('SIGKILL');
    expect(store.deletions.versions('approx').length).toBe(2);
    const again = await lethe(['deletions', '--deployment', 'approx', '--retrain-now']).done;
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/exact retrain -> version 2/);
    const supers = ledgerOf(store).entries().filter((e) => e.deployment === 'approx' && e.type === 'retrain');
    expect(supers.map((e) => e.request)).toEqual([store.deletions.requestByKey('approx-1')!.id]);
    expect(store.deletions.versions('approx').map((v) => v.exactness)).toEqual(['deployed', 'approximate', 'retrain']);
    expect(verifyAll(store)).toMatchObject({ ok: true });
  }, 60_000);
});

it('kill -9 at random moments while a queue drains: after the restart each request is done once', async () => {
  deploy(store, { name: 'random-kills', model: sharded, policy: 'exact' });
  // Each round files two more requests, so every kill lands on a process with work to do; the delays are spread
  // over its start-up (tsx and TensorFlow.js load in about a second) and its work.
  let k = 0;
  for (const ms of [700, 1200, 1700, 2200]) {
    for (let j = 0; j < 2; j++, k++) submit(store, { deployment: 'random-kills', forget: { kind: 'group', groups: [group(30 + k)] }, key: `rk-${k}` });
    const p = lethe(['deletions', '--deployment', 'random-kills']);
    await new Promise((r) => setTimeout(r, ms));
    p.child.kill('SIGKILL');
    await p.done;
  }
  const last = await lethe(['deletions', '--deployment', 'random-kills']).done;
  expect(last.code).toBe(0);
  const versions = store.deletions.versions('random-kills').length;
  expect(versions).toBeGreaterThanOrEqual(2);
  expectConsistent('random-kills', 8, versions);
}, 90_000);

it('a server killed while applying a request resumes it when it starts again', async () => {
  deploy(store, { name: 'served', model: sharded, policy: 'exact' });
  const port = 20_000 + (process.pid % 20_000);
  const url = `http://127.0.0.1:${port}`;
  const up = async () => {
    for (let i = 0; i < 600; i++) {
      try {
        if ((await fetch(`${url}/api/health`)).ok) return;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the server did not start');
  };
  const serve = (fp?: Failpoint) => lethe(['serve', '--port', String(port)], fp);
  const first = serve('applying');
  await up();
  const res = await fetch(`${url}/api/deletions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deployment: 'served', forget: `group:${group(40)}`, key: 'srv-1' }) });
  expect(res.status).toBe(202);
  const { id } = await res.json();
  // The job runs in a worker thread of the server, so the failpoint kills the whole server process.
  expect((await first.done).signal).toBe('SIGKILL');
  expect(store.deletions.getRequest(id)!.state).toBe('applying');
  const second = serve();
  try {
    await up();
    let state = '';
    for (let i = 0; i < 300 && state !== 'done'; i++) {
      state = (await (await fetch(`${url}/api/deletions/${id}`)).json()).state;
      if (state !== 'done') await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('done');
    // The same key again answers 200 with the first result, not a second request.
    const repeat = await fetch(`${url}/api/deletions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deployment: 'served', forget: `group:${group(40)}`, key: 'srv-1' }) });
    expect(repeat.status).toBe(200);
    expect((await repeat.json()).id).toBe(id);
  } finally {
    second.child.kill('SIGTERM');
    await second.done;
  }
  expectConsistent('served', 1, 2);
}, 90_000);
