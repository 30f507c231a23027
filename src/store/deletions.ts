// The deletion service's tables (migration 7): deployments, their versions, deletion requests. SQL only; what the
// states mean and when they change is src/deletion/service.ts. Every multi-row change is one transaction.
import type Database from 'better-sqlite3';

export type RequestState = 'received' | 'resolved' | 'applying' | 'done' | 'failed';
export const OPEN_STATES: RequestState[] = ['received', 'resolved', 'applying'];
export type Exactness = 'deployed' | 'exact' | 'approximate' | 'retrain';

export interface DeploymentRow {
  name: string;
  policy: string;
  kind: string;
  created: string;
  holder: string | null;
  holderUntil: string | null;
}

export interface VersionRow {
  deployment: string;
  number: number;
  modelId: string;
  path: string;
  weightsSha256: string;
  manifestCount: number;
  manifestSha256: string;
  exactness: Exactness;
  method: string;
  created: string;
  /** When its weights were pruned (only meta.json and manifest.bin are left), or null. */
  pruned?: string | null;
}

export interface RequestRow {
  id: number;
  key: string;
  bodySha256: string;
  deployment: string;
  subject: unknown;
  state: RequestState;
  ids: Int32Array | null;
  idsCount: number | null;
  idsSha256: string | null;
  heldCount: number | null;
  parentVersion: number | null;
  childVersion: number | null;
  ledgerSeq: number | null;
  supersededSeq: number | null;
  error: string | null;
  received: string;
  updated: string;
}

const now = () => new Date().toISOString();

const toBlob = (ids: Int32Array) => {
  const b = Buffer.alloc(ids.length * 4);
  ids.forEach((id, i) => b.writeInt32LE(id, i * 4));
  return b;
};
const fromBlob = (b: Buffer | null) => {
  if (!b) return null;
  const ids = new Int32Array(b.length >> 2);
  for (let i = 0; i < ids.length; i++) ids[i] = b.readInt32LE(i * 4);
  return ids;
};

function toDeployment(r: Record<string, unknown>): DeploymentRow {
  return { name: r.name as string, policy: r.policy as string, kind: r.kind as string, created: r.created as string, holder: (r.holder as string | null) ?? null, holderUntil: (r.holder_until as string | null) ?? null };
}

function toVersion(r: Record<string, unknown>): VersionRow {
  return {
    deployment: r.deployment as string, number: r.number as number, modelId: r.model_id as string, path: r.path as string,
    weightsSha256: r.weights_sha256 as string, manifestCount: r.manifest_count as number, manifestSha256: r.manifest_sha256 as string,
    exactness: r.exactness as Exactness, method: r.method as string, created: r.created as string, pruned: (r.pruned as string | null) ?? null,
  };
}

function toRequest(r: Record<string, unknown>): RequestRow {
  const n = (v: unknown) => (v == null ? null : (v as number));
  return {
    id: r.id as number, key: r.key as string, bodySha256: r.body_sha256 as string, deployment: r.deployment as string,
    subject: JSON.parse(r.subject as string), state: r.state as RequestState, ids: fromBlob(r.ids as Buffer | null),
    idsCount: n(r.ids_count), idsSha256: (r.ids_sha256 as string | null) ?? null, heldCount: n(r.held_count),
    parentVersion: n(r.parent_version), childVersion: n(r.child_version), ledgerSeq: n(r.ledger_seq), supersededSeq: n(r.superseded_seq),
    error: (r.error as string | null) ?? null, received: r.received as string, updated: r.updated as string,
  };
}

export class DeletionTables {
  constructor(readonly db: Database.Database) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  addDeployment(d: { name: string; policy: string; kind: string }, v0: Omit<VersionRow, 'deployment' | 'number' | 'created'>) {
    this.transaction(() => {
      if (this.getDeployment(d.name)) throw new Error(`a deployment named "${d.name}" exists already`);
      const created = now();
      this.db.prepare('INSERT INTO deployments (name, policy, kind, created) VALUES (?, ?, ?, ?)').run(d.name, d.policy, d.kind, created);
      this.addVersion({ ...v0, deployment: d.name, number: 0, created });
    });
  }

