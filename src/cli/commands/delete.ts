import type { Command } from 'commander';
import { awaitRequest, drain, submit } from '../../deletion/service.ts';
import { SPEC_HELP } from '../../data/forget/index.ts';
import { initBackend } from '../../engine/backend.ts';
import { forgetSpec } from '../args.ts';
import { requestLine } from '../deletion-text.ts';
import { emit, withContext, type GlobalOpts } from '../output.ts';

export function define(cmd: Command) {
  cmd
    .requiredOption('--deployment <name>', 'the deployment to delete from')
    .requiredOption('--forget <spec>', `the subject: ${SPEC_HELP.split(' | ').filter((s) => /^(ids|group|class):/.test(s)).join(' | ')}`, forgetSpec)
    .requiredOption('--key <key>', 'idempotency key: a repeat with the same key returns the first request\'s result')
    .option('--no-wait', 'record the request and return; `lethe deletions --deployment D` (or a running server) applies it')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const r = await withContext(async (ctx) => {
        const store = ctx.store!;
        const { request, created } = submit(store, { deployment: o.deployment, forget: o.forget, key: o.key });
        if (!created) process.stderr.write(`key "${o.key}" was seen before: request ${request.id} (${request.state})\n`);
        if (!o.wait || request.state === 'done' || request.state === 'failed') return request;
        await initBackend();
        const res = await drain(store, o.deployment, { signal: ctx.signal, onProgress: ctx.onProgress });
        if (res.busy) process.stderr.write(`another process (${res.busy}) is applying ${o.deployment}'s requests; waiting for request ${request.id}\n`);
        return awaitRequest(store, request.id, { signal: ctx.signal, onProgress: ctx.onProgress });
      });
      emit(g, r, () => requestLine(r));
      if (r.state === 'failed') process.exitCode = 1;
    });
}
