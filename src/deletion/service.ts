// The deletion service: deployments (named slots whose current version advances), requests and their states, and
// the worker that applies them. Every state change is a row in SQLite, and each completed step commits at once
// with what it produced, so a kill -9 anywhere leaves a state the next `drain` resumes:
//   received  → resolved   the subject's ids are worked out and stored (redone if the process died before)
//   resolved  → applying   the batch (every request waiting together) is fixed, with its parent and child version
//   applying  → done       the new version's checkpoint is written (atomically, to a path fixed by its number), then
//                          ONE transaction adds the version, a ledger entry per request and their `done`
// A crash before that transaction redoes the batch, writing the same checkpoint again; after it, nothing is redone.
// So no request, version or ledger entry is lost or written twice. One process at a time applies a deployment's
// requests: it holds the deployment (a lease in the row, given up when it finds nothing left to do).
import { randomBytes } from 'node:crypto';
import { cpSync, linkSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { idsOfSplit, subset, type Dataset } from '../data/dataset.ts';
import { initBackend } from '../engine/backend.ts';
import type { ForgetSpec } from '../data/forget/index.ts';
import { loadData } from '../data/registry.ts';
import { trueClassConfidence } from '../eval/features.ts';
import { computeMetrics } from '../eval/metrics.ts';
import { miaEfficacy } from '../eval/mia.ts';
import { splitAccuracy } from '../measure/accuracy.ts';
import { measureEvidence } from '../measure/measure.ts';
import { loadCheckpoint, type Checkpoint, type Meta } from '../models/checkpoint.ts';
import { kindOps } from '../models/kinds.ts';
import { hashIdSet, readManifest, sortedIds } from '../models/manifest.ts';
import { readMeta } from '../models/meta.ts';
import type { Model } from '../models/layers.ts';
import type { OnProgress } from '../shared/http.ts';
import { pickSorted } from '../shared/random.ts';
import type { RequestRow, VersionRow } from '../store/deletions.ts';
import type { Store } from '../store/store.ts';
import { predictProbs } from '../train/predict.ts';
import { CancelledError } from '../train/progress.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { checkDataFits, methodRefusal, runMethod, saveUnlearned } from '../unlearn/run.ts';
import { failpoint } from '../shared/failpoint.ts';
import { parsePolicy, type Policy } from './policy.ts';
import {
  deletedIds, DeletionError, deploymentOf, deploymentView, homeOf, isDeadHolder, ledgerOf, NAME, pendingApproximate, requestView,
  retrainDue, subjectIds, versionDir, versionRef, versionRow, type RequestView,
} from './records.ts';

export * from './records.ts';


function policyOf(text: string, kind: string): Policy {
  return parsePolicy(text, kind as Meta['kind']);
}

// ——— deployments ———

export interface DeployArgs {
  name: string;
  /** The checkpoint folder to deploy (copied: the deployment owns its versions). */
  model: string;
  policy: string;
}

/** Puts a checkpoint under the service: version 0 of a new deployment, with its policy checked against its kind. */
export function deploy(store: Store, a: DeployArgs) {
  if (!NAME.test(a.name)) throw new DeletionError(`bad deployment name "${a.name}": letters, digits, ".", "_" and "-", at most 64, starting with a letter or digit`, 'bad_request');
  if (store.deletions.getDeployment(a.name)) throw new DeletionError(`a deployment named "${a.name}" exists already`, 'conflict', 409);
  const meta = readMeta(a.model);
  if (!meta.manifest) throw new DeletionError(`${a.model} has no training manifest (it was written by an older Lethe): train it again to deploy it`, 'bad_request');
  try {
    const policy = policyOf(a.policy, meta.kind);
    const refused = methodRefusal(policy.method, meta);
    if (refused) throw new Error(`policy ${a.policy.trim()}: ${refused}`);
  } catch (e) {
    throw new DeletionError((e as Error).message, 'bad_policy');
  }
  readManifest(resolve(a.model), meta.manifest);
  const dir = versionDir(store, a.name, 0);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  rmSync(dir, { recursive: true, force: true }); // a deploy that died before its row was written
  cpSync(resolve(a.model), tmp, { recursive: true });
  renameSync(tmp, dir);
  store.deletions.addDeployment({ name: a.name, policy: a.policy.trim(), kind: meta.kind }, versionRow(a.name, 0, dir, meta, 'deployed', meta.method));
  return deploymentView(store, a.name);
}

// ——— applying ———

export interface DrainOptions {
  signal?: AbortSignal;
  onProgress?: OnProgress;
  /** Run a pending approximate policy's exact retrain now, not at its due time. */
  retrainNow?: boolean;
  /** How long a holder's claim lasts without renewal (default 60 s). */
  leaseMs?: number;
}

export interface DrainResult {
  /** Another live process is applying this deployment's requests (it will apply any new ones too). */
  busy?: string;
  /** Requests that ended, in order. */
  ended: RequestView[];
  /** The number of a version an exact retrain added. */
  retrained?: number;
}


/**
 * Applies a deployment's open requests in order until none is left, coalescing the ones that wait together into
 * one new version, then runs an approximate policy's exact retrain if it is due. Resumes whatever a dead process
 * left open. Returns at once with `busy` when another live process holds the deployment.
 */
export async function drain(store: Store, name: string, o: DrainOptions = {}): Promise<DrainResult> {
  const d = deploymentOf(store, name);
  const leaseMs = o.leaseMs ?? 60_000;
  const holder = `${hostname()} ${process.pid} ${threadId}-${randomBytes(4).toString('hex')}`;
  if (!store.deletions.claim(name, holder, leaseMs, isDeadHolder)) return { busy: store.deletions.getDeployment(name)!.holder ?? 'another process', ended: [] };
  sweepUnfinished(store, name);
  await initBackend();
  const renew = setInterval(() => store.deletions.renew(name, holder, leaseMs), Math.max(1000, leaseMs / 4));
  renew.unref();
  const ended: RequestView[] = [];
  let retrained: number | undefined;
  const policy = policyOf(d.policy, d.kind);
  try {
    for (;;) {
      o.signal?.throwIfAborted();
      const open = store.deletions.openRequests(name);
      if (!open.length) {
        const due = retrainDue(store, name);
        if (policy.kind === 'approximate' && due && (o.retrainNow || due <= new Date())) {
          retrained = await retrain(store, name, policy, o);
          continue;
        }
        if (store.deletions.release(name, holder)) break;
        continue;
      }
      // A batch a dead process had fixed is redone as it was; otherwise every request waiting now is one batch.
      const applying = open.filter((r) => r.state === 'applying');
      const batch = applying.length ? applying : resolveAll(store, open);
      for (const r of open) {
        const now = store.deletions.getRequest(r.id)!;
        if (now.state === 'failed') ended.push(requestView(now));
      }
      if (batch.length) ended.push(...(await apply(store, name, policy, batch, o)));
    }
  } catch (e) {
    store.deletions.releaseNow(name, holder);
    throw e;
  } finally {
    clearInterval(renew);
  }
  return { ended, ...(retrained !== undefined ? { retrained } : {}) };
}

/**
 * Removes what a holder killed mid-write left in the deployment's folder: the temporary folders of a version or a
 * deploy that never reached its rename. Only the lease holder writes there, so once it is ours nothing else is.
 */
function sweepUnfinished(store: Store, name: string) {
  const dir = join(homeOf(store), 'deployments', name);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const f of names) if (/\.tmp-\d+-[0-9a-f]+(\.old)?$/.test(f)) rmSync(join(dir, f), { recursive: true, force: true });
}

