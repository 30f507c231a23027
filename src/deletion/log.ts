// The deletion ledger: an append-only Merkle log (./merkle.ts) in the store's SQLite file. Every append writes the
// entry and a tree head signed with the ledger key (./keys.ts) in one transaction, so a crash leaves either both or
// neither. A certificate is an entry, its inclusion proof and a signed head: checkable with SHA-256 and Ed25519
// alone, without seeing any other entry. `verify` recomputes every leaf, every head's root and signature, and the
// consistency between heads, and names the first bad sequence number.
import { canonicalJson } from '../shared/canonical-json.ts';
import type Database from 'better-sqlite3';
import { signTreeHead, verifyTreeHead, type LedgerKey, type TreeHead } from './keys.ts';
import { consistencyProof, inclusionProof, leafHash, rootHash, verifyConsistency, verifyInclusion } from './merkle.ts';


/** An entry as the log holds it: its sequence number and time, and what the caller appended. */
export type Entry = { seq: number; time: string } & Record<string, unknown>;

export interface Certificate {
  entry: Entry;
  /** Hex of the inclusion proof's hashes, leaf to root. */
  proof: string[];
  head: TreeHead;
}

export type Verdict = { ok: true; size: number } | { ok: false; seq?: number; problem: string };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

export class Ledger {
  constructor(private readonly db: Database.Database, private readonly key: LedgerKey) {}

  /** The public key that checks this ledger's heads (SPKI PEM). */
  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  /** Appends `fields` as the next entry and signs the new head, atomically. Returns the entry and the head. */
  append(fields: Record<string, unknown>, now = new Date()): { entry: Entry; head: TreeHead } {
    if ('seq' in fields || 'time' in fields) throw new Error('a ledger entry sets its own seq and time');
    return this.db.transaction(() => {
      const seq = (this.db.prepare('SELECT COUNT(*) AS n FROM ledger_entries').get() as { n: number }).n;
      const entry: Entry = { seq, time: now.toISOString(), ...fields };
      const text = canonicalJson(entry);
      this.db.prepare('INSERT INTO ledger_entries (seq, entry, leaf_hash) VALUES (?, ?, ?)').run(seq, text, hex(leafHash(Buffer.from(text))));
      const head = signTreeHead(this.key, seq + 1, rootHash(this.leaves()), now);
      this.db.prepare('INSERT INTO ledger_heads (size, root_hash, timestamp, key_id, signature) VALUES (?, ?, ?, ?, ?)')
        .run(head.size, head.rootHash, head.timestamp, head.keyId, head.signature);
      return { entry, head };
    }).immediate();
  }

  private rows(): { seq: number; entry: string; leaf_hash: string }[] {
    return this.db.prepare('SELECT seq, entry, leaf_hash FROM ledger_entries ORDER BY seq').all() as { seq: number; entry: string; leaf_hash: string }[];
  }

  private leaves(): Buffer[] {
    return this.rows().map((r) => unhex(r.leaf_hash));
  }

  /** Every entry as stored (newest last); `verify` is what says whether they are what was signed. */
  entries(): Entry[] {
    return this.rows().map((r) => JSON.parse(r.entry) as Entry);
  }

  heads(): TreeHead[] {
    return (this.db.prepare('SELECT size, root_hash, timestamp, key_id, signature FROM ledger_heads ORDER BY size').all() as Record<string, unknown>[])
      .map((r) => ({ size: r.size as number, rootHash: r.root_hash as string, timestamp: r.timestamp as string, keyId: r.key_id as string, signature: r.signature as string }));
  }

  latestHead(): TreeHead | undefined {
    return this.heads().at(-1);
  }

  /** The certificate of entry `seq` against the latest head. */
  certificate(seq: number): Certificate {
    const rows = this.rows();
    const row = rows[seq];
    if (!Number.isInteger(seq) || !row || row.seq !== seq) throw new Error(`no ledger entry ${seq} (the ledger has ${rows.length})`);
    const head = this.latestHead()!;
    return { entry: JSON.parse(row.entry), proof: inclusionProof(rows.map((r) => unhex(r.leaf_hash)), seq).map(hex), head };
  }

  /**
   * What an auditor holding the signed head of size `from` needs to check that the log only grew: the signed
   * head of size `to` (default: the latest) and the RFC 9162 consistency proof between their roots.
   */
  consistency(from: number, to?: number): { from: TreeHead; to: TreeHead; proof: string[] } {
    const heads = this.heads();
    const last = heads.at(-1);
    if (!last) throw new Error('the ledger is empty: there is no tree head yet');
    const end = to ?? last.size;
    const a = heads.find((h) => h.size === from);
    const b = heads.find((h) => h.size === end);
    if (!a || !b || from > end) throw new Error(`no consistency proof from size ${from} to ${end}: signed heads have sizes 1..${last.size}, and from ≤ to`);
    const leaves = this.leaves();
    return { from: a, to: b, proof: consistencyProof(leaves, from, end).map(hex) };
  }

