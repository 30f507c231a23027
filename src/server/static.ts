// Hosts the built UI (web/dist) with an index.html fallback for client-side routes; says how to build it if missing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';

export const NOT_BUILT = 'The Lethe UI is not built: run `npm run build:web`, then reload this page (the JSON API is under /api).\n';

export function uiHandler(distDir: string): MiddlewareHandler {
  let files: MiddlewareHandler | undefined;
  let index: MiddlewareHandler | undefined;
  return async (c, next) => {
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/') || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    // Checked per request, so that building the UI while the server runs is enough.
    if (!existsSync(join(distDir, 'index.html'))) {
      return path === '/' ? c.text(NOT_BUILT) : next();
    }
    files ??= serveStatic({ root: distDir });
    index ??= serveStatic({ root: distDir, path: 'index.html' });
    // A missing asset (a name with an extension) stays a 404; any other path is a client-side route.
    const asset = /\.[A-Za-z0-9]+$/.test(path);
    return files(c, asset ? next : async () => {
      const res = await index!(c, next);
      if (res) c.res = res;
    });
  };
}
