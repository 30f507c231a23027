// The README's "check a certificate by hand" snippet, run as written with another language's SHA-256 and Ed25519
// (Python's hashlib and the cryptography package), against a real certificate, an edited one and a forged head.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/data/registry.ts';
import { certificatesOf } from '../src/deletion/audit.ts';
import { deploy, drain, ledgerOf, submit } from '../src/deletion/service.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import { Store } from '../src/store/store.ts';

const PYTHON = '/usr/bin/python3';
const hasPython = spawnSync(PYTHON, ['-c', 'import cryptography'], { encoding: 'utf8' }).status === 0;
const home = mkdtempSync(join(tmpdir(), 'lethe-readme-cert-'));
let store: Store;

const snippet = (() => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const m = /<!-- certificate-check -->\n```python\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no certificate-check snippet');
  return m[1];
})();

const check = (cert: unknown) => {
  writeFileSync(join(home, 'check.py'), snippet);
  writeFileSync(join(home, 'cert.json'), JSON.stringify(cert));
  writeFileSync(join(home, 'ledger.pub'), ledgerOf(store).publicKeyPem);
  return spawnSync(PYTHON, [join(home, 'check.py'), join(home, 'cert.json'), join(home, 'ledger.pub')], { encoding: 'utf8' });
};

beforeAll(async () => {
  process.env.LETHE_HOME = home;
  store = new Store(join(home, 'lethe.db'));
  await trainTask(TrainArgs.parse({ data: 'synthetic', model: 'mlp', epochs: 1, seed: 1, recipe: 'sharded:shards=2,slices=2' }), { store, out: join(home, 'sisa') });
  deploy(store, { name: 'credit', model: join(home, 'sisa'), policy: 'exact' });
  // Several entries, so the proofs have hashes on both sides.
  for (const [k, c] of [[0, 1], [1, 2], [2, 3], [3, 0], [4, 1]]) {
    submit(store, { deployment: 'credit', forget: { kind: 'ids', ids: [c * 7 + k] }, key: `k${k}` });
    await drain(store, 'credit');
  }
}, 120_000);

afterAll(() => {
  store?.close();
  rmSync(home, { recursive: true, force: true });
});

it.skipIf(!hasPython)('the README snippet accepts every real certificate, and refuses an edited entry and a forged head', () => {
  for (let id = 1; id <= 5; id++) {
    const r = check(certificatesOf(store, id));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`entry ${id - 1} (exact) is in the log of 5 signed at ${ledgerOf(store).latestHead()!.timestamp}`);
  }
  const cert = certificatesOf(store, 3);
  const edited = check({ ...cert, certificates: [{ ...cert.certificates[0], entry: { ...cert.certificates[0].entry, held: 0 } }] });
  expect(edited.status).not.toBe(0);
  expect(edited.stderr).toMatch(/the entry is not in the signed tree/);
  const head = cert.certificates[0].head;
  const forged = check({ ...cert, certificates: [{ ...cert.certificates[0], head: { ...head, timestamp: '2030-01-01T00:00:00.000Z' } }] });
  expect(forged.status).not.toBe(0);
  expect(forged.stderr).toMatch(/InvalidSignature/);
});
