// Checking the service's record, and asking it questions: `verifyAll` (the ledger's cryptography, then every version
// and request against the signed entries, then exactness: no version that claims exact deletion holds an id deleted
// before it), and `lineage` (which versions and checkpoints were trained on a sample or an owner's samples).
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.ts';
import { loadData } from '../data/registry.ts';
import { readMeta } from '../models/meta.ts';
import { hashIdSet, readManifest } from '../models/manifest.ts';
import type { ApiCertificates, ApiLineage, ApiVerdict } from '../shared/http.ts';
import type { Store } from '../store/store.ts';
import type { Entry, Verdict } from './log.ts';
import { DeletionError, deploymentOf, ledgerOf, retrainDue, sha256File, subjectIds } from './records.ts';

interface Problem {
  seq: number;
  problem: string;
}


export type FullVerdict = ApiVerdict;

/**
 * Verifies everything: the Merkle log and its signed heads (./log.ts), then for every deployment that each version's
 * checkpoint still has the weights and training manifest its ledger entry records, that each completed request's
 * stored ids hash to what its entry says, and that no version claiming exact deletion (an exact method or a retrain)
 * has in its manifest an id deleted at or before it. Reports the first bad sequence number.
 */
export function verifyAll(store: Store): FullVerdict {
  const ledger = ledgerOf(store);
  const base: Verdict = ledger.verify();
  const checked = { entries: 0, versions: 0, requests: 0, exactVersions: 0, pruned: 0 };
  if (!base.ok) return { ok: false, size: 0, seq: base.seq, problem: base.problem, checked };
  const entries = ledger.entries();
  checked.entries = entries.length;
  const problems: Problem[] = [];
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const child = (e: Entry) => e.child as { version: number; model: string; weightsSha256: string; manifest: { count: number; sha256: string } };

  for (const d of store.deletions.listDeployments()) {
    const versions = store.deletions.versions(d.name);
    const done = store.deletions.doneRequests(d.name);
    const mine = entries.filter((e) => e.deployment === d.name);
    // The entry that made each version (its first entry as a child); version 0 has none.
    const madeBy = new Map<number, number>();
    for (const e of mine) if (!madeBy.has(child(e).version) && child(e).version !== (e.parent as { version: number }).version) madeBy.set(child(e).version, e.seq);
    const at = (n: number) => madeBy.get(n) ?? mine[0]?.seq ?? 0;

    for (const r of done) {
      checked.requests++;
      const e = r.ledgerSeq == null ? undefined : bySeq.get(r.ledgerSeq);
      if (!e || e.request !== r.id || e.type !== 'deletion') {
        problems.push({ seq: r.ledgerSeq ?? entries.length, problem: `request ${r.id} is done but its ledger entry ${r.ledgerSeq} is not about it` });
        continue;
      }
      if (!r.ids || hashIdSet(r.ids) !== r.idsSha256 || (e.ids as { sha256: string }).sha256 !== r.idsSha256) {
        problems.push({ seq: e.seq, problem: `request ${r.id}: its stored ids do not hash to what entry ${e.seq} records: they were edited` });
      }
    }
    for (const e of mine) {
      if (e.type !== 'deletion') continue;
      const r = store.deletions.getRequest(e.request as number);
      if (!r || r.state !== 'done' || r.ledgerSeq !== e.seq) problems.push({ seq: e.seq, problem: `entry ${e.seq} records request ${String(e.request)}, which the store does not hold as done with that entry` });
    }
    // The ids deleted at or before each version, grown as the versions go up (versions come in number order).
    const byChild = done.filter((r) => r.childVersion != null).sort((a, b) => a.childVersion! - b.childVersion!);
    const deleted = new Set<number>();
    let next = 0;
    for (const v of versions) {
      for (; next < byChild.length && byChild[next].childVersion! <= v.number; next++) for (const id of byChild[next].ids ?? []) deleted.add(id);
      checked.versions++;
      if (v.pruned) checked.pruned++;
      const seq = at(v.number);
      const where = `deployment ${d.name} version ${v.number}`;
      try {
        const meta = readMeta(v.path);
        if (!meta.manifest) throw new Error('its meta.json has no training manifest');
        const ids = readManifest(v.path, meta.manifest);
        if (meta.manifest.sha256 !== v.manifestSha256 || meta.id !== v.modelId) throw new Error(`its checkpoint is not the one recorded (manifest ${meta.manifest.sha256.slice(0, 12)}…, recorded ${v.manifestSha256.slice(0, 12)}…)`);
        // A pruned version keeps only meta.json and its manifest: its weights cannot be checked any more.
        if (!v.pruned && sha256File(join(v.path, 'weights.bin')) !== v.weightsSha256) throw new Error('its weights.bin does not hash to what was recorded: the weights were changed');
        const e = madeBy.has(v.number) ? bySeq.get(madeBy.get(v.number)!) : undefined;
        if (e && (child(e).weightsSha256 !== v.weightsSha256 || child(e).manifest.sha256 !== v.manifestSha256 || child(e).model !== v.modelId)) {
          throw new Error(`it differs from what ledger entry ${e.seq} signed`);
        }
        if (v.exactness === 'exact' || v.exactness === 'retrain') {
          checked.exactVersions++;
          const still = Array.from(ids).filter((id) => deleted.has(id));
          if (still.length) throw new Error(`it claims exact deletion but its training manifest holds ${still.length} deleted id${still.length > 1 ? 's' : ''} (${still.slice(0, 5).join(', ')}${still.length > 5 ? ', …' : ''})`);
        }
      } catch (err) {
        problems.push({ seq, problem: `${where}: ${(err as Error).message}` });
      }
    }
  }
  problems.sort((a, b) => a.seq - b.seq);
  const first = problems[0];
  return first ? { ok: false, size: entries.length, seq: first.seq, problem: first.problem, checked } : { ok: true, size: entries.length, checked };
}

