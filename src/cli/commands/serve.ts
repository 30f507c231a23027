import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { REPO_ROOT } from '../../data/registry.ts';
import { startServer } from '../../server/server.ts';
import { num } from '../args.ts';
import { emit, type GlobalOpts } from '../output.ts';

export interface ServeCommandOptions {
  port?: number;
  host?: string;
  maxJobs?: number;
  json?: boolean;
}

/** Serves until Ctrl-C (or SIGTERM), then stops cleanly: workers terminated, running jobs marked interrupted. */
export async function serveCommand(o: ServeCommandOptions): Promise<void> {
  // The UI is built when it is missing or older than its sources (the same check as npm run demo's).
  const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/setup.mjs'), 'web'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) process.stderr.write('lethe: the UI could not be built (npm run build:web shows why); serving the API only\n');
  const server = await startServer({ host: o.host, port: o.port, maxJobs: o.maxJobs });
  const { runner } = server;
  emit({ json: o.json }, { url: server.url, maxJobs: runner.maxJobs, interrupted: runner.interruptedAtStart }, () => [
    `Lethe is serving on ${server.url}  (Ctrl-C to stop)`,
    ...(runner.interruptedAtStart ? [`${runner.interruptedAtStart} job(s) left unfinished by the previous server were marked interrupted`] : []),
  ].join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write('lethe: stopping (running jobs are marked interrupted)\n');
      void server.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function define(cmd: Command) {
  cmd
    .option('--port <n>', 'port', num({ int: true, min: 0, max: 65535 }), 8080)
    .option('--host <address>', 'address to bind; anything but loopback needs LETHE_TOKEN', '127.0.0.1')
    .option('--max-jobs <n>', 'jobs running at once (default: one per core)', num({ int: true, min: 1, max: 256 }))
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      await serveCommand({ port: o.port, host: o.host, maxJobs: o.maxJobs, json: g.json });
    });
}
