// How a model is trained, beyond the gradient recipe: `--recipe analytic:dim=D,gamma=G` or
// `--recipe sharded:shards=S,slices=L,orders=B` (HTTP: the same string, or the structured value). The recipes are
// declared with their model kinds (src/models/kinds.ts); parsed once at the edge; no recipe is plain gradient training.
import { z } from 'zod';
import { RECIPES, type RecipeKind } from '../models/kinds.ts';

export const RECIPE_KINDS = Object.keys(RECIPES) as RecipeKind[];
export type { Recipe } from '../models/kinds.ts';

/** A recipe's keys: its schema's fields but the kind. */
const keysOf = (kind: RecipeKind): string[] => Object.keys(RECIPES[kind].shape).filter((k) => k !== 'kind');

/** The base type of a recipe field ('number', 'boolean', 'string', 'enum'), under its default. */
function fieldType(kind: RecipeKind, key: string): string {
  let t = (RECIPES[kind].shape as Record<string, z.ZodType>)[key] as unknown as { _zod: { def: { type: string; innerType?: unknown } } };
  while (t._zod.def.innerType && (t._zod.def.type === 'default' || t._zod.def.type === 'optional')) t = t._zod.def.innerType as typeof t;
  return t._zod.def.type;
}

/** `sharded:shards=5,slices=4` → { kind, shards, slices } with values still unchecked (the kind's schema checks them). */
function splitRecipe(text: string, ctx: { addIssue: (issue: { code: 'custom'; message: string }) => void }): unknown {
  const [kind, rest = ''] = text.trim().split(/:(.*)/s);
  if (!(RECIPE_KINDS as string[]).includes(kind)) {
    ctx.addIssue({ code: 'custom', message: `unknown recipe kind "${kind}": use ${RECIPE_KINDS.join(', ')} (or no recipe for gradient training)` });
    return z.NEVER;
  }
  const keys = keysOf(kind as RecipeKind);
  const out: Record<string, unknown> = { kind };
  for (const part of rest.split(',').filter((s) => s.trim() !== '')) {
    const m = /^\s*(\w+)\s*=\s*(.*?)\s*$/.exec(part);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not key=value` });
      return z.NEVER;
    }
    const [, key, value] = m;
    if (!keys.includes(key)) {
      ctx.addIssue({ code: 'custom', message: `unknown key "${key}" for ${kind}: use ${keys.join(', ')}` });
      return z.NEVER;
    }
    // By the field's type: numbers as numbers (NaN and '' kept, for the schema to refuse by name), booleans from
    // true/false, text (a backbone's path or id, an enum) as it is.
    const type = fieldType(kind as RecipeKind, key);
    out[key] = type === 'number' ? (value === '' ? NaN : Number(value)) : type === 'boolean' && /^(true|false)$/.test(value) ? value === 'true' : value;
  }
  return out;
}

/** The CLI's string form, or the structured value (what a parsed job stores). */
export const RecipeArg = z.preprocess(
  (v, ctx) => (typeof v === 'string' ? (v.length > 200 ? v : splitRecipe(v, ctx)) : v),
  z.discriminatedUnion('kind', Object.values(RECIPES) as [(typeof RECIPES)[RecipeKind], ...(typeof RECIPES)[RecipeKind][]]),
);

/** One line per recipe kind with its keys and defaults, e.g. `sharded:shards=5,slices=4,orders=1,byGroup=false`. */
export function recipeHelp(): string {
  return RECIPE_KINDS.map((k) => {
    const d = RECIPES[k].parse({ kind: k }) as Record<string, unknown>;
    return `${k}:${keysOf(k).map((key) => `${key}=${d[key]}`).join(',')}`;
  }).join(' or ');
}