  getDeployment(name: string): DeploymentRow | undefined {
    const r = this.db.prepare('SELECT * FROM deployments WHERE name = ?').get(name) as Record<string, unknown> | undefined;
    return r && toDeployment(r);
  }

  listDeployments(): DeploymentRow[] {
    return (this.db.prepare('SELECT * FROM deployments ORDER BY name').all() as Record<string, unknown>[]).map(toDeployment);
  }

  /** Takes the deployment for `holder` if it is free, its lease ran out, or `isDead` says its holder is gone. */
  claim(name: string, holder: string, leaseMs: number, isDead: (holder: string) => boolean): boolean {
    return this.transaction(() => {
      const d = this.getDeployment(name);
      if (!d) throw new Error(`no deployment "${name}"`);
      const free = !d.holder || d.holder === holder || (d.holderUntil ?? '') < now() || isDead(d.holder);
      if (!free) return false;
      this.db.prepare('UPDATE deployments SET holder = ?, holder_until = ? WHERE name = ?').run(holder, new Date(Date.now() + leaseMs).toISOString(), name);
      return true;
    });
  }

  renew(name: string, holder: string, leaseMs: number) {
    this.db.prepare('UPDATE deployments SET holder_until = ? WHERE name = ? AND holder = ?').run(new Date(Date.now() + leaseMs).toISOString(), name, holder);
  }

  /** Lets go of the deployment unless requests arrived meanwhile (then returns false: the holder goes on). */
  release(name: string, holder: string): boolean {
    return this.transaction(() => {
      if (this.openRequests(name).length) return false;
      this.db.prepare('UPDATE deployments SET holder = NULL, holder_until = NULL WHERE name = ? AND holder = ?').run(name, holder);
      return true;
    });
  }

  /** Lets go whatever is open (a failure or a cancel: the next holder resumes). */
  releaseNow(name: string, holder: string) {
    this.db.prepare('UPDATE deployments SET holder = NULL, holder_until = NULL WHERE name = ? AND holder = ?').run(name, holder);
  }

  addVersion(v: VersionRow) {
    this.db.prepare(`INSERT INTO versions (deployment, number, model_id, path, weights_sha256, manifest_count, manifest_sha256, exactness, method, created)
                     VALUES (@deployment, @number, @modelId, @path, @weightsSha256, @manifestCount, @manifestSha256, @exactness, @method, @created)`).run(v);
  }

  markPruned(deployment: string, number: number) {
    this.db.prepare('UPDATE versions SET pruned = COALESCE(pruned, ?) WHERE deployment = ? AND number = ?').run(now(), deployment, number);
  }

  versions(deployment: string): VersionRow[] {
    return (this.db.prepare('SELECT * FROM versions WHERE deployment = ? ORDER BY number').all(deployment) as Record<string, unknown>[]).map(toVersion);
  }

  allVersions(): VersionRow[] {
    return (this.db.prepare('SELECT * FROM versions ORDER BY deployment, number').all() as Record<string, unknown>[]).map(toVersion);
  }

  current(deployment: string): VersionRow {
    const r = this.db.prepare('SELECT * FROM versions WHERE deployment = ? ORDER BY number DESC LIMIT 1').get(deployment) as Record<string, unknown> | undefined;
    if (!r) throw new Error(`deployment "${deployment}" has no version`);
    return toVersion(r);
  }

  /** Inserts a request unless its key is known; returns the stored request and whether this call created it. */
  addRequest(r: { key: string; bodySha256: string; deployment: string; subject: unknown }): { request: RequestRow; created: boolean } {
    return this.transaction(() => {
      const old = this.requestByKey(r.key);
      if (old) return { request: old, created: false };
      const t = now();
      const id = Number(this.db.prepare(`INSERT INTO deletion_requests (key, body_sha256, deployment, subject, state, received, updated) VALUES (?, ?, ?, ?, 'received', ?, ?)`)
        .run(r.key, r.bodySha256, r.deployment, JSON.stringify(r.subject), t, t).lastInsertRowid);
      return { request: this.getRequest(id)!, created: true };
    });
  }