/**
 * Waits for a request to end, applying its deployment's queue here whenever no live process holds it (so a
 * holder that died mid-way is taken over).
 */
export async function awaitRequest(store: Store, id: number, o: DrainOptions = {}): Promise<RequestView> {
  for (;;) {
    const r = store.deletions.getRequest(id);
    if (!r) throw new DeletionError(`no deletion request ${id}`, 'not_found', 404);
    if (r.state === 'done' || r.state === 'failed') return requestView(r);
    o.signal?.throwIfAborted();
    const d = store.deletions.getDeployment(r.deployment)!;
    if (!d.holder || isDeadHolder(d.holder) || (d.holderUntil ?? '') < new Date().toISOString()) await drain(store, r.deployment, o);
    else await sleep(250);
  }
}

/** Resolves each `received` request against the deployment's data; returns every request now `resolved`. */
function resolveAll(store: Store, open: RequestRow[]): RequestRow[] {
  const version = store.deletions.current(open[0].deployment);
  const meta = readMeta(version.path);
  let ds: Dataset | undefined;
  for (const r of open.filter((x) => x.state === 'received')) {
    try {
      ds ??= loadData(meta.dataset);
      const ids = subjectIds(ds, r.subject as ForgetSpec);
      store.deletions.resolved(r.id, ids, hashIdSet(ids));
      failpoint('resolved');
    } catch (e) {
      store.deletions.failed(r.id, firstLine(e));
    }
  }
  return open.map((r) => store.deletions.getRequest(r.id)!).filter((r) => r.state === 'resolved');
}

