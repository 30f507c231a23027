// The deletion service as a team uses it from the command line, each command its own process on a fresh LETHE_HOME:
// deploy a sharded model, delete one owner's data, show and check the certificate, verify the ledger, and see with
// lineage that only superseded versions still contain the owner. Bad input is one line and a non-zero exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { idsOfSplit } from '../src/data/dataset.ts';
import { loadData, REPO_ROOT } from '../src/data/registry.ts';
import { verifyCertificate } from '../src/deletion/log.ts';
import { Store } from '../src/store/store.ts';

const BIN = join(REPO_ROOT, 'bin/lethe.js');
const work = mkdtempSync(join(tmpdir(), 'lethe-cli-del-'));
const home = join(work, 'home');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function lethe(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LETHE_HOME: home };
  delete env.LETHE_FAILPOINT;
  delete env.LETHE_DEBUG;
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => res({ code, out, err }));
  });
}

const ds = loadData({ name: 'synthetic' });
const train = idsOfSplit(ds, 'train');
const owner = ds.group[train[10]];
const ownerIds = Array.from(train).filter((i) => ds.group[i] === owner);

it('deploy, delete an owner, certificate, verify, lineage, predict', async () => {
  expect((await lethe('train', '--data', 'synthetic', '--epochs', '1', '--recipe', 'sharded:shards=3,slices=2,byGroup=true', '--out', 'sisa')).code).toBe(0);
  const dep = await lethe('deploy', '--name', 'credit', '--model', 'sisa', '--policy', 'exact');
  expect(dep.code).toBe(0);
  expect(dep.out).toMatch(/deployed sisa as "credit" version 0 \(sharded, policy exact\)/);

  const del = await lethe('delete', '--deployment', 'credit', '--forget', `group:${owner}`, '--key', 'ticket-1');
  expect(del.code).toBe(0);
  expect(del.out.trim()).toBe(`request 1 [ticket-1] group:${owner} on credit: done, ${ownerIds.length} of ${ownerIds.length} ids held -> version 1, ledger entry 0`);
  expect(del.err).toMatch(/sisa/); // progress of the shard retrain, on stderr

  const show = await lethe('--json', 'ledger', 'show', '--request', '1', '--out', 'cert.json');
  expect(show.code).toBe(0);
  const certs = JSON.parse(show.out);
  expect(JSON.parse(readFileSync(join(work, 'cert.json'), 'utf8'))).toEqual(certs);
  const key = await lethe('ledger', 'key');
  expect(key.out).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  expect(verifyCertificate(certs.certificates[0], key.out)).toMatchObject({ ok: true });
  const text = await lethe('ledger', 'show', '--request', '1');
  expect(text.out).toMatch(/entry 0 \(deletion, exact\) .* request 1 \[ticket-1\] on credit/);
  expect(text.out).toMatch(/version 0 -> 1 by sisa/);

  const verify = await lethe('ledger', 'verify');
  expect([verify.code, verify.out.trim()]).toEqual([0, 'ledger verified: 1 entries, 2 versions (1 claiming exact deletion hold no deleted id), 1 requests']);

  const lin = await lethe('lineage', '--group', owner);
  expect(lin.code).toBe(0);
  const rows = lin.out.trim().split('\n').slice(1);
  expect(rows.length).toBe(1);
  expect(rows[0]).toMatch(/credit v0 +superseded +holds \d+/);
  expect(lin.out).toMatch(new RegExp(`group ${owner} \\(${ownerIds.length} samples\\): 1 of 2 versions and checkpoints`));

  const pred = await lethe('predict', '--deployment', 'credit', '--split', 'test', '--out', 'p.csv');
  expect(pred.code).toBe(0);
  expect(readFileSync(join(work, 'p.csv'), 'utf8').trim().split('\n').length).toBe(1 + idsOfSplit(ds, 'test').length);

  const listed = await lethe('deployments', '--name', 'credit');
  expect(listed.out).toMatch(/credit: sharded, policy exact, current version 1/);
  expect(listed.out).toMatch(/v1 +exact +sisa/);
}, 120_000);

it('bad input is one line naming the problem, a non-zero exit, and nothing written', async () => {
  const one = async (args: string[], re: RegExp) => {
    const r = await lethe(...args);
    expect(r.code, args.join(' ')).not.toBe(0);
    expect(r.err.trim().split('\n').length, r.err).toBe(1);
    expect(r.err).toMatch(re);
  };
  await one(['delete', '--deployment', 'nope', '--forget', 'class:1', '--key', 'x'], /^lethe: unknown deployment "nope" \(deployments: credit\)/);
  await one(['delete', '--deployment', 'credit', '--forget', 'class:1'], /required option '--key <key>' not specified/);
  await one(['delete', '--deployment', 'credit', '--forget', 'class:x', '--key', 'x'], /bad forget spec "class:x"/);
  await one(['delete', '--deployment', 'credit', '--forget', 'random:5', '--key', 'x'], /names its subject \(ids, group, class\), not random/);
  await one(['delete', '--deployment', 'credit', '--forget', 'class:0', '--key', 'ticket-1'], /idempotency key "ticket-1" was used for another request/);
  await one(['deploy', '--name', 'plain', '--model', 'sisa', '--policy', 'approximate:ft,retrain-within=1h'], /ft cannot unlearn a sharded model \(it takes single\)/);
  await one(['deploy', '--name', 'credit', '--model', 'sisa', '--policy', 'exact'], /a deployment named "credit" exists already/);
  await one(['ledger', 'show', '--request', '99'], /no deletion request 99/);
  await one(['lineage'], /--sample ID or --group G/);
  const store = new Store(join(home, 'lethe.db'));
  try {
    expect(store.deletions.requests().length).toBe(1);
    expect(store.deletions.listDeployments().map((d) => d.name)).toEqual(['credit']);
  } finally {
    store.close();
  }
}, 120_000);

it('a tampered ledger fails verification naming the entry, with a non-zero exit', async () => {
  const store = new Store(join(home, 'lethe.db'));
  try {
    const row = store.db.prepare('SELECT entry FROM ledger_entries WHERE seq = 0').get() as { entry: string };
    store.db.prepare('UPDATE ledger_entries SET entry = ? WHERE seq = 0').run(row.entry.replace('"held":', '"held":1'));
  } finally {
    store.close();
  }
  const v = await lethe('ledger', 'verify');
  expect(v.code).toBe(1);
  expect(v.out).toMatch(/^ledger verification FAILED at entry 0: entry 0/);
}, 60_000);