  /**
   * Checks the whole log against the public key: entries numbered 0..n−1 with none missing or added, each stored
   * in canonical form with its own seq and the hash of its bytes, every head signed and over the root of the first
   * `size` entries, each head consistent with the one before, and the last head covering every entry.
   */
  verify(publicKey: string = this.key.publicKeyPem): Verdict {
    const rows = this.rows();
    const leaves: Buffer[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.seq !== i) return { ok: false, seq: i, problem: r.seq > i ? `entry ${i} is missing` : `entry ${r.seq} is out of order` };
      let parsed: Entry;
      try {
        parsed = JSON.parse(r.entry);
      } catch {
        return { ok: false, seq: i, problem: `entry ${i} is not JSON` };
      }
      if (parsed.seq !== i) return { ok: false, seq: i, problem: `entry ${i} says it is entry ${String(parsed.seq)}: entries were reordered or replaced` };
      if (canonicalJson(parsed) !== r.entry) return { ok: false, seq: i, problem: `entry ${i} is not in canonical form: it was edited` };
      const leaf = leafHash(Buffer.from(r.entry));
      if (hex(leaf) !== r.leaf_hash) return { ok: false, seq: i, problem: `entry ${i} does not match its leaf hash: it was edited` };
      leaves.push(leaf);
    }
    const heads = this.heads();
    let prev: TreeHead | undefined;
    for (const h of heads) {
      if (!verifyTreeHead(h, publicKey)) return { ok: false, seq: h.size - 1, problem: `the tree head of size ${h.size} has a bad signature` };
      if (h.size > leaves.length) return { ok: false, seq: leaves.length, problem: `the tree head of size ${h.size} covers entries that are missing (the ledger has ${leaves.length})` };
      // One head per append: the first head whose root is wrong names the first entry that differs from what was signed.
      if (hex(rootHash(leaves.slice(0, h.size))) !== h.rootHash) return { ok: false, seq: h.size - 1, problem: `entry ${h.size - 1} differs from what the tree head of size ${h.size} signed` };
      if (prev && !verifyConsistency(prev.size, h.size, unhex(prev.rootHash), unhex(h.rootHash), consistencyProof(leaves, prev.size, h.size))) {
        return { ok: false, seq: prev.size, problem: `the tree head of size ${h.size} is not consistent with the one of size ${prev.size}` };
      }
      prev = h;
    }
    if ((prev?.size ?? 0) !== leaves.length) return { ok: false, seq: prev?.size ?? 0, problem: `entry ${prev?.size ?? 0} has no signed tree head: it was added outside the ledger` };
    return { ok: true, size: leaves.length };
  }
}

/** Checks a consistency proof between two signed heads on its own: both signed by the key, the later extends the earlier. */
export function verifyConsistencyProof(p: { from: TreeHead; to: TreeHead; proof: string[] }, publicKey: string): Verdict {
  for (const h of [p.from, p.to]) if (!verifyTreeHead(h, publicKey)) return { ok: false, problem: `the tree head of size ${h.size} is not signed by this key` };
  const proof = p.proof.map((x) => (/^[0-9a-f]{64}$/.test(x) ? unhex(x) : Buffer.alloc(0)));
  if (!verifyConsistency(p.from.size, p.to.size, unhex(p.from.rootHash), unhex(p.to.rootHash), proof)) {
    return { ok: false, problem: `the log of size ${p.to.size} does not extend the one of size ${p.from.size}: entries were changed or removed` };
  }
  return { ok: true, size: p.to.size };
}

/** Checks a certificate on its own: the entry's leaf is in the tree the signed head describes. */
export function verifyCertificate(cert: Certificate, publicKey: string): Verdict {
  if (!verifyTreeHead(cert.head, publicKey)) return { ok: false, problem: 'the tree head is not signed by this key' };
  const seq = cert.entry?.seq;
  if (!Number.isInteger(seq)) return { ok: false, problem: 'the entry has no sequence number' };
  let leaf: Buffer;
  try {
    leaf = leafHash(Buffer.from(canonicalJson(cert.entry)));
  } catch (e) {
    return { ok: false, seq, problem: `the entry has no canonical form (${(e as Error).message})` };
  }
  const proof = cert.proof.map((p) => (/^[0-9a-f]{64}$/.test(p) ? unhex(p) : Buffer.alloc(0)));
  if (!verifyInclusion(leaf, seq, cert.head.size, proof, unhex(cert.head.rootHash))) return { ok: false, seq, problem: `entry ${seq} is not in the signed tree of size ${cert.head.size}` };
  return { ok: true, size: cert.head.size };
}

export { canonicalJson };