const firstLine = (e: unknown) => ((e as Error)?.message ?? String(e)).split('\n')[0];

/**
 * Replaces each file of a new version that is byte for byte its parent's (a sharded model's untouched stage files)
 * with a hard link to the parent's, atomically (link under a temporary name, then rename), so versions share disk.
 */
export function shareUnchanged(parentDir: string, childDir: string) {
  for (const f of readdirSync(childDir)) {
    const a = join(parentDir, f);
    const b = join(childDir, f);
    try {
      const [sa, sb] = [statSync(a), statSync(b)];
      if (!sa.isFile() || sa.size !== sb.size || sa.ino === sb.ino || !readFileSync(a).equals(readFileSync(b))) continue;
      const tmp = `${b}.link-${process.pid}`;
      rmSync(tmp, { force: true });
      linkSync(a, tmp);
      renameSync(tmp, b);
    } catch {
      // No such file in the parent, or no hard links here: the copy stays.
    }
  }
}


interface Applied {
  version: VersionRow;
  meta: Meta;
  method: string;
  evidence: Record<string, unknown>;
}

/** Applies one batch of resolved (or, after a crash, applying) requests to the current version. */
async function apply(store: Store, name: string, policy: Policy, batch: RequestRow[], o: DrainOptions): Promise<RequestView[]> {
  const parent = store.deletions.current(name);
  const original = await loadCheckpoint(parent.path);
  try {
    const manifest = readManifest(original.dir, original.meta.manifest!);
    // Ids deleted by earlier requests: gone from an exact version's manifest, still in an approximate one's (its
    // weights derive from them until the exact retrain), but never to be learned again, nor deleted twice.
    const deleted = deletedIds(store, name);
    const live = new Set(manifest.filter((id) => !deleted.has(id)));
    const held = batch.map((r) => Array.from(r.ids!).filter((id) => live.has(id)));
    const all = sortedIds([...new Set(held.flat())]);
    let applied: Applied | undefined;
    if (all.length) {
      if (all.length >= live.size) {
        for (const r of batch) store.deletions.failed(r.id, `deleting ${all.length} samples would leave the model no training data; retire the deployment instead`);
        return batch.map((r) => requestView(store.deletions.getRequest(r.id)!));
      }
      store.deletions.applying(batch.map((r) => r.id), parent.number, parent.number + 1);
      failpoint('applying');
      try {
        applied = await makeVersion(store, name, policy, original, manifest, all, deleted, o);
        failpoint('saved');
      } catch (e) {
        if (e instanceof CancelledError || o.signal?.aborted) throw e;
        for (const r of batch) store.deletions.failed(r.id, firstLine(e));
        return batch.map((r) => requestView(store.deletions.getRequest(r.id)!));
      }
    }
    const ledger = ledgerOf(store);
    store.deletions.transaction(() => {
      // A holder whose lease ran out while it worked (an event loop blocked for a minute) may have been overtaken:
      // then it commits nothing, so no request gets a second entry.
      if (store.deletions.current(name).number !== parent.number || batch.some((r) => store.deletions.getRequest(r.id)!.state === 'done')) {
        throw new Error(`deployment "${name}" moved on while this process applied requests ${batch.map((r) => r.id).join(', ')} (its hold had lapsed); nothing was committed`);
      }
      if (applied) store.deletions.addVersion(applied.version);
      const child = applied?.version ?? parent;
      batch.forEach((r, i) => {
        const { entry } = ledger.append({
          type: 'deletion', request: r.id, key: r.key, deployment: name, subject: r.subject,
          ids: { count: r.idsCount, sha256: r.idsSha256 }, held: held[i].length,
          parent: versionRef(parent), child: versionRef(child), policy: store.deletions.getDeployment(name)!.policy,
          method: applied?.method ?? null,
          exactness: !held[i].length ? 'nothing-held' : policy.kind,
          ...(batch.length > 1 ? { batch: batch.map((b) => b.id) } : {}),
          evidence: applied && held[i].length ? applied.evidence : { note: 'the version held none of the ids: nothing to delete' },
        });
        store.deletions.done(r.id, { held: held[i].length, parent: parent.number, child: child.number, seq: entry.seq });
        failpoint('ledger');
      });
    });
    return batch.map((r) => requestView(store.deletions.getRequest(r.id)!));
  } finally {
    original.model.dispose();
  }
}

