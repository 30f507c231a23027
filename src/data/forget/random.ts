// random:0.1:seed=1 / random:600:seed=1 forgets a seeded random share or number of the training samples.
import { z } from 'zod';
import { rng, shuffle } from '../../shared/random.ts';
import { bad, seedOption, type ForgetKind } from './kind.ts';
import { EVERY_TASK } from '../tasks.ts';

const int = z.number().int();
const schema = z.object({
  kind: z.literal('random'),
  fraction: z.number().gt(0).lt(1).optional(),
  count: int.positive().optional(),
  seed: int,
}).refine((s) => (s.fraction === undefined) !== (s.count === undefined), 'give exactly one of fraction or count');
export type RandomSpec = z.infer<typeof schema>;

export const randomKind = {
  name: 'random',
  summary: 'a seeded random fraction or number of the training samples',
  schema,
  tasks: EVERY_TASK,
  examples: [
    { spec: 'random:0.1:seed=1', meaning: 'a seeded random 10% of the training set' },
    { spec: 'random:600:seed=1', meaning: 'a seeded random 600 training samples' },
  ],
  parse(body) {
    const [amount, ...opts] = body.split(':');
    const seed = seedOption(opts);
    const v = Number(amount);
    if (!amount || !Number.isFinite(v) || v <= 0) bad(`amount "${amount}" must be a fraction in (0,1) or a count ≥ 1`);
    if (v < 1) return { kind: 'random', fraction: v, seed };
    if (!Number.isInteger(v)) bad(`count "${amount}" must be an integer`);
    return { kind: 'random', count: v, seed };
  },
  describe: (spec) => `random:${spec.fraction ?? spec.count}:seed=${spec.seed}`,
  resolve(spec, { train, where }) {
    const n = spec.count ?? Math.round(spec.fraction! * train.length);
    if (n >= train.length) throw new Error(`random forget set of ${n} would be the whole train set ${where}`);
    if (n < 1) throw new Error(`random fraction ${spec.fraction} selects no sample ${where}`);
    const order = shuffle(Array.from(train), rng(spec.seed));
    return new Set(order.slice(0, n));
  },
  form: {
    label: 'random samples',
    fields: [
      { key: 'amount', name: 'amount', label: 'Amount', hint: 'a fraction (0.1) or a count (600)', initial: '0.1' },
      { key: 'seed', name: 'forgetSeed', label: 'Sampling seed', initial: '1', type: 'number' },
    ],
    toText: (v) => `random:${v.amount.trim()}:seed=${v.seed.trim()}`,
  },
} satisfies ForgetKind<RandomSpec>;
