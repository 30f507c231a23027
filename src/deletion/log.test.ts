// The ledger on a real SQLite file: appends, certificates a third party can check, and every kind of tampering
// (edit, insertion, removal, reordering, a forged head) caught by verify with the first bad sequence number.
import { createHash, verify as edVerify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store.ts';
import { loadOrCreateKey, type LedgerKey } from './keys.ts';
import { canonicalJson, Ledger, verifyCertificate, verifyConsistencyProof } from './log.ts';

let home: string;
let key: LedgerKey;
let store: Store;
let ledger: Ledger;
const T0 = Date.parse('2026-12-01T10:00:00.000Z');

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'lethe-ledger-'));
  key = loadOrCreateKey(home);
  store = new Store(join(home, 'lethe.db'));
  ledger = new Ledger(store.db, key);
  for (let i = 0; i < 6; i++) ledger.append({ request: `r${i}`, deployment: 'credit', count: i + 1 }, new Date(T0 + i * 1000));
});

afterEach(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

/** A second connection to the same file: what an attacker with write access does. */
function tamper(sql: string, ...args: unknown[]) {
  const db = new Database(join(home, 'lethe.db'));
  db.prepare(sql).run(...args);
  db.close();
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest();

describe('the ledger', () => {
  it('appends numbered, timed entries with a signed head after each, and verifies', () => {
    expect(ledger.heads().map((h) => h.size)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ledger.verify()).toEqual({ ok: true, size: 6 });
    expect(() => ledger.append({ seq: 9 })).toThrow('sets its own seq');
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: 'x' }] })).toBe('{"a":[2,{"c":"x","d":null}],"b":1}');
  });

  it('a certificate verifies on its own, by hand: leaf hash, inclusion path, Ed25519 over the documented message', () => {
    const cert = ledger.certificate(2);
    expect(verifyCertificate(cert, key.publicKeyPem)).toEqual({ ok: true, size: 6 });
    // By hand, as a third party would: the leaf, the path up the 6-leaf tree (index 2: sibling 3, then [0,1], then [4,5]).
    const leaf = sha(Buffer.concat([Buffer.of(0), Buffer.from(canonicalJson(cert.entry))]));
    const node = (l: Buffer, r: Buffer) => sha(Buffer.concat([Buffer.of(1), l, r]));
    const [p3, p01, p45] = cert.proof.map((h) => Buffer.from(h, 'hex'));
    expect(node(node(p01, node(leaf, p3)), p45).toString('hex')).toBe(cert.head.rootHash);
    const msg = `lethe-tree-head:v1\n${cert.head.size}\n${cert.head.rootHash}\n${cert.head.timestamp}`;
    expect(edVerify(null, Buffer.from(msg), key.publicKeyPem, Buffer.from(cert.head.signature, 'base64'))).toBe(true);
  });

  it('a certificate fails against a forged head, an edited entry, or another key', () => {
    const cert = ledger.certificate(4);
    expect(verifyCertificate({ ...cert, head: { ...cert.head, rootHash: '0'.repeat(64) } }, key.publicKeyPem).ok).toBe(false);
    expect(verifyCertificate({ ...cert, entry: { ...cert.entry, count: 99 } }, key.publicKeyPem)).toMatchObject({ ok: false, seq: 4 });
    expect(verifyCertificate({ ...cert, entry: { ...cert.entry, seq: 3 } }, key.publicKeyPem).ok).toBe(false);
    const other = loadOrCreateKey(mkdtempSync(join(tmpdir(), 'lethe-other-')));
    expect(verifyCertificate(cert, other.publicKeyPem)).toEqual({ ok: false, problem: 'the tree head is not signed by this key' });
  });

  it('an edited entry is caught at its sequence number, with or without its leaf hash rewritten', () => {
    const row = store.db.prepare('SELECT entry FROM ledger_entries WHERE seq = 3').get() as { entry: string };
    const edited = row.entry.replace('"count":4', '"count":40');
    tamper('UPDATE ledger_entries SET entry = ? WHERE seq = 3', edited);
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 3, problem: 'entry 3 does not match its leaf hash: it was edited' });
    const leaf = sha(Buffer.concat([Buffer.of(0), Buffer.from(edited)])).toString('hex');
    tamper('UPDATE ledger_entries SET leaf_hash = ? WHERE seq = 3', leaf);
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 3, problem: 'entry 3 differs from what the tree head of size 4 signed' });
    tamper('UPDATE ledger_entries SET entry = ? WHERE seq = 1', ' ' + (store.db.prepare('SELECT entry FROM ledger_entries WHERE seq = 1').get() as { entry: string }).entry);
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 1, problem: 'entry 1 is not in canonical form: it was edited' });
  });

  it('a removed entry is caught at its sequence number', () => {
    tamper('DELETE FROM ledger_entries WHERE seq = 2');
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 2, problem: 'entry 2 is missing' });
  });

  it('an entry appended outside the ledger (no signed head) is caught', () => {
    const text = canonicalJson({ seq: 6, time: new Date(T0).toISOString(), request: 'forged' });
    tamper('INSERT INTO ledger_entries (seq, entry, leaf_hash) VALUES (6, ?, ?)', text, sha(Buffer.concat([Buffer.of(0), Buffer.from(text)])).toString('hex'));
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 6, problem: 'entry 6 has no signed tree head: it was added outside the ledger' });
  });

  it('two entries swapped are caught at the first of them', () => {
    const a = store.db.prepare('SELECT entry, leaf_hash FROM ledger_entries WHERE seq = 1').get() as { entry: string; leaf_hash: string };
    const b = store.db.prepare('SELECT entry, leaf_hash FROM ledger_entries WHERE seq = 4').get() as { entry: string; leaf_hash: string };
    tamper('UPDATE ledger_entries SET entry = ?, leaf_hash = ? WHERE seq = 1', b.entry, b.leaf_hash);
    tamper('UPDATE ledger_entries SET entry = ?, leaf_hash = ? WHERE seq = 4', a.entry, a.leaf_hash);
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 1, problem: 'entry 1 says it is entry 4: entries were reordered or replaced' });
  });

  it('a forged head is caught: an edited root breaks its signature, and so does another head\'s root copied over it', () => {
    tamper("UPDATE ledger_heads SET root_hash = ? WHERE size = 5", 'ab'.repeat(32));
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 4, problem: 'the tree head of size 5 has a bad signature' });
    tamper("UPDATE ledger_heads SET root_hash = (SELECT root_hash FROM ledger_heads WHERE size = 6) WHERE size = 5");
    expect(ledger.verify().ok).toBe(false);
  });
});