/** The context a method gets for a deployment: forget the held ids, retain the rest of the version's manifest. */
function deploymentContext(original: Checkpoint, ds: Dataset, manifest: Int32Array, forget: Int32Array, deleted: Set<number>, seed: number, o: DrainOptions): UnlearnContext {
  checkDataFits(ds, original.meta, original.dir);
  const drop = new Set(forget);
  const retain = manifest.filter((id) => !drop.has(id) && !deleted.has(id));
  const sets = { spec: { kind: 'ids' as const, ids: Array.from(forget) }, forget, retain, test: idsOfSplit(ds, 'test') };
  return {
    original: original.model, meta: original.meta, head: original.head, shards: original.shards, data: original.meta.dataset, dataset: ds, sets,
    forget: subset(ds, sets.forget), retain: subset(ds, sets.retain), seed, signal: o.signal, onProgress: o.onProgress,
  };
}

async function makeVersion(store: Store, name: string, policy: Policy, original: Checkpoint, manifest: Int32Array, forget: Int32Array, deleted: Set<number>, o: DrainOptions): Promise<Applied> {
  const ds = loadData(original.meta.dataset);
  const ctx = deploymentContext(original, ds, manifest, forget, deleted, original.meta.seed, o);
  const { model, params, seconds } = await runMethod(ctx, policy.method, policy.params);
  try {
    const ops = await kindOps(original.meta.kind);
    const evidence: Record<string, unknown> = { seconds: Number(seconds.toFixed(3)) };
    if (policy.kind === 'exact') {
      const touched = ops.touched?.({ head: original.head, shards: original.shards }, forget) ?? [];
      if (touched.length) evidence.changed = touched;
      if (original.meta.head) evidence.changed = [`head: ${forget.length} rows removed by a closed-form downdate of (R, W); ${original.meta.head.rows} → ${original.meta.head.rows - forget.length} rows`];
      const state = ops.describe?.(model);
      if (state?.length) evidence.state = state;
    } else {
      evidence.measured = measureApproximate(original.model, model, ds, ctx);
      evidence.retrainDue = new Date(Date.now() + policy.retrainWithinMs).toISOString();
    }
    const number = store.deletions.current(name).number + 1;
    const dir = versionDir(store, name, number);
    // An approximate version's weights still derive from everything its parent saw: it keeps the parent's manifest.
    const meta = await saveUnlearned(dir, model, ctx, policy.method, params, { seconds }, policy.kind === 'approximate' ? manifest : undefined);
    shareUnchanged(original.dir, dir);
    evidence.manifest = meta.manifest;
    return {
      meta, method: policy.method, evidence,
      version: versionRow(name, number, dir, meta, policy.kind, policy.method),
    };
  } finally {
    model.dispose();
  }
}

/**
 * An approximate deletion's evidence, before and after, on the deleted samples, a sample of the retained ones and of
 * the test set: for a classifier the accuracies and MIA-efficacy; for a regressor the L1 errors and the loss-based
 * MIA-efficacy, both from the metric map (accuracy means nothing for a regressor).
 */
