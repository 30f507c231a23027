import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseForgetSpecFromCli } from './read.ts';
import {
  BadForgetSpec, FORGET_KIND_NAMES, FORGET_KINDS, ForgetSpecSchema, SPEC_HELP, describeSpec, forgetSpecsMarkdown, parseForgetSpec,
} from './index.ts';
import type { ForgetKind } from './kind.ts';

const kinds = FORGET_KIND_NAMES.map((k) => [k, FORGET_KINDS[k] as ForgetKind<any>] as const);
const readText = () => '4\n# two\n9\n';

describe('the forget-kind map', () => {
  it('each entry is named by its key, has a summary and examples of its own kind', () => {
    expect(FORGET_KIND_NAMES).toEqual(['class', 'random', 'ids', 'group', 'manipulated', 'worst', 'target']);
    for (const [k, kind] of kinds) {
      expect(kind.name).toBe(k);
      expect(kind.summary).not.toBe('');
      expect(kind.examples.length).toBeGreaterThan(0);
      for (const e of kind.examples) expect(e.spec.startsWith(`${k}:`)).toBe(true);
    }
  });

  it.each(kinds.flatMap(([k, kind]) => kind.examples.map((e) => [k, e.spec] as const)))('%s example %s parses and the schema accepts it', (k, spec) => {
    const parsed = parseForgetSpec(spec, { readText });
    expect(parsed.kind).toBe(k);
    expect(ForgetSpecSchema.parse(parsed)).toEqual(parsed);
    // The short form is the spec again, except for ids, which it summarises.
    expect(describeSpec(parsed)).toBe(k === 'ids' ? 'ids:2' : spec);
  });

  it('SPEC_HELP lists the examples (ids by its placeholder), as the CLI has always shown it', () => {
    expect(SPEC_HELP).toBe('class:3 | class:3,5 | random:0.1:seed=1 | random:600:seed=1 | ids:FILE | group:u17,u42 | manipulated:0.1:seed=1 | worst:0.1:seed=1 | worst:600:seed=1 | target:250.. | target:..30 | target:100..200');
  });

  it("the README table: one row per meaning, a kind's examples of the same meaning together", () => {
    expect(forgetSpecsMarkdown()).toBe([
      '| spec | forgets |',
      '|---|---|',
      '| `class:3`, `class:3,5` | every training sample of those classes |',
      '| `random:0.1:seed=1` | a seeded random 10% of the training set |',
      '| `random:600:seed=1` | a seeded random 600 training samples |',
      '| `ids:path/to/ids.txt` | the listed sample ids (one a line, `#` comments) |',
      '| `group:u17,u42` | every training sample owned by those users |',
      '| `manipulated:0.1:seed=1` | a seeded random 10% of the manipulated training samples (a data set written by `lethe manipulate`) |',
      '| `worst:0.1:seed=1` | the worst-case 10% of the training set for that model: the samples fine-tuning on the rest still fits best (Fan et al., ECCV 2024; see Worst-case forget sets) |',
      '| `worst:600:seed=1` | a worst-case 600 training samples, searched from random:600:seed=1 |',
      '| `target:250..` | regression: every training sample whose target is 250 or more |',
      '| `target:..30` | regression: every training sample whose target is 30 or less |',
      '| `target:100..200` | regression: every training sample whose target is in [100, 200] |',
    ].join('\n'));
  });
});

describe('ids:FILE and file reading', () => {
  it('without readText (server, browser) ids:FILE is refused with the API hint, not wrapped', () => {
    const msg = 'the forget spec "ids:FILE" names a file, which the server never reads; send {"kind":"ids","ids":[...]} instead';
    expect(() => parseForgetSpec('ids:ids.txt')).toThrow(new Error(msg));
    expect(() => parseForgetSpec('ids:')).toThrow(new Error(msg));
  });

  it('reads through the readText it is given, and reports its errors', () => {
    expect(parseForgetSpec('ids:x.txt', { readText })).toEqual({ kind: 'ids', ids: [4, 9] });
    const missing = () => { throw Object.assign(new Error('gone'), { code: 'ENOENT' }); };
    expect(() => parseForgetSpec('ids:nope.txt', { readText: missing })).toThrow(/cannot read nope\.txt \(ENOENT\)/);
  });

  it("the CLI's parser reads the file of ids:FILE", () => {
    expect(() => parseForgetSpecFromCli('ids:nope.txt')).toThrow(/^bad forget spec "ids:nope\.txt": cannot read nope\.txt \(ENOENT\)/);
    expect(parseForgetSpecFromCli('class:2')).toEqual({ kind: 'class', classes: [2] });
  });

  it('a bad spec is a BadForgetSpec carrying the bare reason', () => {
    try {
      parseForgetSpec('random:1.5');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BadForgetSpec);
      expect((e as BadForgetSpec).reason).toBe('count "1.5" must be an integer');
      expect((e as Error).message).toBe(`bad forget spec "random:1.5": count "1.5" must be an integer (forms: ${SPEC_HELP})`);
    }
  });
});

describe('the Run form fields', () => {
  const offered = kinds.filter(([, k]) => k.form);

  it('offers every kind but ids and manipulated (no built-in data set records a manipulation), with unique keys and input names', () => {
    expect(offered.map(([k]) => k)).toEqual(['class', 'random', 'group', 'target']);
    const fields = offered.flatMap(([, k]) => k.form!.fields);
    expect(new Set(fields.map((f) => f.key)).size).toBe(fields.length);
    expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
    expect(fields.map((f) => f.name)).toEqual(['classes', 'amount', 'forgetSeed', 'groups', 'targetMin', 'targetMax']);
  });

  it('the initial values make a spec that parses (groups start empty: the user names one)', () => {
    const text = (k: ForgetKind<any>, over: Record<string, string> = {}) =>
      k.form!.toText({ ...Object.fromEntries(k.form!.fields.map((f) => [f.key, f.initial])), ...over });
    expect(parseForgetSpec(text(FORGET_KINDS.class))).toEqual({ kind: 'class', classes: [0] });
    expect(parseForgetSpec(text(FORGET_KINDS.random))).toEqual({ kind: 'random', fraction: 0.1, seed: 1 });
    expect(text(FORGET_KINDS.group)).toBe('group:');
    expect(parseForgetSpec(text(FORGET_KINDS.group, { groups: ' u17, u42 u17' }))).toEqual({ kind: 'group', groups: ['u17', 'u42'] });
    expect(parseForgetSpec(text(FORGET_KINDS.target))).toEqual({ kind: 'target', min: 250 });
  });
});

describe('browser safety', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  // Follows the runtime imports (not `import type`) from index.ts: no node: module, no package but zod.
  it('index.ts reaches no node: module at run time', () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
        const spec = m[1];
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
        else bare.add(spec);
      }
    };
    visit(join(here, 'index.ts'));
    expect([...bare]).toEqual(['zod']);
    expect([...seen].map((f) => f.slice(here.length - 'src/data/forget'.length + 'src/'.length)).sort()).toContain('shared/random.ts');
    expect([...seen].some((f) => f.endsWith('read.ts'))).toBe(false);
  });
});
