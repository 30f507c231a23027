// Model banks (migrations 10, 11): the outputs a member keeps, by content hash, and each finished bank's evaluation,
// one row per setting. SQL only; src/measure/bank.ts says what a member is, src/jobs/bank-task.ts what a bank is.
import type Database from 'better-sqlite3';
import type { ApiBankRecord, ApiBankSummary } from '../shared/http.ts';

export interface StoredMember {
  forget: Float32Array;
  retain: Float32Array;
  test: Float32Array;
  forgetAcc: number;
  retainAcc: number;
  testAcc: number;
  seconds: number;
}

const f32 = (b: Buffer, at: number, n: number) => {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = b.readFloatLE((at + i) * 4);
  return out;
};

export function bankSummary(b: Omit<ApiBankRecord, 'examples'>): ApiBankSummary {
  return {
    id: b.id, created: b.created, method: b.method, params: b.params, originalId: b.originalId, dataset: b.dataset, forgetText: b.forgetText,
    forgetCount: b.forgetCount, n: b.n, forgetScore: b.epsilon.forgetScore, score: b.epsilon.score, medianEpsilon: b.epsilon.median, klomForget: b.klom.forget.median,
  };
}

export class BankTables {
  constructor(readonly db: Database.Database) {}

  /** A finished bank; the row of the same setting (its id) is replaced, so a re-run never duplicates. */
  save(b: ApiBankRecord) {
    const { examples, ...summary } = b;
    const n = examples.ids.length;
    for (const [k, v] of Object.entries(examples)) {
      if (v.length !== n) throw new Error(`bank ${b.id}: examples.${k} has ${v.length} values for ${n} forget examples`);
    }
    this.db.prepare('INSERT OR REPLACE INTO banks (id, original_id, method, n, summary, examples, created) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      b.id, b.originalId, b.method, b.n, JSON.stringify(summary), JSON.stringify(examples), b.created,
    );
  }

  get(id: string): ApiBankRecord | undefined {
    const r = this.db.prepare('SELECT summary, examples FROM banks WHERE id = ?').get(id) as { summary: string; examples: string } | undefined;
    return r && { ...JSON.parse(r.summary), examples: JSON.parse(r.examples) };
  }

  /** Every stored bank, newest first, without the per-example arrays. */
  list(): ApiBankSummary[] {
    return (this.db.prepare('SELECT summary FROM banks ORDER BY created DESC, id').all() as { summary: string }[]).map((r) => bankSummary(JSON.parse(r.summary)));
  }

  member(key: string): StoredMember | undefined {
    const r = this.db.prepare('SELECT logits, sizes, accs FROM bank_members WHERE key = ?').get(key) as { logits: Buffer; sizes: string; accs: string } | undefined;
    if (!r) return undefined;
    const [nf, nr, nt] = JSON.parse(r.sizes) as number[];
    if (r.logits.length !== (nf + nr + nt) * 4) throw new Error(`bank member ${key.slice(0, 12)}: its logits are ${r.logits.length} bytes, not ${(nf + nr + nt) * 4}: the store is damaged`);
    return { forget: f32(r.logits, 0, nf), retain: f32(r.logits, nf, nr), test: f32(r.logits, nf + nr, nt), ...JSON.parse(r.accs) };
  }

  /** A finished member; a second save of the same key (two processes racing) keeps the first. */
  saveMember(key: string, method: string, seed: number, m: StoredMember) {
    const all = [m.forget, m.retain, m.test];
    const b = Buffer.alloc(all.reduce((n, a) => n + a.length, 0) * 4);
    let at = 0;
    for (const a of all) for (const v of a) b.writeFloatLE(v, (at++) * 4);
    this.db.prepare('INSERT OR IGNORE INTO bank_members (key, method, seed, logits, sizes, accs, created) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      key, method, seed, b, JSON.stringify(all.map((a) => a.length)),
      JSON.stringify({ forgetAcc: m.forgetAcc, retainAcc: m.retainAcc, testAcc: m.testAcc, seconds: m.seconds }), new Date().toISOString(),
    );
  }
}
