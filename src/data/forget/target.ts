// target:250.. / target:..30 / target:100..200 forgets every training sample whose regression target lies in the range
// (both ends included, in the target's own units): Blindspot's setting, "forget every face aged 30 or under".
import { z } from 'zod';
import { bad, type ForgetKind, type ResolveData } from './kind.ts';

const bound = z.number().finite().optional();
const schema = z.object({ kind: z.literal('target'), min: bound, max: bound })
  .refine((s) => s.min !== undefined || s.max !== undefined, 'give at least one end of the range')
  .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, 'the range is empty: min is above max');
export type TargetSpec = z.infer<typeof schema>;

function end(text: string, which: string): number | undefined {
  if (text.trim() === '') return undefined;
  const v = Number(text);
  if (!Number.isFinite(v)) bad(`${which} "${text}" is not a number`);
  return v;
}

/** Whether sample `i`'s target, in the column's units, lies in the spec's range. */
function inRange(spec: TargetSpec, { ds }: ResolveData): (i: number) => boolean {
  const info = ds.targetInfo;
  if (!ds.target || !info) throw new Error(`target forgetting needs a regression data set (a numeric target column); ${ds.name} has class labels: use class:, random:, ids: or group:`);
  return (i) => {
    const v = ds.target![i];
    return (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max);
  };
}

const text = (spec: TargetSpec) => `target:${spec.min ?? ''}..${spec.max ?? ''}`;

export const targetKind = {
  name: 'target',
  summary: 'regression: every training sample whose target lies in a range (both ends included, in the target\'s units)',
  schema,
  tasks: ['regression'],
  examples: [
    { spec: 'target:250..', meaning: 'regression: every training sample whose target is 250 or more' },
    { spec: 'target:..30', meaning: 'regression: every training sample whose target is 30 or less' },
    { spec: 'target:100..200', meaning: 'regression: every training sample whose target is in [100, 200]' },
  ],
  parse(body) {
    const parts = body.trim().split('..');
    if (parts.length !== 2) bad(`"${body}" is not a range LO..HI (either end may be left out: 250.. or ..30)`);
    const min = end(parts[0], 'lower end');
    const max = end(parts[1], 'upper end');
    if (min === undefined && max === undefined) bad('give at least one end of the range');
    if (min !== undefined && max !== undefined && min > max) bad(`the range is empty: ${min} is above ${max}`);
    return { kind: 'target', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  },
  describe: text,
  resolve(spec, data) {
    return new Set([...data.train].filter(inRange(spec, data)));
  },
  testSets(spec, data) {
    const hit = inRange(spec, data);
    return { forgetTest: data.test.filter(hit), retainTest: data.test.filter((i) => !hit(i)) };
  },
  form: {
    label: 'a target range (regression)',
    fields: [
      { key: 'min', name: 'targetMin', label: 'From', hint: 'lowest target forgotten; empty for no lower end', initial: '250' },
      { key: 'max', name: 'targetMax', label: 'To', hint: 'highest target forgotten; empty for no upper end', initial: '' },
    ],
    toText: (v) => `target:${v.min.trim()}..${v.max.trim()}`,
  },
} satisfies ForgetKind<TargetSpec>;
