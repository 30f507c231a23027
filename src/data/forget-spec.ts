// Deletion requests: which training samples to forget, parsed from strings and resolved against a data set.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { idsOfSplit, type Dataset } from './dataset.ts';
import { rng, shuffle } from './rng.ts';

const int = z.number().int();
export const ForgetSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('class'), classes: z.array(int.nonnegative()).min(1) }),
  z.object({
    kind: z.literal('random'),
    fraction: z.number().gt(0).lt(1).optional(),
    count: int.positive().optional(),
    seed: int,
  }).refine((s) => (s.fraction === undefined) !== (s.count === undefined), 'give exactly one of fraction or count'),
  z.object({ kind: z.literal('ids'), ids: z.array(int).min(1) }),
  z.object({ kind: z.literal('group'), groups: z.array(z.string().min(1)).min(1) }),
]);
export type ForgetSpec = z.infer<typeof ForgetSpecSchema>;

export interface ForgetSets {
  spec: ForgetSpec;
  forget: Int32Array;
  retain: Int32Array;
  test: Int32Array;
  /** Class forgetting only: test samples of the forgotten classes, and of the others. */
  forgetTest?: Int32Array;
  retainTest?: Int32Array;
}

export const SPEC_HELP = 'class:3 | class:3,5 | random:0.1:seed=1 | random:600:seed=1 | ids:FILE | group:u17,u42';

function bad(text: string, why: string): never {
  throw new Error(`bad forget spec "${text}": ${why} (forms: ${SPEC_HELP})`);
}

function parseInt10(text: string, s: string, what: string): number {
  if (!/^-?\d+$/.test(s.trim())) bad(text, `${what} "${s}" is not an integer`);
  return Number(s);
}

/** Parses the CLI form. `ids:FILE` reads the file (one id a line; blank lines and # comments ignored). */
export function parseForgetSpec(text: string): ForgetSpec {
  const [kind, ...rest] = text.split(':');
  const body = rest.join(':');
  switch (kind) {
    case 'class':
      if (!body) bad(text, 'no class given');
      return { kind, classes: body.split(',').map((c) => parseInt10(text, c, 'class')) };
    case 'random': {
      const [amount, ...opts] = body.split(':');
      let seed = 0;
      for (const o of opts) {
        const m = /^seed=(.*)$/.exec(o);
        if (!m) bad(text, `unknown option "${o}"`);
        seed = parseInt10(text, m[1], 'seed');
      }
      const v = Number(amount);
      if (!amount || !Number.isFinite(v) || v <= 0) bad(text, `amount "${amount}" must be a fraction in (0,1) or a count ≥ 1`);
      if (v < 1) return { kind, fraction: v, seed };
      if (!Number.isInteger(v)) bad(text, `count "${amount}" must be an integer`);
      return { kind, count: v, seed };
    }
    case 'ids': {
      if (!body) bad(text, 'no file given');
      let content: string;
      try {
        content = readFileSync(body, 'utf8');
      } catch (e) {
        bad(text, `cannot read ${body} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const ids: number[] = [];
      content.split('\n').forEach((line, i) => {
        const t = line.replace(/#.*/, '').trim();
        if (!t) return;
        if (!/^\d+$/.test(t)) bad(text, `${body}:${i + 1}: "${t}" is not a sample id`);
        ids.push(Number(t));
      });
      if (!ids.length) bad(text, `${body} lists no ids`);
      return { kind, ids };
    }
    case 'group': {
      const groups = body.split(',').map((g) => g.trim()).filter(Boolean);
      if (!groups.length) bad(text, 'no group given');
      return { kind, groups };
    }
    default:
      bad(text, `unknown kind "${kind}"`);
  }
}

/** A short, human-readable form (ids are summarised, not listed). */
export function describeSpec(spec: ForgetSpec): string {
  switch (spec.kind) {
    case 'class': return `class:${spec.classes.join(',')}`;
    case 'random': return `random:${spec.fraction ?? spec.count}:seed=${spec.seed}`;
    case 'ids': return `ids:${spec.ids.length}`;
    case 'group': return `group:${spec.groups.join(',')}`;
  }
}

/** Resolves a spec into forget / retain / test id sets. Every bad request is an error before any work. */
export function resolveForget(ds: Dataset, spec: ForgetSpec): ForgetSets {
  const train = idsOfSplit(ds, 'train');
  const test = idsOfSplit(ds, 'test');
  const where = `in ${ds.name} (${train.length} train samples)`;
  let forgetSet: Set<number>;
  switch (spec.kind) {
    case 'class': {
      for (const c of spec.classes) {
        if (c < 0 || c >= ds.numClasses) throw new Error(`unknown class ${c}: ${ds.name} has classes 0..${ds.numClasses - 1}`);
      }
      const cs = new Set(spec.classes);
      forgetSet = new Set([...train].filter((i) => cs.has(ds.y[i])));
      break;
    }
    case 'random': {
      const n = spec.count ?? Math.round(spec.fraction! * train.length);
      if (n >= train.length) throw new Error(`random forget set of ${n} would be the whole train set ${where}`);
      if (n < 1) throw new Error(`random fraction ${spec.fraction} selects no sample ${where}`);
      const order = shuffle(Array.from(train), rng(spec.seed));
      forgetSet = new Set(order.slice(0, n));
      break;
    }
    case 'ids': {
      forgetSet = new Set(spec.ids);
      for (const id of forgetSet) {
        if (!Number.isInteger(id) || id < 0 || id >= ds.size) throw new Error(`sample id ${id} is out of range: ${ds.name} has ids 0..${ds.size - 1}`);
        if (ds.split[id] !== 0) throw new Error(`sample id ${id} is not a train sample ${where}; only training data can be forgotten`);
      }
      break;
    }
    case 'group': {
      const gs = new Set(spec.groups);
      const known = new Set<string>();
      forgetSet = new Set();
      for (const i of train) {
        if (gs.has(ds.group[i])) {
          forgetSet.add(i);
          known.add(ds.group[i]);
        }
      }
      const unknown = spec.groups.filter((g) => !known.has(g));
      if (unknown.length) throw new Error(`unknown group ${unknown.join(', ')}: no train samples belong to it ${where}`);
      break;
    }
  }
  if (forgetSet.size === 0) throw new Error(`forget set is empty ${where}`);
  if (forgetSet.size >= train.length) throw new Error(`forget set would be the whole train set ${where}`);
  const forget = Int32Array.from([...forgetSet].sort((a, b) => a - b));
  const retain = train.filter((i) => !forgetSet.has(i));
  const sets: ForgetSets = { spec, forget, retain, test };
  if (spec.kind === 'class') {
    const cs = new Set(spec.classes);
    sets.forgetTest = test.filter((i) => cs.has(ds.y[i]));
    sets.retainTest = test.filter((i) => !cs.has(ds.y[i]));
  }
  return sets;
}
