import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EMPTY_FORGET, FORM_KINDS, forgetFields, forgetSpec, formKindsFor, forTask } from './forget.ts';
import { fieldsOf, humanize, initialValues, parseValues, rangeText, recipeKinds, taskField, type JsonSchema } from './schema-form.ts';

// The same route the server takes: a zod schema turned into JSON Schema (input side).
const schema = z.toJSONSchema(z.object({
  epochs: z.number().gt(0).max(100).default(1).describe('passes over the retain set'),
  batchSize: z.number().int().min(1).max(4096).default(128),
  optimizer: z.enum(['sgd', 'adam']).default('adam'),
  mask: z.boolean().default(false),
  ratio: z.number().optional(),
}).strict(), { io: 'input' }) as JsonSchema;

describe('schema form', () => {
  const fields = fieldsOf(schema, { epochs: 2 });

  it('reads kinds, bounds, defaults and descriptions', () => {
    expect(fields.map((f) => [f.key, f.kind])).toEqual([['epochs', 'number'], ['batchSize', 'integer'], ['optimizer', 'enum'], ['mask', 'boolean'], ['ratio', 'number']]);
    expect(fields[0]).toMatchObject({ min: 0, minExclusive: true, max: 100, default: 2, description: 'passes over the retain set', optional: false });
    expect(fields[1]).toMatchObject({ min: 1, max: 4096, default: 128, label: 'batch size' });
    expect(fields[2].options).toEqual(['sgd', 'adam']);
    expect(fields[4].optional).toBe(true);
    expect(initialValues(fields)).toEqual({ epochs: '2', batchSize: '128', optimizer: 'adam', mask: 'false', ratio: '' });
  });

  it('parses typed values and leaves out empty optional ones', () => {
    expect(parseValues(fields, { epochs: '0.5', batchSize: '64', optimizer: 'sgd', mask: 'true', ratio: '' })).toEqual({
      ok: true, values: { epochs: 0.5, batchSize: 64, optimizer: 'sgd', mask: true },
    });
  });

  it('names each bad field', () => {
    const r = parseValues(fields, { epochs: '0', batchSize: '1.5', optimizer: 'rmsprop', mask: 'false', ratio: 'x' });
    expect(r).toEqual({ ok: false, errors: { epochs: 'must be > 0', batchSize: 'must be a whole number', optimizer: 'one of sgd, adam', ratio: 'not a number' } });
    expect(parseValues(fields, { epochs: '101' })).toMatchObject({ ok: false, errors: { epochs: 'must be ≤ 100' } });
  });

  it('humanizes keys', () => {
    expect(humanize('batchSize')).toBe('batch size');
    expect(humanize('retain_steps')).toBe('retain steps');
  });
});

