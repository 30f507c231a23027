// `lethe compare`: retrain and every chosen method on one deletion request over N seeds, measured the same way.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hashIds } from '../data/dataset.ts';
import { describeSpec, type ForgetSpec } from '../data/forget-spec.ts';
import { avgGap } from '../eval/gap.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import type { Comparison, EvaluatedModel, ModelMetrics } from '../shared/contract.ts';
import { getMethod, METHOD_NAMES, parseParams } from '../unlearn/registry.ts';
import type { TaskContext } from './context.ts';
import { details, fullMetrics, makeProbe, outputsOf, ownMetrics, relearn, type Outputs } from './evaluate.ts';
import { buildTable, tableCsv, tableMarkdown } from './table.ts';
import { recordDataset, recordModel } from './train-task.ts';
import { prepareContext, runMethod } from './unlearn-task.ts';

export interface CompareArgs {
  /** Checkpoint folder of the trained original. */
  original: string;
  forget: ForgetSpec;
  /** Approximate methods to compare ('retrain' is always run as the reference). */
  methods: string[];
  seeds: number;
  /** Folder for the checkpoints and the table (Markdown, CSV, JSON). */
  out: string;
  /** Per-method parameters; defaults otherwise. */
  params?: Record<string, Record<string, unknown>>;
}

/** Seeds of the runs: far from the usual training seeds so that no retrain shares the original's initialisation. */
export const seedList = (n: number) => Array.from({ length: n }, (_, i) => 1001 + i);

export function resolveMethods(list: string[] | 'all'): string[] {
  const names = list === 'all' || (list.length === 1 && list[0] === 'all') ? METHOD_NAMES.filter((m) => m !== 'retrain') : list;
  for (const m of names) getMethod(m);
  return names.filter((m) => m !== 'retrain');
}