// ——— lineage ———

export interface LineageQuery {
  sample?: number;
  group?: string;
  deployment?: string;
}

/**
 * A version or checkpoint whose manifest holds asked ids. status: current; to be retrained (current, but an
 * approximate deletion's exact retrain is pending); superseded; checkpoint (in the store, not deployed).
 */
export type LineageRow = ApiLineage['rows'][number];
export type LineageResult = ApiLineage;

/** Every deployment version and stored checkpoint whose training manifest holds the sample or any of the group's samples. */
export function lineage(store: Store, q: LineageQuery): LineageResult {
  if ((q.sample === undefined) === (q.group === undefined)) throw new DeletionError('lineage asks about one thing: --sample ID or --group G', 'bad_request');
  if (q.sample !== undefined && !(Number.isInteger(q.sample) && q.sample >= 0)) throw new DeletionError(`sample must be a non-negative integer id, got ${q.sample}`, 'bad_request');
  if (q.deployment !== undefined) deploymentOf(store, q.deployment);
  const targets: { deployment: string | null; version: number | null; modelId: string; path: string; status: LineageRow['status']; exactness: string | null }[] = [];
  const deployed = new Set<string>();
  for (const d of store.deletions.listDeployments()) {
    const versions = store.deletions.versions(d.name);
    const pending = retrainDue(store, d.name) !== undefined;
    for (const v of versions) {
      deployed.add(v.modelId);
      if (q.deployment !== undefined && q.deployment !== d.name) continue;
      const current = v.number === versions.length - 1;
      targets.push({ deployment: d.name, version: v.number, modelId: v.modelId, path: v.path, exactness: v.exactness, status: current ? (pending && v.exactness === 'approximate' ? 'to be retrained' : 'current') : 'superseded' });
    }
  }
  if (q.deployment === undefined) {
    for (const m of store.listModels()) if (!deployed.has(m.id)) targets.push({ deployment: null, version: null, modelId: m.id, path: m.path, status: 'checkpoint', exactness: null });
  }
  const groupIds = new Map<string, Int32Array>();
  const idsFor = (ds: () => Dataset, key: string) => {
    if (q.sample !== undefined) return Int32Array.of(q.sample);
    if (!groupIds.has(key)) groupIds.set(key, subjectIds(ds(), { kind: 'group', groups: [q.group!] }));
    return groupIds.get(key)!;
  };
  const rows: LineageRow[] = [];
  const unknown: string[] = [];
  let asked = q.sample !== undefined ? 1 : 0;
  for (const t of targets) {
    let manifest: Int32Array;
    let ids: Int32Array;
    try {
      const meta = readMeta(t.path);
      if (!meta.manifest) throw new Error('no manifest');
      manifest = readManifest(t.path, meta.manifest);
      ids = idsFor(() => loadData(meta.dataset), JSON.stringify(meta.dataset));
    } catch {
      unknown.push(t.path);
      continue;
    }
    asked = Math.max(asked, ids.length);
    const set = new Set(ids);
    let contains = 0;
    for (const id of manifest) if (set.has(id)) contains++;
    if (contains) rows.push({ ...t, contains });
  }
  return { query: q.sample !== undefined ? `sample ${q.sample}` : `group ${q.group}`, ids: asked, rows, checked: targets.length - unknown.length, unknown };
}

// ——— certificates ———

/**
 * A request's certificates against the latest signed head: its deletion entry, and the entry that superseded it
 * once an approximate deletion's exact retrain landed. Each proves its entry alone, with the public key.
 */
export function certificatesOf(store: Store, requestId: number): ApiCertificates {
  const r = store.deletions.getRequest(requestId);
  if (!r) throw new DeletionError(`no deletion request ${requestId}`, 'not_found', 404);
  if (r.ledgerSeq == null) throw new DeletionError(`request ${requestId} is ${r.state}${r.error ? ` (${r.error})` : ''}: only a completed request has a ledger entry`, 'not_done', 409);
  const ledger = ledgerOf(store);
  const seqs = [r.ledgerSeq, ...(r.supersededSeq != null ? [r.supersededSeq] : [])];
  return { request: requestId, publicKey: ledger.publicKeyPem, certificates: seqs.map((s) => ledger.certificate(s)) as ApiCertificates['certificates'] };
}
