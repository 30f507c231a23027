// The deletion service's records, read without running anything: errors, where versions live, the views of
// deployments and requests, filing a request, what a subject names, and when an exact retrain is due. Light on
// purpose (no TensorFlow.js): `lethe ledger`, `lethe lineage` and `lethe deployments` start fast. Applying requests
// is ./service.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { idsOfSplit, type Dataset } from '../data/dataset.ts';
import { describeSpec, resolveIds, type ForgetSpec } from '../data/forget/index.ts';
import { readMeta, type Meta } from '../models/meta.ts';
import { sortedIds } from '../models/manifest.ts';
import type { ApiDeletionRequest, ApiDeployment } from '../shared/http.ts';
import type { DeploymentRow, Exactness, RequestRow, VersionRow } from '../store/deletions.ts';
import { processAlive, type Store } from '../store/store.ts';
import { loadOrCreateKey } from './keys.ts';
import { canonicalJson, Ledger } from './log.ts';
import { readPolicy } from './policy-text.ts';

/** A problem with a request or a deployment the caller named; nothing was written. `status` is the HTTP answer. */
export class DeletionError extends Error {
  constructor(message: string, readonly code: string, readonly status: 400 | 404 | 409 = 400) {
    super(message);
    this.name = 'DeletionError';
  }
}

/** The Lethe home a store lives in: where the ledger key and the deployments' versions are kept. */
export const homeOf = (store: Store) => dirname(resolve(store.path));
export const ledgerOf = (store: Store) => new Ledger(store.db, loadOrCreateKey(homeOf(store)));
export const versionDir = (store: Store, name: string, n: number) => join(homeOf(store), 'deployments', name, `v${n}`);

export const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
/** Forget kinds a deletion request may name: its subject. Random and evaluation sets are not a person's data. */
export const SUBJECT_KINDS = ['ids', 'group', 'class'] as const;
export const MAX_KEY_LENGTH = 200;

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}


/** A deployment's row, or the 404 that names the deployments there are. */
export function deploymentOf(store: Store, name: string): DeploymentRow {
  const d = store.deletions.getDeployment(name);
  if (!d) throw new DeletionError(`unknown deployment "${name}"${knownDeployments(store)}`, 'unknown_deployment', 404);
  return d;
}

export function deploymentView(store: Store, name: string): ApiDeployment {
  const d = deploymentOf(store, name);
  const versions = store.deletions.versions(name);
  const current = versions.at(-1)!;
  const counts = store.deletions.requestCounts(name);
  const due = retrainDue(store, name);
  return {
    name, policy: d.policy, kind: d.kind, created: d.created, current: current.number, currentPath: current.path, currentModel: current.modelId,
    versions: versions.map(({ deployment: _d, ...v }) => ({ ...v, pruned: v.pruned ?? null })),
    open: counts.received + counts.resolved + counts.applying, done: counts.done, failed: counts.failed,
    retrainDue: due?.toISOString() ?? null,
  };
}
export type DeploymentView = ApiDeployment;

function knownDeployments(store: Store): string {
  const names = store.deletions.listDeployments().map((d) => d.name);
  return names.length ? ` (deployments: ${names.join(', ')})` : ' (there are none yet: lethe deploy --name NAME --model DIR --policy POLICY)';
}

/** The checkpoint folder of a deployment's current version (`lethe predict --deployment`). */
export function currentPath(store: Store, name: string): string {
  deploymentOf(store, name);
  return store.deletions.current(name).path;
}

// ——— requests ———

export interface SubmitArgs {
  deployment: string;
  forget: ForgetSpec;
  key: string;
}

export function requestView(r: RequestRow): ApiDeletionRequest {
  return {
    id: r.id, key: r.key, deployment: r.deployment, subject: describeSpec(r.subject as ForgetSpec), state: r.state,
    ids: r.idsCount == null ? null : { count: r.idsCount, sha256: r.idsSha256 }, held: r.heldCount,
    parentVersion: r.parentVersion, childVersion: r.childVersion, ledgerSeq: r.ledgerSeq, supersededSeq: r.supersededSeq,
    error: r.error, received: r.received, updated: r.updated,
  };
}
export type RequestView = ApiDeletionRequest;

/**
 * Records a request (state `received`) after checking everything that can be checked without data: the deployment,
 * the key, the subject's kind and classes. A key seen before returns the first request (`created` false) when the
 * body is the same, and is refused when it differs.
 */
