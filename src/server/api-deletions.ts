// The deletion service over HTTP: deployments, requests (filed, inspected, certified), the ledger, lineage. Filing a
// request records it and starts a `deletions` job for its deployment, which applies it in a worker thread; at start
// and every few seconds the server also starts one for deployments with open requests (a restart's leftovers) or a
// due exact retrain.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { certificatesOf, lineage, verifyAll } from '../deletion/audit.ts';
import { DeletionError, deploymentView, ledgerOf, MAX_KEY_LENGTH, requestView, retrainDue, submit } from '../deletion/service.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { ForgetInput } from '../jobs/task.ts';
import type { Store } from '../store/store.ts';
import { jsonBody } from './api-jobs.ts';
import { ApiError, notFound, parseOr400 } from './errors.ts';

export const DeletionRequestSchema = z.object({
  deployment: z.string().min(1).max(64),
  forget: ForgetInput,
  key: z.string({ error: 'a deletion request needs an idempotency key: a repeat with the same key returns the first result' }).min(1).max(MAX_KEY_LENGTH),
}).strict();

const SCAN_MS = 5000;

/** Starts at most one waiting `deletions` job per deployment. */
export class DeletionScheduler {
  private readonly waiting = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly store: Store, private readonly runner: JobRunner) {}

  kick(deployment: string) {
    const id = this.waiting.get(deployment);
    const job = id === undefined ? undefined : this.runner.get(id);
    if (job?.status === 'queued') return; // it will see the new request when it starts
    try {
      this.waiting.set(deployment, this.runner.submit({ kind: 'deletions', args: { deployment } }).id);
    } catch {
      // The runner is shut down: the next start resumes the request.
    }
  }

  /** Resumes open requests and due retrains now and every few seconds. */
  start() {
    const scan = () => {
      const names = new Set(this.store.deletions.deploymentsWithOpenRequests());
      for (const d of this.store.deletions.listDeployments()) {
        const due = retrainDue(this.store, d.name);
        if (due && due <= new Date()) names.add(d.name);
      }
      for (const n of names) {
        const id = this.waiting.get(n);
        const status = id === undefined ? undefined : this.runner.get(id)?.status;
        if (status !== 'queued' && status !== 'running') this.kick(n);
      }
    };
    scan();
    this.timer = setInterval(scan, SCAN_MS);
    this.timer.unref();
    return this;
  }

  stop() {
    clearInterval(this.timer);
  }
}

function asApi<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DeletionError) throw new ApiError(e.status, e.code, e.message);
    throw e;
  }
}

function requestId(c: Context): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw notFound(`deletion request "${raw}"`);
  return Number(raw);
}

export function deletionRoutes(store: Store, scheduler: DeletionScheduler) {
  const app = new Hono();
  app.get('/deployments', (c) => c.json(store.deletions.listDeployments().map((d) => deploymentView(store, d.name))));
  app.get('/deployments/:name', (c) => asApi(() => {
    const name = c.req.param('name');
    const view = deploymentView(store, name);
    return c.json({ ...view, requests: store.deletions.requests(name).map(requestView) });
  }));
  app.post('/deletions', async (c) => {
    const body = parseOr400(DeletionRequestSchema, await jsonBody(c));
    const { request, created } = asApi(() => submit(store, body));
    if (created || (request.state !== 'done' && request.state !== 'failed')) scheduler.kick(request.deployment);
    return c.json(request, created ? 202 : 200);
  });
  app.get('/deletions', (c) => {
    const deployment = c.req.query('deployment');
    return c.json(store.deletions.requests(deployment || undefined).map(requestView));
  });
  app.get('/deletions/:id', (c) => {
    const r = store.deletions.getRequest(requestId(c));
    if (!r) throw notFound(`deletion request ${c.req.param('id')}`);
    return c.json(requestView(r));
  });
  app.get('/deletions/:id/certificate', (c) => c.json(asApi(() => certificatesOf(store, requestId(c)))));
  app.get('/ledger', (c) => {
    const deployment = c.req.query('deployment');
    const entries = ledgerOf(store).entries().filter((e) => !deployment || e.deployment === deployment).reverse();
    return c.json(entries);
  });
  app.get('/ledger/key', (c) => c.json({ publicKey: ledgerOf(store).publicKeyPem }));
  app.get('/ledger/verify', (c) => c.json(verifyAll(store)));
  app.get('/ledger/consistency', (c) => {
    const { from, to } = c.req.query();
    const size = (v: string | undefined, what: string) => {
      if (v === undefined) return undefined;
      if (!/^\d{1,12}$/.test(v) || Number(v) < 1) throw new ApiError(400, 'bad_request', `${what} must be a tree size ≥ 1, got "${v}"`);
      return Number(v);
    };
    if (from === undefined) throw new ApiError(400, 'bad_request', 'from: the size of the head you hold is required');
    try {
      return c.json(ledgerOf(store).consistency(size(from, 'from')!, size(to, 'to')));
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(404, 'not_found', (e as Error).message);
    }
  });
  app.get('/lineage', (c) => asApi(() => {
    const { sample, group, deployment } = c.req.query();
    if (sample !== undefined && !/^\d{1,10}$/.test(sample)) throw new ApiError(400, 'bad_request', `sample must be a non-negative integer id, got "${sample}"`);
    return c.json(lineage(store, { sample: sample === undefined ? undefined : Number(sample), group: group || undefined, deployment: deployment || undefined }));
  }));
  return app;
}
