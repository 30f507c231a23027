import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { forgetSpec, EMPTY_FORGET } from '../../web/src/lib/forget.ts';
import { fieldsOf, humanize, initialValues, parseValues, type JsonSchema } from '../../web/src/lib/schema-form.ts';

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
  it('builds the spec strings the CLI and API accept', () => {
    expect(forgetSpec({ ...EMPTY_FORGET, kind: 'class', classes: '3, 5,3' })).toEqual({ spec: 'class:3,5' });
    expect(forgetSpec({ ...EMPTY_FORGET, kind: 'random', amount: '0.1', seed: '2' })).toEqual({ spec: 'random:0.1:seed=2' });
    expect(forgetSpec({ ...EMPTY_FORGET, kind: 'random', amount: '600', seed: '1' })).toEqual({ spec: 'random:600:seed=1' });
    expect(forgetSpec({ ...EMPTY_FORGET, kind: 'group', groups: 'u17 u42' })).toEqual({ spec: 'group:u17,u42' });
  });

  it('says what is wrong', () => {
    expect(forgetSpec({ ...EMPTY_FORGET, kind: 'class', classes: 'shirts' })).toHaveProperty('error');
    expect(forgetSpec({ ...EMPTY_FORGET, kind: 'random', amount: '2.5' })).toEqual({ error: 'a count must be a whole number' });
    expect(forgetSpec({ ...EMPTY_FORGET, kind: 'group', groups: ' ' })).toHaveProperty('error');
  });
});