export async function compareTask(args: CompareArgs, task: TaskContext = {}): Promise<Comparison> {
  await initBackend();
  const methods = resolveMethods(args.methods);
  if (!Number.isInteger(args.seeds) || args.seeds < 1 || args.seeds > 20) throw new Error(`seeds must be an integer 1..20, got ${args.seeds}`);
  const params = Object.fromEntries(methods.map((m) => [m, parseParams(m, args.params?.[m] ?? {})]));
  const original = await loadCheckpoint(args.original);
  const seeds = seedList(args.seeds);
  const ctx = prepareContext(original, args.forget, seeds[0], task);
  for (const m of methods) {
    const why = getMethod(m).unsupported?.(args.forget);
    if (why) throw new Error(`${m} cannot serve ${describeSpec(args.forget)}: ${why}`);
  }
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  const meta = original.meta;
  if (task.store) {
    recordDataset(task.store, meta.dataset, ctx.dataset);
    if (!task.store.getModel(meta.id)) recordModel(task.store, original.dir, meta);
  }
  const scratch = buildModel(meta.arch, meta.inputShape, meta.numClasses, 0);
  const probe = makeProbe(ctx);
  const totalRuns = seeds.length * (1 + methods.length);
  let runNo = 0;
  const say = (phase: string, done: number, total: number, message: string) => task.onProgress?.({ phase, done, total, message });

  const origOut = outputsOf(original.model, ctx, probe);
  const origOwn = ownMetrics(origOut, ctx, seeds[0]);
  const refs: { id: string; seed: number; own: ModelMetrics; out: Outputs; seconds: number; model: Model; dir: string }[] = [];
  const evaluated: EvaluatedModel[] = [];

  /** Runs one method for one seed, saves and records it; returns the model (caller disposes). */
  const run = async (method: string, seed: number) => {
    runNo++;
    const label = `[${runNo}/${totalRuns}] ${method} seed ${seed}`;
    const sub = { ...ctx, seed, onProgress: task.onProgress && ((p: { phase: string; done: number; total: number }) => say(method, p.done, p.total, label)) };
    say(method, 0, 1, label);
    const r = await runMethod(sub, method, method === 'retrain' ? {} : params[method]);
    const dir = join(out, 'models', `${method}-seed${seed}`);
    const saved = await saveCheckpoint(dir, r.model, {
      parent: meta.id, arch: meta.arch, dataset: meta.dataset, inputShape: meta.inputShape, numClasses: meta.numClasses,
      seed, trainHash: hashIds(ctx.sets.retain), recipe: meta.recipe, method, params: r.params, forget: args.forget, metrics: { seconds: r.seconds },
    });
    return { ...r, id: saved.id, dir, meta: saved };
  };

  try {
    for (const seed of seeds) {
      const r = await run('retrain', seed);
      const o = outputsOf(r.model, ctx, probe);
      refs.push({ id: r.id, seed, own: ownMetrics(o, ctx, seed), out: o, seconds: r.seconds, model: r.model, dir: r.dir });
      if (task.store) recordModel(task.store, r.dir, r.meta);
    }
    const gapOf = (m: ModelMetrics, ref: ModelMetrics) => avgGap({ UA: m.UA, RA: m.RA, TA: m.TA, MIA: m.mia }, { UA: ref.UA, RA: ref.RA, TA: ref.TA, MIA: ref.mia });
    const originalGaps = refs.map((ref) => gapOf(origOwn, ref.own));

    // The original, measured against each seed's retrain; its evaluated record uses the first.
    const origRows = refs.map((ref, i) => fullMetrics(origOwn, origOut, ref, originalGaps[i], { seconds: 0, retrainSeconds: ref.seconds }, relearn(original.model, scratch, ctx, ref.seed), ctx));
    evaluated.push({
      modelId: meta.id, role: 'original', method: 'original', seed: meta.seed, params: {}, checkpoint: original.dir,
      referenceId: refs[0].id, metrics: origRows[0], details: details(origOut, origOut, refs[0].out, probe, original.model, ctx),
    });
    // The noise floor: each retrain against the next seed's retrain.
    const floorRows: ModelMetrics[] = [];
    refs.forEach((ref, i) => {
      const other = refs[(i + 1) % refs.length];
      const m = refs.length > 1 ? fullMetrics(ref.own, ref.out, other, originalGaps[(i + 1) % refs.length], { seconds: ref.seconds, retrainSeconds: other.seconds }, relearn(ref.model, scratch, ctx, ref.seed), ctx) : undefined;
      if (m) floorRows.push(m);
      evaluated.push({
        modelId: ref.id, role: 'retrain', method: 'retrain', seed: ref.seed, params: {}, checkpoint: ref.dir,
        referenceId: refs.length > 1 ? other.id : null,
        metrics: m ?? fullMetrics(ref.own, ref.out, ref, originalGaps[i], { seconds: ref.seconds, retrainSeconds: ref.seconds }, relearn(ref.model, scratch, ctx, ref.seed), ctx),
        details: details(ref.out, origOut, refs.length > 1 ? other.out : ref.out, probe, ref.model, ctx),
      });
    });

    const methodRows: Record<string, ModelMetrics[]> = {};
    for (const method of methods) {
      methodRows[method] = [];
      for (const [i, ref] of refs.entries()) {
        const r = await run(method, ref.seed);
        try {
          const o = outputsOf(r.model, ctx, probe);
          const m = fullMetrics(ownMetrics(o, ctx, ref.seed), o, ref, originalGaps[i], { seconds: r.seconds, retrainSeconds: ref.seconds }, relearn(r.model, scratch, ctx, ref.seed), ctx);
          methodRows[method].push(m);
          const saved = { ...r.meta, metrics: m as unknown as Record<string, number> };
          if (task.store) recordModel(task.store, r.dir, saved);
          evaluated.push({
            modelId: r.id, role: 'method', method, seed: ref.seed, params: r.params, checkpoint: r.dir, referenceId: ref.id,
            metrics: m, details: details(o, origOut, ref.out, probe, r.model, ctx),
          });
        } finally {
          r.model.dispose();
        }
      }
    }

    const comparison: Comparison = {
      id: randomUUID(), created: new Date().toISOString(), originalId: meta.id, dataset: meta.dataset.name, arch: meta.arch,
      forget: describeSpec(args.forget), forgetKind: args.forget.kind, forgetCount: ctx.sets.forget.length,
      methods, seeds,
      table: buildTable(origRows, floorRows, methods.map((m) => ({ method: m, rows: methodRows[m] }))),
      models: evaluated,
    };
    writeFileSync(join(out, 'table.md'), tableMarkdown(comparison) + '\n');
    writeFileSync(join(out, 'table.csv'), tableCsv(comparison));
    writeFileSync(join(out, 'comparison.json'), JSON.stringify({ ...comparison, models: evaluated.map(({ details: _d, ...m }) => m) }, null, 2));
    task.store?.saveComparison(comparison);
    return comparison;
  } finally {
    for (const ref of refs) ref.model.dispose();
    scratch.dispose();
    original.model.dispose();
  }
}
