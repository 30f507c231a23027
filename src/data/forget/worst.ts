// worst:0.1:seed=1 forgets a worst-case set (Fan, Liu, Hero, Liu, "Challenging Forgets", ECCV 2024): the training
// samples that fine-tuning on the rest still fits best, found by a bi-level search with the original model. Only the
// tasks that hold the model (unlearn, compare, bank, tune) can select it; they do so before resolving
// (src/jobs/prepare-forget.ts) and put the chosen ids into `selected`, which is all `resolve` reads.
import { z } from 'zod';
import { bad, parseInt10, type ForgetKind } from './kind.ts';

/** The search's options with their defaults (the CPU-scale setting; see the README's Worst-case forget sets), in the order `describe` prints them. */
export const WORST_DEFAULTS = { method: 'ft', epochs: 3, inner: 1, lr: 1e-3, lrw: 10, gamma: 0 } as const;

const int = z.number().int();
const schema = z.object({
  kind: z.literal('worst'),
  fraction: z.number().gt(0).lt(1).optional(),
  count: int.positive().optional(),
  seed: int,
  /** The lower-level unlearning method of the search; the authors' code has several, Lethe the first-order FT. */
  method: z.literal('ft').default(WORST_DEFAULTS.method),
  /** Upper-level epochs E: each reloads the original, fine-tunes, and steps the selection weights. */
  epochs: int.min(1).max(100).default(WORST_DEFAULTS.epochs),
  /** Lower-level epochs of weighted sign-SGD fine-tuning over the whole training set, per upper epoch. */
  inner: z.number().gt(0).max(100).default(WORST_DEFAULTS.inner),
  /** The lower level's sign-SGD step. */
  lr: z.number().gt(0).max(1).default(WORST_DEFAULTS.lr),
  /** The upper level's step on the selection weights. */
  lrw: z.number().gt(0).max(1e6).default(WORST_DEFAULTS.lrw),
  /** The weights' L2 penalty γ. */
  gamma: z.number().min(0).max(1e6).default(WORST_DEFAULTS.gamma),
  /** The selected train ids, filled in by the task that ran (or read the cached) selection; never typed. */
  selected: z.array(int.nonnegative()).optional(),
}).refine((s) => (s.fraction === undefined) !== (s.count === undefined), 'give exactly one of fraction or count');
export type WorstSpec = z.infer<typeof schema>;

type OptionKey = keyof typeof WORST_DEFAULTS;
const OPTIONS = Object.keys(WORST_DEFAULTS) as OptionKey[];

/** How each option is read from text; a bad value is one line naming it. */
const readers: Record<OptionKey, (v: string) => number | string> = {
  method: (v) => (v === 'ft' ? v : bad(`method "${v}" is not available: the search's lower level is ft (fine-tuning), the only one Lethe implements`)),
  epochs: (v) => {
    const n = parseInt10(v, 'epochs');
    return n >= 1 && n <= 100 ? n : bad(`epochs "${v}" must be an integer in 1..100`);
  },
  inner: (v) => positive(v, 'inner', 100),
  lr: (v) => positive(v, 'lr', 1),
  lrw: (v) => positive(v, 'lrw', 1e6),
  gamma: (v) => {
    const n = Number(v);
    return v.trim() && Number.isFinite(n) && n >= 0 && n <= 1e6 ? n : bad(`gamma "${v}" must be a number in [0, 1e6]`);
  },
};

function positive(v: string, what: string, max: number): number {
  const n = Number(v);
  return v.trim() && Number.isFinite(n) && n > 0 && n <= max ? n : bad(`${what} "${v}" must be a number in (0, ${max}]`);
}

function describe(spec: WorstSpec): string {
  const extra = OPTIONS.filter((k) => spec[k] !== WORST_DEFAULTS[k]).map((k) => `:${k}=${spec[k]}`).join('');
  return `worst:${spec.fraction ?? spec.count}:seed=${spec.seed}${extra}`;
}

/** The size m of the worst-case set on a training set of `nTrain` samples; too small or too large is one error. */
export function worstCount(spec: Pick<WorstSpec, 'fraction' | 'count'>, nTrain: number, where: string): number {
  const m = spec.count ?? Math.round(spec.fraction! * nTrain);
  if (m >= nTrain) throw new Error(`worst-case forget set of ${m} would be the whole train set ${where}`);
  if (m < 1) throw new Error(`worst-case fraction ${spec.fraction} selects no sample ${where}`);
  return m;
}

export const worstKind = {
  name: 'worst',
  summary: 'a worst-case set (Fan et al. ECCV 2024), chosen with the original model by a bi-level search; a fraction or a count',
  schema,
  examples: [
    { spec: 'worst:0.1:seed=1', meaning: 'the worst-case 10% of the training set for that model: the samples fine-tuning on the rest still fits best (Fan et al., ECCV 2024; see Worst-case forget sets)' },
    { spec: 'worst:600:seed=1', meaning: 'a worst-case 600 training samples, searched from random:600:seed=1' },
  ],
  parse(body) {
    const [amount, ...opts] = body.split(':');
    const v = Number(amount);
    if (!amount?.trim() || !Number.isFinite(v) || v <= 0) bad(`amount "${amount}" must be a fraction in (0,1) or a count ≥ 1`);
    if (v >= 1 && !Number.isInteger(v)) bad(`count "${amount}" must be an integer`);
    const spec: WorstSpec = { kind: 'worst', ...(v < 1 ? { fraction: v } : { count: v }), seed: 0, ...WORST_DEFAULTS };
    const seen = new Set<string>();
    for (const o of opts) {
      const m = /^(\w+)=(.*)$/.exec(o);
      if (!m || (m[1] !== 'seed' && !(OPTIONS as string[]).includes(m[1]))) bad(`unknown option "${o}" (options: seed, ${OPTIONS.join(', ')})`);
      if (seen.has(m[1])) bad(`option ${m[1]} given twice`);
      seen.add(m[1]);
      if (m[1] === 'seed') spec.seed = parseInt10(m[2], 'seed');
      else (spec as Record<string, unknown>)[m[1]] = readers[m[1] as OptionKey](m[2]);
    }
    return spec;
  },
  describe,
  resolve(spec, { ds, train, where }) {
    const m = worstCount(spec, train.length, where);
    if (!spec.selected) {
      throw new Error(`${describe(spec)} is chosen with the original model, and there is none here: lethe unlearn, compare, bank and tune `
        + 'search for the set with theirs (once; it is cached beside the checkpoint), lethe eval and forget with --original DIR');
    }
    const picked = new Set(spec.selected);
    const stray = spec.selected.find((id) => !(id < ds.size && ds.split[id] === 0));
    if (stray !== undefined || picked.size !== m) {
      throw new Error(`the selection of ${describe(spec)} (${picked.size} ids) was made on another training set than this one (m = ${m}) ${where}`);
    }
    return picked;
  },
} satisfies ForgetKind<WorstSpec>;
