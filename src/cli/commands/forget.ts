import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describeSpec, resolveForget, SPEC_HELP, type ForgetSpec } from '../../data/forget/index.ts';
import { loadData } from '../../data/registry.ts';
import { forgetSpec } from '../args.ts';
import { emit, withContext, type GlobalOpts } from '../output.ts';
import { addDataOptions, dataRef } from './data-options.ts';

export function define(cmd: Command) {
  addDataOptions(cmd, true)
    .requiredOption('--forget <spec>', SPEC_HELP, forgetSpec)
    .option('--out <file>', 'write the forget ids, one a line (default: stdout, unless --json)')
    .option('--original <dir>', 'the trained model, which worst:… specs are searched for with (the data default to its own)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (g.json && !o.out) throw new Error('--json needs --out FILE (stdout carries the JSON summary)');
      const sets = o.original ? await withOriginal(o.original, o) : resolveForget(loadData(dataRef(o)), o.forget);
      const text = Array.from(sets.forget).join('\n') + '\n';
      if (!o.out) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(o.out, text);
      emit(g, { spec: describeSpec(o.forget), forget: sets.forget.length, retain: sets.retain.length, test: sets.test.length, out: o.out },
        () => `${describeSpec(o.forget)}: forget ${sets.forget.length}, retain ${sets.retain.length} -> ${o.out}`);
    });
}

/** Resolves against a model's data, after the search a worst-case spec needs (loaded only here: plain specs need no TensorFlow.js). */
async function withOriginal(dir: string, o: { forget: ForgetSpec; data?: string; trainSize?: number; labelColumn?: string }) {
  const [{ initBackend }, { loadCheckpoint }, { prepareForget }] = await Promise.all([
    import('../../engine/backend.ts'), import('../../models/checkpoint.ts'), import('../../jobs/prepare-forget.ts'),
  ]);
  await initBackend();
  const original = await loadCheckpoint(dir);
  try {
    const ds = loadData(dataRef(o, original.meta.dataset));
    return resolveForget(ds, await withContext((ctx) => prepareForget(o.forget, original, ds, ctx)));
  } finally {
    original.model.dispose();
  }
}
