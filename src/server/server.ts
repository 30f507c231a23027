// Starts Lethe's HTTP server: the store, the job runner and the app on one port; stops them cleanly.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { initBackend } from '../engine/backend.ts';
import { JobRunner } from '../jobs/runner.ts';
import { Store } from '../store/store.ts';
import { DeletionScheduler } from './api-deletions.ts';
import { createApp, LOOPBACK_HOSTS } from './app.ts';

export interface ServeOptions {
  host?: string;
  port?: number;
  maxJobs?: number;
  /** Defaults to LETHE_TOKEN. Required when binding anything but a loopback address. */
  token?: string;
  storePath?: string;
  webDist?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  app: Hono;
  runner: JobRunner;
  store: Store;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export async function startServer(o: ServeOptions = {}): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? (process.env.LETHE_TOKEN || undefined);
  if (!isLoopback(host) && !token) {
    throw new Error(`refusing to listen on ${host} without a token: set LETHE_TOKEN (requests that change state must then send "Authorization: Bearer <token>"), or bind 127.0.0.1`);
  }
  if (token !== undefined && token.length < 8) throw new Error('LETHE_TOKEN is too short: use at least 8 characters');
  let backend: string;
  try {
    backend = (await initBackend()).backend;
  } catch (e) {
    backend = `unavailable (${(e as Error).message})`;
  }
  const store = new Store(o.storePath);
  const runner = new JobRunner({ store, maxJobs: o.maxJobs });
  // Requests a previous process left open (or a due exact retrain) are resumed now, in worker threads.
  const scheduler = new DeletionScheduler(store, runner).start();
  const app = createApp({ store, runner, scheduler, token, backend, webDist: o.webDist, allowedHosts: isLoopback(host) ? [...new Set([...LOOPBACK_HOSTS, host])] : undefined });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: o.port ?? 8080, hostname: host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (e) {
    scheduler.stop();
    await runner.close();
    store.close();
    const err = e as NodeJS.ErrnoException;
    throw new Error(err.code === 'EADDRINUSE' ? `port ${o.port} on ${host} is in use: pick another with --port` : `cannot listen on ${host}:${o.port}: ${err.message}`);
  }
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}/`,
    port,
    app,
    runner,
    store,
    close() {
      closing ??= (async () => {
        scheduler.stop();
        await runner.close();
        // Open event streams would hold the server open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        await new Promise<void>((r) => server.close(() => r()));
        store.close();
      })();
      return closing;
    },
  };
}
