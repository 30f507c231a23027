// How a model is trained, beyond the gradient recipe: `--recipe analytic:dim=D,gamma=G` (HTTP: the same string,
// or the structured value). Parsed once at the edge; no recipe means plain gradient training.
import { z } from 'zod';

export const RECIPE_KINDS = ['analytic'] as const;
/** R is (dim+1)² float64: 8192 is about 0.5 GB, the most a checkpoint should hold. */
export const MAX_ANALYTIC_DIM = 8192;

export const AnalyticRecipe = z.object({
  kind: z.literal('analytic'),
  /** A core-trained checkpoint as backbone is the next step; today the features are a seeded random ReLU map of the input. */
  backbone: z.literal('random', { error: 'backbone: only "random" is built so far' }).default('random'),
  dim: z.number({ error: 'dim must be a number' }).int({ error: 'dim must be an integer' })
    .min(1, { error: `dim must be from 1 to ${MAX_ANALYTIC_DIM}` }).max(MAX_ANALYTIC_DIM, { error: `dim must be from 1 to ${MAX_ANALYTIC_DIM}` }).default(2048),
  gamma: z.number({ error: 'gamma must be a number' }).positive({ error: 'gamma must be positive' }).max(1e6, { error: 'gamma must be at most 1e6' }).default(0.1),
}).strict();
export type Recipe = z.output<typeof AnalyticRecipe>;

/** `analytic:dim=2048,gamma=0.1` → { kind, dim, gamma } with numbers still unchecked (the object schema checks them). */
function splitRecipe(text: string, ctx: { addIssue: (issue: { code: 'custom'; message: string }) => void }): unknown {
  const [kind, rest = ''] = text.trim().split(/:(.*)/s);
  if (!(RECIPE_KINDS as readonly string[]).includes(kind)) {
    ctx.addIssue({ code: 'custom', message: `unknown recipe kind "${kind}": use ${RECIPE_KINDS.join(', ')} (or no recipe for gradient training)` });
    return z.NEVER;
  }
  const out: Record<string, unknown> = { kind };
  for (const part of rest.split(',').filter((s) => s.trim() !== '')) {
    const m = /^\s*(\w+)\s*=\s*(.*?)\s*$/.exec(part);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not key=value` });
      return z.NEVER;
    }
    const [, key, value] = m;
    if (!['backbone', 'dim', 'gamma'].includes(key)) {
      ctx.addIssue({ code: 'custom', message: `unknown key "${key}" for analytic: use dim, gamma, backbone` });
      return z.NEVER;
    }
    out[key] = key === 'backbone' ? value : value === '' ? NaN : Number(value);
  }
  return out;
}

/** The CLI's string form, or the structured value (what a parsed job stores). */
export const RecipeArg = z.preprocess((v, ctx) => (typeof v === 'string' ? (v.length > 200 ? v : splitRecipe(v, ctx)) : v), AnalyticRecipe);
