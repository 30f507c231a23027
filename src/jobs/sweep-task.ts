// `lethe compare --sweep manipulated:0.1,0.25,0.5,1.0` / the sweep job: the comparison of compare-task.ts at each
// identified fraction of a manipulated data set, and the corrective sweep table over them (src/eval/sweep.ts).
import { join } from 'node:path';
import { z } from 'zod';
import { describeManipulation } from '../data/manipulation.ts';
import { loadData } from '../data/registry.ts';
import { readMeta } from '../models/checkpoint.ts';
import { buildSweep, type Sweep } from '../eval/sweep.ts';
import { CompareFields, compareTask, compareTaskDef, finishCompare, type CompareArgs } from './compare-task.ts';
import { dataRefOf, defineTask, type TaskContext } from './task.ts';

const FORM = 'manipulated:0.1,0.25,0.5,1.0[:seed=S]';
const Fraction = z.number().gt(0).lte(1);

/** The fractions, ascending and once each, with 1 added: retraining without every manipulated sample is the target line. */
const withTarget = (fs: number[]) => [...new Set([...fs, 1])].sort((a, b) => a - b);

function parseSweep(text: string, ctx: z.RefinementCtx): { fractions: number[]; seed: number } {
  const fail = (why: string) => {
    ctx.addIssue({ code: 'custom', message: `bad sweep "${text}": ${why} (form: ${FORM})` });
    return z.NEVER;
  };
  const [kind, list = '', ...opts] = text.split(':');
  if (kind !== 'manipulated') return fail(`a sweep runs over the identified fraction of a manipulation: the kind must be manipulated, not "${kind}"`);
  let seed = 0;
  for (const o of opts) {
    const m = /^seed=(-?\d+)$/.exec(o);
    if (!m) return fail(`unknown option "${o}"`);
    seed = Number(m[1]);
  }
  const fractions = list.split(',').map((f) => f.trim());
  const bad = fractions.find((f) => !f || !Fraction.safeParse(Number(f)).success);
  if (bad !== undefined) return fail(`fraction "${bad}" must be a number in (0,1]`);
  return { fractions: fractions.map(Number), seed };
}

export const SweepInput = z.union([
  z.string().min(1).max(1000),
  z.object({ kind: z.literal('manipulated'), fractions: z.array(Fraction).min(1).max(20), seed: z.number().int().default(0) }).strict(),
]).transform((v, ctx) => {
  const s = typeof v === 'string' ? parseSweep(v, ctx) : v;
  return { kind: 'manipulated' as const, fractions: withTarget(s.fractions), seed: s.seed };
});

export const SweepArgs = CompareFields.omit({ forget: true }).extend({ sweep: SweepInput }).strict().transform(finishCompare);
export type SweepArgs = z.output<typeof SweepArgs>;

/** The comparison at one fraction. */
const compareAt = (a: SweepArgs, fraction: number): CompareArgs => {
  const { sweep, ...rest } = a;
  return { ...rest, forget: { kind: 'manipulated', fraction, seed: sweep.seed } };
};

export interface SweepResult {
  sweep: Sweep;
  /** Each fraction's comparison: its id in the store and the folder of its tables and checkpoints. */
  comparisons: { fraction: number; id: string; out: string }[];
}

export async function sweepTask(a: SweepArgs, task: TaskContext): Promise<SweepResult> {
  const points = [];
  const comparisons: SweepResult['comparisons'] = [];
  for (const [i, fraction] of a.sweep.fractions.entries()) {
    const out = join(task.out, `manipulated-${fraction}`);
    const onProgress = task.onProgress && ((p: Parameters<NonNullable<TaskContext['onProgress']>>[0]) =>
      task.onProgress!({ ...p, message: `fraction ${fraction} (${i + 1}/${a.sweep.fractions.length}) ${p.message ?? ''}` }));
    const c = await compareTask(compareAt(a, fraction), { ...task, out, onProgress });
    points.push({ fraction, comparison: c });
    comparisons.push({ fraction, id: c.id, out });
  }
  const first = points[0].comparison;
  // The comparisons have loaded the data already (it is cached per process): this only reads its record.
  const m = loadData(dataRefOf(a, readMeta(task.modelDir(a.original)).dataset)).manipulation!;
  return { sweep: buildSweep(points, { manipulation: describeManipulation(m), dataset: first.dataset, arch: first.arch, seed: a.sweep.seed }), comparisons };
}

export const sweepTaskDef = defineTask({
  summary: 'corrective unlearning: run retrain and the chosen methods at each identified fraction of a manipulated data set; accCorr and clean accuracy against the fraction',
  args: SweepArgs,
  check: (a, env) => compareTaskDef.check!(compareAt(a, a.sweep.fractions[0]), env),
  run: sweepTask,
  keep: (r) => r,
});
