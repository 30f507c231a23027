// manipulated:0.1:seed=1 forgets the identified share of a manipulated data set's manipulated samples
// (Goel, Prabhu et al., "Corrective Machine Unlearning", TMLR 2024): the rest stay in the retain set.
import { z } from 'zod';
import { rng, shuffle } from '../../shared/random.ts';
import { bad, seedOption, type ForgetKind } from './kind.ts';

const schema = z.object({ kind: z.literal('manipulated'), fraction: z.number().gt(0).lte(1), seed: z.number().int() });
export type ManipulatedSpec = z.infer<typeof schema>;

export const manipulatedKind = {
  name: 'manipulated',
  summary: 'a seeded random identified fraction of the samples a manipulated data set (lethe manipulate) records',
  schema,
  examples: [{ spec: 'manipulated:0.1:seed=1', meaning: 'a seeded random 10% of the manipulated training samples (a data set written by `lethe manipulate`)' }],
  parse(body) {
    const [amount, ...opts] = body.split(':');
    const seed = seedOption(opts);
    const v = Number(amount);
    if (!amount?.trim() || !Number.isFinite(v) || v <= 0 || v > 1) bad(`fraction "${amount}" must be a number in (0,1]`);
    return { kind: 'manipulated', fraction: v, seed };
  },
  describe: (spec) => `manipulated:${spec.fraction}:seed=${spec.seed}`,
  resolve(spec, { ds, train, where }) {
    const m = ds.manipulation;
    if (!m) throw new Error(`${ds.name} records no manipulation: manipulated:… names part of a data set written by lethe manipulate --poison or --confuse`);
    const inTrain = new Set(train);
    // Sorted first, so the seed alone decides the order; a smaller fraction with the same seed is a prefix of a larger one.
    const ids = m.ids.filter((id) => inTrain.has(id)).sort((a, b) => a - b);
    const n = Math.round(spec.fraction * ids.length);
    if (n < 1) throw new Error(`manipulated fraction ${spec.fraction} of ${ids.length} manipulated samples selects none ${where}`);
    return new Set(shuffle(ids, rng(spec.seed)).slice(0, n));
  },
} satisfies ForgetKind<ManipulatedSpec>;
