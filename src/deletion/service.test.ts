// The deletion service on a real SQLite file with real checkpoints: deployments and their policies, requests (bad
// input, idempotency, coalescing, subjects already deleted or never held), exact and approximate deletion with the
// batched exact retrain, the ledger entries and certificates, lineage, and verification against tampering.
import { createHash, createPublicKey, generateKeyPairSync, verify as cryptoVerify } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset } from '../data/dataset.ts';
import { loadData } from '../data/registry.ts';
import { TrainArgs, trainTask } from '../jobs/train-task.ts';
import { loadCheckpoint, readMeta } from '../models/checkpoint.ts';
import { predictScores } from '../train/predict.ts';
import { readManifest } from '../models/manifest.ts';
import { Store } from '../store/store.ts';
import { certificatesOf, lineage, verifyAll } from './audit.ts';
import { verifyCertificate, canonicalJson } from './log.ts';
import { parsePolicy } from './policy.ts';
import { deploy, deploymentView, drain, ledgerOf, retrainDue, submit, subjectIds } from './service.ts';
import { signTreeHead, type LedgerKey } from './keys.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-service-'));
const ds = loadData({ name: 'synthetic' });
const train = idsOfSplit(ds, 'train');
let store: Store;
const dirs = { sharded: join(home, 'm-sharded'), single: join(home, 'm-single'), analytic: join(home, 'm-analytic') };

