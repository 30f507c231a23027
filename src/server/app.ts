// The HTTP app: the JSON API under /api and the built UI. In-process testable with app.request (no port).
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { REPO_ROOT } from '../data/registry.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { LETHE_VERSION } from '../models/checkpoint.ts';
import type { Store } from '../store/store.ts';
import { deletionRoutes, DeletionScheduler } from './api-deletions.ts';
import { jobRoutes } from './api-jobs.ts';
import { readRoutes } from './api-read.ts';
import { ApiError, errorBody, sendError } from './errors.ts';
import { uiHandler } from './static.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_WEB_DIST = join(REPO_ROOT, 'web/dist');
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

export interface AppOptions {
  store: Store;
  runner: JobRunner;
  /** When set, every request that changes state must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** The tfjs backend the workers use, shown by /api/health. */
  backend?: string;
  webDist?: string;
  bodyLimit?: number;
  /** Host names the server answers to (guards a loopback server against DNS rebinding); all when unset. */
  allowedHosts?: string[];
  /** Starts the jobs that apply deletion requests (default: one that starts a job per filed request, and no scan). */
  scheduler?: DeletionScheduler;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (STATE_CHANGING.has(c.req.method)) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
      if (!m || !sameSecret(m[1], token)) {
        c.header('WWW-Authenticate', 'Bearer');
        throw new ApiError(401, 'unauthorized', 'this request changes state: send "Authorization: Bearer <LETHE_TOKEN>"');
      }
    }
    await next();
  };
}

function checkHost(allowed: string[]): MiddlewareHandler {
  const names = new Set(allowed.map((h) => h.toLowerCase()));
  return async (c, next) => {
    const host = new URL(c.req.url).hostname.toLowerCase();
    if (!names.has(host)) throw new ApiError(403, 'forbidden_host', `this server answers to ${allowed.join(', ')}, not to "${host}"`);
    await next();
  };
}

export function createApp(o: AppOptions): Hono {
  const app = new Hono();
  const limit = o.bodyLimit ?? DEFAULT_BODY_LIMIT;
  app.onError((e, c) => sendError(c, e));
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  if (o.allowedHosts) app.use('*', checkHost(o.allowedHosts));
  if (o.token) app.use('/api/*', requireToken(o.token));
  app.use('/api/*', bodyLimit({
    maxSize: limit,
    onError: (c) => c.json(errorBody('payload_too_large', `the body is larger than ${limit} bytes`), 413),
  }));
  app.route('/api', readRoutes(o.store, {
    version: LETHE_VERSION,
    backend: o.backend ?? process.env.LETHE_BACKEND ?? 'wasm',
    auth: Boolean(o.token),
    maxJobs: o.runner.maxJobs,
  }));
  app.route('/api/jobs', jobRoutes(o.runner));
  app.route('/api', deletionRoutes(o.store, o.scheduler ?? new DeletionScheduler(o.store, o.runner)));
  app.use('*', uiHandler(o.webDist ?? DEFAULT_WEB_DIST));
  return app;
}