describe('consistency proofs: an auditor holding an old head checks that the log only grew', () => {
  it('an old head is consistent with every later one, checked on its own with the public key', () => {
    for (let from = 1; from <= 6; from++) {
      for (let to = from; to <= 6; to++) expect(verifyConsistencyProof(ledger.consistency(from, to), key.publicKeyPem)).toEqual({ ok: true, size: to });
    }
    expect(ledger.consistency(2).to.size).toBe(6);
    expect(() => ledger.consistency(0)).toThrow(/signed heads have sizes 1..6/);
    expect(() => ledger.consistency(5, 3)).toThrow(/from ≤ to/);
  });

  it('a log rewritten and re-signed with the same key is not consistent with the head the auditor kept', () => {
    const kept = ledger.consistency(3).from;
    // The operator rewrites entry 1 and signs fresh heads over the new history (it holds the key).
    const other = new Store(join(home, 'rewritten.db'));
    try {
      const rewritten = new Ledger(other.db, key);
      for (let i = 0; i < 6; i++) rewritten.append({ request: `r${i}`, deployment: 'credit', count: i === 1 ? 99 : i + 1 }, new Date(T0 + i * 1000));
      expect(rewritten.verify()).toEqual({ ok: true, size: 6 });
      const proof = rewritten.consistency(3);
      expect(verifyConsistencyProof(proof, key.publicKeyPem)).toEqual({ ok: true, size: 6 });
      // Against the head the auditor kept, the rewritten log's proof fails.
      expect(verifyConsistencyProof({ ...proof, from: kept }, key.publicKeyPem)).toMatchObject({ ok: false, problem: /does not extend the one of size 3/ });
    } finally {
      other.close();
    }
  });
});