/** The group of a train sample, and all its train samples, worked out here rather than by the service. */
function groupOf(id: number) {
  const g = ds.group[id];
  return { g, ids: Array.from(train).filter((i) => ds.group[i] === g) };
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The manifest hash by hand: each id as 4 little-endian bytes, ascending. */
const idsHash = (ids: number[]) => sha256(Buffer.concat([...ids].sort((a, b) => a - b).map((id) => { const b = Buffer.alloc(4); b.writeInt32LE(id); return b; })));

beforeAll(async () => {
  process.env.LETHE_HOME = home;
  store = new Store(join(home, 'lethe.db'));
  const base = { data: 'synthetic', model: 'mlp', epochs: 1, seed: 1 };
  await trainTask(TrainArgs.parse({ ...base, recipe: 'sharded:shards=3,slices=2' }), { store, out: dirs.sharded });
  await trainTask(TrainArgs.parse(base), { store, out: dirs.single });
  await trainTask(TrainArgs.parse({ ...base, recipe: 'analytic:dim=64' }), { store, out: dirs.analytic });
}, 120_000);

afterAll(() => {
  store?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('policies', () => {
  it('exact picks the kind\'s exact method and is refused, naming the way out, for a kind that has none', () => {
    expect(parsePolicy('exact', 'sharded').method).toBe('sisa');
    expect(parsePolicy('exact', 'analytic').method).toBe('analytic');
    expect(() => parsePolicy('exact', 'single')).toThrow(/a single model has no exact deletion method.*approximate:<method>,retrain-within/);
  });

  it('approximate needs an approximate method that takes the kind, valid parameters and a retrain bound', () => {
    const p = parsePolicy('approximate:neggrad-plus,steps=5,retrain-within=2h', 'single');
    expect(p).toMatchObject({ kind: 'approximate', method: 'neggrad-plus', retrainWithinMs: 7_200_000 });
    expect(p.params.steps).toBe(5);
    expect(() => parsePolicy('approximate:neggrad-plus', 'single')).toThrow(/add retrain-within=<duration>/);
    expect(() => parsePolicy('approximate:neggrad-plus,retrain-within=soon', 'single')).toThrow(/bad duration "soon"/);
    expect(() => parsePolicy('approximate:neggrad-plus,retrain-within=0h', 'single')).toThrow(/bad duration "0h"/);
    expect(() => parsePolicy('approximate:nope,retrain-within=1h', 'single')).toThrow(/unknown method "nope"/);
    expect(() => parsePolicy('approximate:sisa,retrain-within=1h', 'sharded')).toThrow(/sisa is exact: use the policy exact/);
    expect(() => parsePolicy('approximate:neggrad-plus,retrain-within=1h', 'sharded')).toThrow(/neggrad-plus cannot unlearn a sharded model/);
    expect(() => parsePolicy('approximate:neggrad-plus,steps=NaN,retrain-within=1h', 'single')).toThrow(/bad parameter for neggrad-plus "steps"/);
    expect(() => parsePolicy('sometimes', 'single')).toThrow(/unknown policy "sometimes"/);
  });
});

describe('deploy', () => {
  it('refuses, writing nothing, a bad name, a policy the kind cannot serve, a model without a manifest, and a name in use', () => {
    expect(() => deploy(store, { name: '../x', model: dirs.sharded, policy: 'exact' })).toThrow(/bad deployment name/);
    expect(() => deploy(store, { name: 'plain', model: dirs.single, policy: 'exact' })).toThrow(/a single model has no exact deletion method/);
    const old = join(home, 'old-ckpt');
    cpSync(dirs.single, old, { recursive: true });
    const meta = JSON.parse(readFileSync(join(old, 'meta.json'), 'utf8'));
    delete meta.manifest;
    writeFileSync(join(old, 'meta.json'), JSON.stringify(meta));
    expect(() => deploy(store, { name: 'old', model: old, policy: 'approximate:ft,retrain-within=1h' })).toThrow(/has no training manifest/);
    expect(store.deletions.listDeployments()).toEqual([]);
    deploy(store, { name: 'credit', model: dirs.sharded, policy: 'exact' });
    expect(() => deploy(store, { name: 'credit', model: dirs.sharded, policy: 'exact' })).toThrow(/exists already/);
  });

  it('version 0 is a copy of the checkpoint with its manifest: every train sample', () => {
    const v = deploymentView(store, 'credit');
    expect(v).toMatchObject({ kind: 'sharded', policy: 'exact', current: 0 });
    expect(v.versions[0]).toMatchObject({ exactness: 'deployed', manifestCount: train.length, manifestSha256: idsHash(Array.from(train)) });
    expect(v.versions[0].weightsSha256).toBe(sha256(readFileSync(join(dirs.sharded, 'weights.bin'))));
  });
});

describe('requests', () => {
  it('bad input is one error naming the problem, with nothing written', () => {
    const before = store.deletions.requests().length;
    const bad = (a: Parameters<typeof submit>[1], re: RegExp) => expect(() => submit(store, a)).toThrow(re);
    bad({ deployment: 'nope', forget: { kind: 'group', groups: ['u1'] }, key: 'a' }, /unknown deployment "nope" \(deployments: credit\)/);
    bad({ deployment: 'credit', forget: { kind: 'group', groups: ['u1'] }, key: '' }, /needs an idempotency key/);
    bad({ deployment: 'credit', forget: { kind: 'group', groups: ['u1'] }, key: 'k'.repeat(201) }, /at most 200/);
    bad({ deployment: 'credit', forget: { kind: 'random', count: 5, seed: 1 } as never, key: 'a' }, /names its subject \(ids, group, class\), not random/);
    bad({ deployment: 'credit', forget: { kind: 'class', classes: [9] }, key: 'a' }, /unknown class 9: the model has classes 0..3/);
    expect(store.deletions.requests().length).toBe(before);
  });

  it('an exact deletion of an owner: one new version whose manifest lacks exactly their samples, one ledger entry', async () => {
    const { g, ids } = groupOf(train[5]);
    const { request, created } = submit(store, { deployment: 'credit', forget: { kind: 'group', groups: [g] }, key: 'owner-1' });
    expect(created).toBe(true);
    expect(request.state).toBe('received');
    const r = await drain(store, 'credit');
    expect(r.ended.map((x) => x.id)).toEqual([request.id]);
    const done = r.ended[0];
    expect(done).toMatchObject({ state: 'done', held: ids.length, parentVersion: 0, childVersion: 1, ids: { count: ids.length, sha256: idsHash(ids) } });
    const v1 = store.deletions.current('credit');
    const manifest = Array.from(readManifest(v1.path, readMeta(v1.path).manifest!));
    expect(manifest).toEqual(Array.from(train).filter((i) => !ids.includes(i)));
    const entry = ledgerOf(store).entries()[done.ledgerSeq!];
    expect(entry).toMatchObject({
      type: 'deletion', request: request.id, key: 'owner-1', deployment: 'credit', exactness: 'exact', method: 'sisa', held: ids.length,
      parent: { version: 0 }, child: { version: 1, weightsSha256: sha256(readFileSync(join(v1.path, 'weights.bin'))), manifest: { count: manifest.length, sha256: idsHash(manifest) } },
    });
    expect((entry.evidence as { changed: string[] }).changed.join(' ')).toMatch(/shard \d: slices? [\d,]+ held deleted samples/);
    // Files of the new version that are byte for byte the parent's (unchanged stages) are hard links to the parent's,
    // so versions share disk; the others are files of their own. (Here stage 0 trains 0 epochs under SISA's budget
    // for E = 1, L = 2, so it is the initial weights in every version.)
    const v0 = store.deletions.versions('credit')[0];
    const files = readdirSync(v1.path);
    const same = files.filter((f) => readFileSync(join(v1.path, f)).equals(readFileSync(join(v0.path, f))));
    expect(same.length).toBeGreaterThan(0);
    expect(files.length - same.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(v1.path, f)).ino === statSync(join(v0.path, f)).ino, f).toBe(same.includes(f));
  });

  it('a repeated key returns the first request; the same key with another body is refused', async () => {
    const { g } = groupOf(train[5]);
    const again = submit(store, { deployment: 'credit', forget: { kind: 'group', groups: [g] }, key: 'owner-1' });
    expect(again.created).toBe(false);
    expect(again.request.state).toBe('done');
    expect(() => submit(store, { deployment: 'credit', forget: { kind: 'group', groups: ['u0'] }, key: 'owner-1' })).toThrow(/idempotency key "owner-1" was used for another request/);
  });

  it('a subject already deleted, or never held, completes with an entry saying nothing was held', async () => {
    const { g } = groupOf(train[5]);
    const twice = submit(store, { deployment: 'credit', forget: { kind: 'group', groups: [g] }, key: 'owner-1-again' }).request;
    const never = submit(store, { deployment: 'credit', forget: { kind: 'group', groups: ['nobody'] }, key: 'nobody' }).request;
    const r = await drain(store, 'credit');
    expect(r.ended.map((x) => [x.id, x.state, x.held, x.parentVersion, x.childVersion])).toEqual([[twice.id, 'done', 0, 1, 1], [never.id, 'done', 0, 1, 1]]);
    expect(store.deletions.current('credit').number).toBe(1);
    const entries = ledgerOf(store).entries();
    expect(entries.at(-1)).toMatchObject({ exactness: 'nothing-held', held: 0, request: never.id, ids: { count: 0 } });
  });

  it('requests that wait together are coalesced into one version, each with its own entry', async () => {
    const subjects = [train[40], train[80], train[120]].map(groupOf);
    const reqs = subjects.map((s, i) => submit(store, { deployment: 'credit', forget: { kind: 'group', groups: [s.g] }, key: `batch-${i}` }).request);
    const r = await drain(store, 'credit');
    expect(r.ended.map((x) => x.childVersion)).toEqual([2, 2, 2]);
    expect(store.deletions.versions('credit').map((v) => v.number)).toEqual([0, 1, 2]);
    const entries = ledgerOf(store).entries().slice(-3);
    expect(entries.map((e) => e.request)).toEqual(reqs.map((x) => x.id));
    expect(entries.every((e) => JSON.stringify(e.batch) === JSON.stringify(reqs.map((x) => x.id)))).toBe(true);
    const v2 = store.deletions.current('credit');
    const manifest = new Set(readManifest(v2.path, readMeta(v2.path).manifest!));
    expect(subjects.flatMap((s) => s.ids).some((id) => manifest.has(id))).toBe(false);
  });

  it('a class deletion on an analytic deployment is served exactly by the head', async () => {
    deploy(store, { name: 'head', model: dirs.analytic, policy: 'exact' });
    const req = submit(store, { deployment: 'head', forget: { kind: 'class', classes: [2] }, key: 'class-2' }).request;
    const [done] = (await drain(store, 'head')).ended;
    const classTrain = Array.from(train).filter((i) => ds.y[i] === 2);
    expect(done).toMatchObject({ id: req.id, state: 'done', held: classTrain.length, childVersion: 1 });
    const v1 = store.deletions.current('head');
    expect(readMeta(v1.path).head!.rows).toBe(train.length - classTrain.length);
    expect(ledgerOf(store).entries()[done.ledgerSeq!]).toMatchObject({ method: 'analytic', exactness: 'exact' });
  });
});

describe('an approximate policy', () => {
  it('serves now with measured evidence, keeps the samples in lineage until the exact retrain supersedes it', async () => {
    deploy(store, { name: 'approx', model: dirs.single, policy: 'approximate:neggrad-plus,steps=4,retrain-within=1h' });
    const { g, ids } = groupOf(train[7]);
    const req = submit(store, { deployment: 'approx', forget: { kind: 'group', groups: [g] }, key: 'a-1' }).request;
    const t0 = Date.now();
    const [done] = (await drain(store, 'approx')).ended;
    expect(done).toMatchObject({ id: req.id, state: 'done', held: ids.length, childVersion: 1 });
    const entry = ledgerOf(store).entries()[done.ledgerSeq!];
    expect(entry).toMatchObject({ exactness: 'approximate', method: 'neggrad-plus' });
    const ev = entry.evidence as { measured: { original: Record<string, number>; unlearned: Record<string, number> }; retrainDue: string };
    for (const side of [ev.measured.original, ev.measured.unlearned]) {
      for (const k of ['forgetAcc', 'retainAcc', 'testAcc', 'mia']) expect(side[k]).toBeGreaterThanOrEqual(0);
    }
    expect(Date.parse(ev.retrainDue) - t0).toBeGreaterThan(3_590_000);
    // The approximate version's weights still derive from the samples: its manifest keeps them, lineage says so.
    const v1 = store.deletions.current('approx');
    expect(v1.exactness).toBe('approximate');
    expect(readManifest(v1.path, readMeta(v1.path).manifest!).length).toBe(train.length);
    const before = lineage(store, { group: g, deployment: 'approx' });
    expect(before.rows.map((r) => [r.version, r.status])).toEqual([[0, 'superseded'], [1, 'to be retrained']]);
    expect(retrainDue(store, 'approx')!.getTime()).toBeGreaterThan(Date.now());

    // Asked again before the retrain: the samples are still in the weights' lineage, but already deleted, so
    // nothing is done twice (and no later approximate deletion learns them again as retained data).
    const twice = submit(store, { deployment: 'approx', forget: { kind: 'group', groups: [g] }, key: 'a-1-again' }).request;
    expect((await drain(store, 'approx')).ended).toMatchObject([{ id: twice.id, state: 'done', held: 0, parentVersion: 1, childVersion: 1 }]);

    // Not due yet: a drain does nothing; with retrainNow the exact retrain lands as version 2.
    expect((await drain(store, 'approx')).retrained).toBeUndefined();
    const r = await drain(store, 'approx', { retrainNow: true });
    expect(r.retrained).toBe(2);
    const v2 = store.deletions.current('approx');
    expect(v2.exactness).toBe('retrain');
    const m2 = new Set(readManifest(v2.path, readMeta(v2.path).manifest!));
    expect(ids.some((id) => m2.has(id))).toBe(false);
    expect(m2.size).toBe(train.length - ids.length);
    const sup = store.deletions.getRequest(req.id)!;
    expect(ledgerOf(store).entries()[sup.supersededSeq!]).toMatchObject({ type: 'retrain', supersedes: done.ledgerSeq, request: req.id, exactness: 'exact', child: { version: 2 } });
    expect(retrainDue(store, 'approx')).toBeUndefined();
    expect(lineage(store, { group: g, deployment: 'approx' }).rows.map((x) => [x.version, x.status])).toEqual([[0, 'superseded'], [1, 'superseded']]);
    expect(certificatesOf(store, req.id).certificates.map((c) => c.entry.type)).toEqual(['deletion', 'retrain']);
  }, 60_000);
});

describe('a regressor under an approximate policy', () => {
  it('is refused a method that cannot unlearn a regressor, and served by one that can, with L1 evidence, not accuracies', async () => {
    const regDir = join(home, 'm-regressor');
    await trainTask(TrainArgs.parse({ data: 'diabetes', model: 'mlp', epochs: 10, seed: 1 }), { store, out: regDir });
    expect(() => deploy(store, { name: 'reg-scrub', model: regDir, policy: 'approximate:scrub,retrain-within=1h' }))
      .toThrow(/policy approximate:scrub,retrain-within=1h: scrub cannot unlearn a regression model: it serves classification only \(regression methods: .*blindspot/);
    expect(store.deletions.getDeployment('reg-scrub')).toBeUndefined();
    deploy(store, { name: 'reg', model: regDir, policy: 'approximate:blindspot,retrain-within=1h' });
    const deleted = [3, 10, 42];
    const req = submit(store, { deployment: 'reg', forget: { kind: 'ids', ids: deleted }, key: 'r-1' }).request;
    const [done] = (await drain(store, 'reg')).ended;
    expect(done).toMatchObject({ id: req.id, state: 'done', held: 3, childVersion: 1 });
    const entry = ledgerOf(store).entries()[done.ledgerSeq!];
    expect(entry).toMatchObject({ exactness: 'approximate', method: 'blindspot' });
    const ev = entry.evidence as { measured: { original: Record<string, number>; unlearned: Record<string, number>; note: string } };
    for (const side of [ev.measured.original, ev.measured.unlearned]) {
      expect(Object.keys(side).sort()).toEqual(['forgetL1', 'mia', 'retainL1', 'testL1']);
    }
    expect(ev.measured.note).toMatch(/mean absolute error of the prediction of progression/);
    // The original's forget L1 by hand: version 0's predictions of the three deleted patients against their targets.
    const reg = loadData({ name: 'diabetes' });
    const v0 = await loadCheckpoint(store.deletions.versions('reg')[0].path);
    const pred = predictScores(v0.model, subset(reg, Int32Array.from(deleted)));
    v0.model.dispose();
    const byHand = deleted.reduce((a, id, i) => a + Math.abs(pred[i] - reg.target![id]), 0) / deleted.length;
    expect(ev.measured.original.forgetL1).toBeCloseTo(byHand, 1);
    expect(ev.measured.unlearned.forgetL1).not.toBe(ev.measured.original.forgetL1);
    // The exact retrain of a regressor: version 2 is trained without the three patients.
    expect((await drain(store, 'reg', { retrainNow: true })).retrained).toBe(2);
    const v2 = store.deletions.current('reg');
    expect(readMeta(v2.path).task).toBe('regression');
    const m2 = new Set(readManifest(v2.path, readMeta(v2.path).manifest!));
    expect(deleted.some((id) => m2.has(id))).toBe(false);
    expect(m2.size).toBe(idsOfSplit(reg, 'train').length - deleted.length);
    expect(verifyAll(store).ok).toBe(true);
  }, 60_000);
});

describe('lineage', () => {
  it('answers for a sample and an owner across deployments and stored checkpoints, from the manifests', () => {
    const { g } = groupOf(train[5]);
    const r = lineage(store, { group: g });
    // credit v0 held them (superseded); the other deployments' versions and checkpoints that never deleted them hold them too.
    const credit = r.rows.filter((x) => x.deployment === 'credit');
    expect(credit.map((x) => [x.version, x.status])).toEqual([[0, 'superseded']]);
    expect(r.rows.find((x) => x.deployment === 'head' && x.status === 'current')).toBeDefined();
    const one = lineage(store, { sample: train[5], deployment: 'credit' });
    expect(one.rows.map((x) => x.version)).toEqual([0]);
    const deletedGroups = new Set([5, 40, 80, 120].map((i) => ds.group[train[i]]));
    const kept = Array.from(train).find((i) => !deletedGroups.has(ds.group[i]))!;
    expect(lineage(store, { sample: kept, deployment: 'credit' }).rows.map((x) => [x.version, x.status])).toEqual([[0, 'superseded'], [1, 'superseded'], [2, 'current']]);
    expect(() => lineage(store, {})).toThrow(/--sample ID or --group G/);
    expect(() => lineage(store, { sample: 1, deployment: 'nope' })).toThrow(/unknown deployment "nope"/);
  });
});

describe('certificates and verification', () => {
  it('a certificate checks on its own, by hand as well; against a forged head it fails', () => {
    const req = store.deletions.requestByKey('owner-1')!;
    const { certificates: [cert], publicKey } = certificatesOf(store, req.id);
    expect(verifyCertificate(cert as never, publicKey)).toMatchObject({ ok: true });
    // By hand, as a third party would (RFC 9162 §2.1.3.2), with only SHA-256 and Ed25519.
    const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    let r = h(Buffer.from([0]), Buffer.from(canonicalJson(cert.entry)));
    let fn = cert.entry.seq;
    let sn = cert.head.size - 1;
    for (const p of cert.proof.map((x) => Buffer.from(x, 'hex'))) {
      if (fn % 2 === 1 || fn === sn) {
        r = h(Buffer.from([1]), p, r);
        while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
      } else {
        r = h(Buffer.from([1]), r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    expect(sn).toBe(0);
    expect(r.toString('hex')).toBe(cert.head.rootHash);
    const message = Buffer.from(`lethe-tree-head:v1\n${cert.head.size}\n${cert.head.rootHash}\n${cert.head.timestamp}`);
    expect(cryptoVerify(null, message, createPublicKey(publicKey), Buffer.from(cert.head.signature, 'base64'))).toBe(true);
    const { privateKey, publicKey: pk } = generateKeyPairSync('ed25519');
    const forger: LedgerKey = { privateKey, publicKey: pk, publicKeyPem: pk.export({ type: 'spki', format: 'pem' }) as string, keyId: 'f'.repeat(64) };
    const forged = signTreeHead(forger, cert.head.size, cert.head.rootHash, new Date());
    expect(verifyCertificate({ ...cert, head: forged } as never, publicKey)).toMatchObject({ ok: false, problem: /not signed by this key/ });
    const edited = { ...cert, entry: { ...cert.entry, held: 0 } };
    expect(verifyCertificate(edited as never, publicKey)).toMatchObject({ ok: false, problem: /not in the signed tree/ });
  });

  it('the whole record verifies', () => {
    const v = verifyAll(store);
    expect(v).toMatchObject({ ok: true });
    expect(v.checked.exactVersions).toBeGreaterThanOrEqual(3);
  });

  describe('tampering is reported with the sequence number of the entry it breaks', () => {
    const restore: (() => void)[] = [];
    const backup = (path: string) => {
      const bytes = readFileSync(path);
      restore.push(() => writeFileSync(path, bytes));
    };
    const after = () => {
      while (restore.length) restore.pop()!();
      expect(verifyAll(store).ok).toBe(true);
    };

    it('a version whose manifest was rewritten (with meta.json to match) to hold a deleted id', () => {
      const v1 = store.deletions.versions('credit')[1];
      const seq = store.deletions.requestByKey('owner-1')!.ledgerSeq!;
      for (const f of ['manifest.bin', 'meta.json']) backup(join(v1.path, f));
      const meta = readMeta(v1.path);
      const ids = [...readManifest(v1.path, meta.manifest!), groupOf(train[5]).ids[0]].sort((a, b) => a - b);
      const raw = Buffer.concat(ids.map((id) => { const b = Buffer.alloc(4); b.writeInt32LE(id); return b; }));
      writeFileSync(join(v1.path, 'manifest.bin'), gzipSync(raw));
      writeFileSync(join(v1.path, 'meta.json'), JSON.stringify({ ...meta, manifest: { count: ids.length, sha256: sha256(raw) } }));
      expect(verifyAll(store)).toMatchObject({ ok: false, seq, problem: /deployment credit version 1: its checkpoint is not the one recorded/ });
      // And with the version row rewritten too, the signed entry still tells.
      const row = store.deletions.versions('credit')[1];
      store.db.prepare('UPDATE versions SET manifest_sha256 = ?, manifest_count = ? WHERE deployment = ? AND number = 1').run(sha256(raw), ids.length, 'credit');
      restore.push(() => store.db.prepare('UPDATE versions SET manifest_sha256 = ?, manifest_count = ? WHERE deployment = ? AND number = 1').run(row.manifestSha256, row.manifestCount, 'credit'));
      expect(verifyAll(store)).toMatchObject({ ok: false, seq, problem: /differs from what ledger entry \d+ signed|holds 1 deleted id/ });
      after();
    });

    it('a manifest file edited on its own', () => {
      const v2 = store.deletions.versions('credit')[2];
      const seq = store.deletions.requestByKey('batch-0')!.ledgerSeq!;
      backup(join(v2.path, 'manifest.bin'));
      writeFileSync(join(v2.path, 'manifest.bin'), gzipSync(Buffer.alloc(8)));
      expect(verifyAll(store)).toMatchObject({ ok: false, seq, problem: /version 2: .*manifest\.bin does not match meta\.json/ });
      after();
    });

    it('weights swapped under a version', () => {
      const [v0, v1] = store.deletions.versions('credit');
      const seq = store.deletions.requestByKey('owner-1')!.ledgerSeq!;
      backup(join(v1.path, 'weights.bin'));
      writeFileSync(join(v1.path, 'weights.bin'), readFileSync(join(v0.path, 'weights.bin')));
      expect(verifyAll(store)).toMatchObject({ ok: false, seq, problem: /version 1: its weights\.bin does not hash to what was recorded/ });
      after();
    });

    it("a request's stored ids edited (to hide a deleted id)", () => {
      const r = store.deletions.requestByKey('batch-1')!;
      const blob = store.db.prepare('SELECT ids FROM deletion_requests WHERE id = ?').get(r.id) as { ids: Buffer };
      store.db.prepare('UPDATE deletion_requests SET ids = ? WHERE id = ?').run(blob.ids.subarray(4), r.id);
      restore.push(() => store.db.prepare('UPDATE deletion_requests SET ids = ? WHERE id = ?').run(blob.ids, r.id));
      expect(verifyAll(store)).toMatchObject({ ok: false, seq: r.ledgerSeq, problem: new RegExp(`request ${r.id}: its stored ids do not hash`) });
      after();
    });

    it('a done request whose entry was replaced by another request\'s', () => {
      const a = store.deletions.requestByKey('batch-0')!;
      const b = store.deletions.requestByKey('batch-2')!;
      store.db.prepare('UPDATE deletion_requests SET ledger_seq = ? WHERE id = ?').run(b.ledgerSeq, a.id);
      restore.push(() => store.db.prepare('UPDATE deletion_requests SET ledger_seq = ? WHERE id = ?').run(a.ledgerSeq, a.id));
      expect(verifyAll(store)).toMatchObject({ ok: false, seq: a.ledgerSeq });
      after();
    });

    it('an entry edited in the ledger table', () => {
      const seq = store.deletions.requestByKey('class-2')!.ledgerSeq!;
      const row = store.db.prepare('SELECT entry FROM ledger_entries WHERE seq = ?').get(seq) as { entry: string };
      store.db.prepare('UPDATE ledger_entries SET entry = ? WHERE seq = ?').run(row.entry.replace('"exactness":"exact"', '"exactness":"approximate"'), seq);
      restore.push(() => store.db.prepare('UPDATE ledger_entries SET entry = ? WHERE seq = ?').run(row.entry, seq));
      expect(verifyAll(store)).toMatchObject({ ok: false, seq, problem: new RegExp(`entry ${seq}`) });
      after();
    });
  });

  it('subjectIds: a group names its train samples; an unknown one names none', () => {
    const { g, ids } = groupOf(train[3]);
    expect(Array.from(subjectIds(ds, { kind: 'group', groups: [g] }))).toEqual(ids);
    expect(subjectIds(ds, { kind: 'group', groups: ['nobody'] }).length).toBe(0);
  });
});