export function submit(store: Store, a: SubmitArgs): { request: RequestView; created: boolean } {
  deploymentOf(store, a.deployment);
  if (typeof a.key !== 'string' || !a.key.trim()) throw new DeletionError('a deletion request needs an idempotency key (--key / "key"): a repeat with the same key returns the first result', 'missing_key');
  if (a.key.length > MAX_KEY_LENGTH) throw new DeletionError(`the idempotency key is ${a.key.length} characters; at most ${MAX_KEY_LENGTH}`, 'bad_key');
  if (!(SUBJECT_KINDS as readonly string[]).includes(a.forget.kind)) {
    throw new DeletionError(`a deletion request names its subject (${SUBJECT_KINDS.join(', ')}), not ${a.forget.kind}: ${a.forget.kind} sets are for evaluations`, 'bad_spec');
  }
  const meta = readMeta(store.deletions.current(a.deployment).path);
  if (a.forget.kind === 'class') {
    const bad = a.forget.classes.find((c) => c >= meta.numClasses);
    if (bad !== undefined) throw new DeletionError(`unknown class ${bad}: the model has classes 0..${meta.numClasses - 1}`, 'bad_spec');
  }
  const bodySha256 = createHash('sha256').update(canonicalJson({ deployment: a.deployment, forget: a.forget })).digest('hex');
  const { request, created } = store.deletions.addRequest({ key: a.key, bodySha256, deployment: a.deployment, subject: a.forget });
  if (!created && request.bodySha256 !== bodySha256) {
    throw new DeletionError(`idempotency key "${a.key}" was used for another request (${request.id}: ${describeSpec(request.subject as ForgetSpec)} on ${request.deployment}); use a new key`, 'key_reused', 409);
  }
  return { request: requestView(request), created };
}

/** The train ids a subject names in a data set. A group the data set does not know names nothing (a subject may ask about data we never had). */
export function subjectIds(ds: Dataset, spec: ForgetSpec): Int32Array {
  if (spec.kind === 'group') {
    const gs = new Set(spec.groups);
    return Int32Array.from(idsOfSplit(ds, 'train').filter((i) => gs.has(ds.group[i])));
  }
  return sortedIds([...resolveIds(ds, spec)]);
}

export const isDeadHolder = (holder: string) => {
  const [host, pid] = holder.split(' ');
  return host === hostname() && !processAlive(Number(pid));
};

/** Every id a completed request of the deployment asked to delete. */
export function deletedIds(store: Store, name: string): Set<number> {
  return new Set(store.deletions.doneRequests(name).flatMap((r) => Array.from(r.ids ?? [])));
}

/** The row of a version whose checkpoint is at `dir`: its weights and manifest hashes, read from the checkpoint. */
export function versionRow(name: string, number: number, dir: string, meta: Meta, exactness: Exactness, method: string): VersionRow {
  if (!meta.manifest) throw new Error(`checkpoint ${dir} has no training manifest`);
  return {
    deployment: name, number, modelId: meta.id, path: dir, weightsSha256: sha256File(join(dir, 'weights.bin')),
    manifestCount: meta.manifest.count, manifestSha256: meta.manifest.sha256, exactness, method, created: new Date().toISOString(),
  };
}

/** A version as a ledger entry names it: what a verifier can recompute from its checkpoint. */
export const versionRef = (v: VersionRow) => ({ version: v.number, model: v.modelId, weightsSha256: v.weightsSha256, manifest: { count: v.manifestCount, sha256: v.manifestSha256 } });

/** Approximate deletions whose exact retrain has not landed: done, on an approximate version, not superseded. */
export function pendingApproximate(store: Store, name: string): RequestRow[] {
  const exactness = new Map(store.deletions.versions(name).map((v) => [v.number, v.exactness]));
  return store.deletions.doneRequests(name).filter((r) => r.supersededSeq == null && (r.heldCount ?? 0) > 0 && exactness.get(r.childVersion!) === 'approximate');
}

/** When the exact retrain is due: the first pending approximate deletion's time plus the policy's bound. */
export function retrainDue(store: Store, name: string): Date | undefined {
  const policy = readPolicy(store.deletions.getDeployment(name)!.policy);
  if (policy.kind !== 'approximate') return undefined;
  const pending = pendingApproximate(store, name);
  if (!pending.length) return undefined;
  return new Date(Math.min(...pending.map((r) => Date.parse(r.updated))) + policy.retrainWithinMs);
}