  getRequest(id: number): RequestRow | undefined {
    const r = this.db.prepare('SELECT * FROM deletion_requests WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && toRequest(r);
  }

  requestByKey(key: string): RequestRow | undefined {
    const r = this.db.prepare('SELECT * FROM deletion_requests WHERE key = ?').get(key) as Record<string, unknown> | undefined;
    return r && toRequest(r);
  }

  requests(deployment?: string, limit = 1000): RequestRow[] {
    const rows = deployment === undefined
      ? this.db.prepare('SELECT * FROM deletion_requests ORDER BY id DESC LIMIT ?').all(limit)
      : this.db.prepare('SELECT * FROM deletion_requests WHERE deployment = ? ORDER BY id DESC LIMIT ?').all(deployment, limit);
    return (rows as Record<string, unknown>[]).map(toRequest);
  }

  /** How many of the deployment's requests are in each state. */
  requestCounts(deployment: string): Record<RequestState, number> {
    const counts: Record<RequestState, number> = { received: 0, resolved: 0, applying: 0, done: 0, failed: 0 };
    for (const r of this.db.prepare('SELECT state, COUNT(*) AS n FROM deletion_requests WHERE deployment = ? GROUP BY state').all(deployment) as { state: RequestState; n: number }[]) counts[r.state] = r.n;
    return counts;
  }

  openRequests(deployment: string): RequestRow[] {
    return (this.db.prepare(`SELECT * FROM deletion_requests WHERE deployment = ? AND state IN ('received', 'resolved', 'applying') ORDER BY id`).all(deployment) as Record<string, unknown>[]).map(toRequest);
  }

  doneRequests(deployment: string): RequestRow[] {
    return (this.db.prepare(`SELECT * FROM deletion_requests WHERE deployment = ? AND state = 'done' ORDER BY id`).all(deployment) as Record<string, unknown>[]).map(toRequest);
  }

  /** Deployments with requests still open (a restart resumes them). */
  deploymentsWithOpenRequests(): string[] {
    return (this.db.prepare(`SELECT DISTINCT deployment FROM deletion_requests WHERE state IN ('received', 'resolved', 'applying') ORDER BY deployment`).all() as { deployment: string }[]).map((r) => r.deployment);
  }

  resolved(id: number, ids: Int32Array, sha256: string) {
    this.db.prepare(`UPDATE deletion_requests SET state = 'resolved', ids = ?, ids_count = ?, ids_sha256 = ?, updated = ? WHERE id = ? AND state = 'received'`)
      .run(toBlob(ids), ids.length, sha256, now(), id);
  }

  applying(ids: number[], parent: number, child: number) {
    const st = this.db.prepare(`UPDATE deletion_requests SET state = 'applying', parent_version = ?, child_version = ?, updated = ? WHERE id = ? AND state IN ('resolved', 'applying')`);
    this.transaction(() => ids.forEach((id) => st.run(parent, child, now(), id)));
  }

  done(id: number, f: { held: number; parent: number; child: number; seq: number }) {
    this.db.prepare(`UPDATE deletion_requests SET state = 'done', held_count = ?, parent_version = ?, child_version = ?, ledger_seq = ?, error = NULL, updated = ? WHERE id = ?`)
      .run(f.held, f.parent, f.child, f.seq, now(), id);
  }

  failed(id: number, error: string) {
    this.db.prepare(`UPDATE deletion_requests SET state = 'failed', error = ?, updated = ? WHERE id = ? AND state IN ('received', 'resolved', 'applying')`).run(error, now(), id);
  }

  superseded(id: number, seq: number) {
    this.db.prepare('UPDATE deletion_requests SET superseded_seq = ?, updated = ? WHERE id = ?').run(seq, now(), id);
  }
}