describe('forget spec form', () => {
  const form = (kind: string, values: Record<string, string>) => ({ kind, values: { ...EMPTY_FORGET.values, ...values } });

  it('offers the kinds of the map that have a form, with the input names the browser tests fill', () => {
    expect(FORM_KINDS.map((k) => [k.name, k.form.label])).toEqual([
      ['class', 'whole classes'], ['random', 'random samples'], ['group', "a user's samples (groups)"], ['target', 'a target range (regression)'],
    ]);
    expect(forgetFields('random').map((f) => f.name)).toEqual(['amount', 'forgetSeed']);
    expect(forgetFields('ids')).toEqual([]);
    expect(EMPTY_FORGET).toEqual({ kind: 'class', values: { classes: '0', amount: '0.1', seed: '1', groups: '', min: '250', max: '' } });
    expect(forgetFields('target').map((f) => f.name)).toEqual(['targetMin', 'targetMax']);
    expect(forgetSpec(EMPTY_FORGET)).toEqual({ spec: 'class:0' });
  });

  it('builds the spec strings the CLI and API accept', () => {
    expect(forgetSpec(form('class', { classes: '3, 5,3' }))).toEqual({ spec: 'class:3,5' });
    expect(forgetSpec(form('random', { amount: '0.1', seed: '2' }))).toEqual({ spec: 'random:0.1:seed=2' });
    expect(forgetSpec(form('random', { amount: ' 600 ', seed: '1' }))).toEqual({ spec: 'random:600:seed=1' });
    expect(forgetSpec(form('random', { amount: '0.25', seed: '-3' }))).toEqual({ spec: 'random:0.25:seed=-3' });
    expect(forgetSpec(form('group', { groups: 'u17 u42' }))).toEqual({ spec: 'group:u17,u42' });
    expect(forgetSpec(form('target', { min: '250', max: '' }))).toEqual({ spec: 'target:250..' });
    expect(forgetSpec(form('target', { min: ' 50', max: '100 ' }))).toEqual({ spec: 'target:50..100' });
  });

  it("offers a model's task only the kinds that serve it, and moves a kind it has no use for to the task's first", () => {
    expect(formKindsFor('classification').map((k) => k.name)).toEqual(['class', 'random', 'group']);
    expect(formKindsFor('regression').map((k) => k.name)).toEqual(['random', 'group', 'target']);
    expect(forTask(EMPTY_FORGET, 'regression')).toEqual({ ...EMPTY_FORGET, kind: 'random' });
    expect(forTask(form('target', {}), 'classification').kind).toBe('class');
    const typed = form('random', { amount: '0.2' });
    expect(forTask(typed, 'regression')).toBe(typed);
    expect(forTask(typed, 'classification')).toBe(typed);
  });

  it("says what is wrong, in the server parser's words", () => {
    expect(forgetSpec(form('class', { classes: 'shirts' }))).toEqual({ error: 'class "shirts" is not an integer' });
    expect(forgetSpec(form('class', { classes: ' ' }))).toEqual({ error: 'no class given' });
    expect(forgetSpec(form('random', { amount: '2.5' }))).toEqual({ error: 'count "2.5" must be an integer' });
    expect(forgetSpec(form('random', { amount: '0' }))).toEqual({ error: 'amount "0" must be a fraction in (0,1) or a count ≥ 1' });
    expect(forgetSpec(form('random', { amount: '' }))).toEqual({ error: 'amount "" must be a fraction in (0,1) or a count ≥ 1' });
    expect(forgetSpec(form('random', { seed: '1.5' }))).toEqual({ error: 'seed "1.5" is not an integer' });
    expect(forgetSpec(form('random', { seed: '' }))).toEqual({ error: 'seed "" is not an integer' });
    expect(forgetSpec(form('group', { groups: ' , ' }))).toEqual({ error: 'no group given' });
    expect(forgetSpec(form('ids', {}))).toHaveProperty('error');
  });
});

describe('task arguments as fields (GET /api/tasks)', () => {
  const tasks = [{ kind: 'compare', args: z.toJSONSchema(z.object({ seeds: z.number().int().min(1).max(20).default(3) }), { io: 'input' }) as JsonSchema }];

  it('reads a task argument\'s limits and default from its schema', () => {
    const f = taskField(tasks, 'compare', 'seeds');
    expect(f).toMatchObject({ kind: 'integer', min: 1, max: 20, default: 3 });
    expect(rangeText(f)).toBe('1–20');
    expect(taskField(tasks, 'compare', 'nope')).toBeUndefined();
    expect(taskField(tasks, 'train', 'seeds')).toBeUndefined();
    expect(rangeText(undefined)).toBeUndefined();
  });
});

describe('recipe kinds of the train task', () => {
  // The same route as the server: a discriminated union of recipes turned into JSON Schema.
  const recipe = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('analytic'), dim: z.number().int().min(1).max(8192).default(2048) }).strict(),
    z.object({ kind: z.literal('sharded'), shards: z.number().int().min(1).max(64).default(5), schedule: z.enum(['budget', 'stage']).default('budget') }).strict(),
  ]);
  const tasks = [{ kind: 'train', args: z.toJSONSchema(z.object({ recipe: recipe.optional() }), { io: 'input' }) as JsonSchema }];

  it('gives one kind per variant, named by its kind constant, with its fields but the kind', () => {
    const kinds = recipeKinds(tasks);
    expect(kinds.map((k) => k.kind)).toEqual(['analytic', 'sharded']);
    expect(kinds[1].fields.map((f) => [f.key, f.kind, f.default])).toEqual([['shards', 'integer', 5], ['schedule', 'enum', 'budget']]);
    expect(kinds[0].fields[0]).toMatchObject({ key: 'dim', min: 1, max: 8192 });
    expect(recipeKinds([{ kind: 'compare', args: {} }])).toEqual([]);
  });
});