function measureApproximate(before: Model, after: Model, ds: Dataset, ctx: UnlearnContext) {
  const retain = Int32Array.from(pickSorted(ctx.sets.retain, 2000, 11));
  const test = Int32Array.from(pickSorted(ctx.sets.test, 2000, 12));
  const round = (v: number | undefined) => Number((v ?? NaN).toFixed(2));
  if (ds.targetInfo) {
    const d = { dataset: ds, sets: { ...ctx.sets, retain, test }, forget: ctx.forget, retain: subset(ds, retain) };
    const one = (m: Model) => {
      const v = computeMetrics({ x: measureEvidence(m, d), seed: 1, seconds: 0, relearnAcc: NaN }, ['forgetL1', 'retainL1', 'testL1', 'lossMia']);
      return { forgetL1: round(v.forgetL1), retainL1: round(v.retainL1), testL1: round(v.testL1), mia: round(v.lossMia) };
    };
    return {
      original: one(before), unlearned: one(after),
      note: `L1: mean absolute error of the prediction of ${ds.targetInfo.column}, in its units; mia: the loss-based MIA-efficacy, % of deleted samples an attack on the absolute error calls non-members. A measured claim, not a proof.`,
    };
  }
  const one = (m: Model) => {
    const conf = (ids: Int32Array) => {
      const s = subset(ds, ids);
      return trueClassConfidence(predictProbs(m, s), s.y, ds.numClasses);
    };
    return {
      forgetAcc: round(splitAccuracy(m, ds, ctx.sets.forget)), retainAcc: round(splitAccuracy(m, ds, retain)), testAcc: round(splitAccuracy(m, ds, test)),
      mia: round(miaEfficacy({ retain: conf(retain), test: conf(test), forget: conf(ctx.sets.forget) }, { seed: 1, maxPerClass: 1000 }).mia),
    };
  };
  return { original: one(before), unlearned: one(after), note: 'accuracies in %; mia: MIA-efficacy (SalUn), % of deleted samples an attack calls non-members. A measured claim, not a proof.' };
}

// ——— the exact retrain of an approximate policy ———


/** Retrains the deployed model from scratch on everything not deleted; one superseding entry per pending request. */
async function retrain(store: Store, name: string, policy: Policy, o: DrainOptions): Promise<number> {
  const pending = pendingApproximate(store, name);
  const v0 = store.deletions.versions(name)[0];
  const parent = store.deletions.current(name);
  const original = await loadCheckpoint(v0.path);
  let version: VersionRow;
  let meta: Meta;
  try {
    const manifest = readManifest(original.dir, original.meta.manifest!);
    const deleted = deletedIds(store, name);
    const forget = manifest.filter((id) => deleted.has(id));
    const ds = loadData(original.meta.dataset);
    const ctx = deploymentContext(original, ds, manifest, forget, new Set(), original.meta.seed, { ...o, onProgress: o.onProgress && ((p) => o.onProgress!({ ...p, phase: `exact retrain · ${p.phase}` })) });
    const { model, params, seconds } = await runMethod(ctx, 'retrain', {});
    try {
      const number = parent.number + 1;
      const dir = versionDir(store, name, number);
      meta = await saveUnlearned(dir, model, ctx, 'retrain', params, { seconds });
      version = versionRow(name, number, dir, meta, 'retrain', 'retrain');
    } finally {
      model.dispose();
    }
  } finally {
    original.model.dispose();
  }
  failpoint('retrain-saved');
  const ledger = ledgerOf(store);
  store.deletions.transaction(() => {
    // Requests that were superseded meanwhile (another holder after a lost lease) are not superseded twice.
    if (store.deletions.current(name).number !== parent.number) throw new Error(`deployment "${name}" changed during its retrain`);
    store.deletions.addVersion(version);
    for (const r of pending) {
      const { entry } = ledger.append({
        type: 'retrain', supersedes: r.ledgerSeq, request: r.id, key: r.key, deployment: name, subject: r.subject,
        ids: { count: r.idsCount, sha256: r.idsSha256 }, parent: versionRef(parent), child: versionRef(version), policy: policyText(store, name),
        method: 'retrain', exactness: 'exact',
        evidence: { manifest: meta.manifest, note: `retrained from scratch on the ${meta.manifest!.count} samples not deleted, as ${policy.method} was approximate` },
      });
      store.deletions.superseded(r.id, entry.seq);
    }
  });
  return version.number;
}

const policyText = (store: Store, name: string) => store.deletions.getDeployment(name)!.policy;
