// class:3,5 forgets every training sample of the classes (the Unlearning Comparator's setting).
import { z } from 'zod';
import { bad, listOf, parseInt10, type ForgetKind } from './kind.ts';

const schema = z.object({ kind: z.literal('class'), classes: z.array(z.number().int().nonnegative()).min(1) });
export type ClassSpec = z.infer<typeof schema>;

const inClasses = (spec: ClassSpec, y: Int32Array) => {
  const cs = new Set(spec.classes);
  return (i: number) => cs.has(y[i]);
};

export const classKind = {
  name: 'class',
  summary: 'whole classes: every training sample with one of the labels',
  schema,
  examples: ['class:3', 'class:3,5'].map((spec) => ({ spec, meaning: 'every training sample of those classes' })),
  parse(body) {
    if (!body) bad('no class given');
    return { kind: 'class', classes: body.split(',').map((c) => parseInt10(c, 'class')) };
  },
  describe: (spec) => `class:${spec.classes.join(',')}`,
  resolve(spec, { ds, train }) {
    for (const c of spec.classes) {
      if (c < 0 || c >= ds.numClasses) throw new Error(`unknown class ${c}: ${ds.name} has classes 0..${ds.numClasses - 1}`);
    }
    return new Set([...train].filter(inClasses(spec, ds.y)));
  },
  testSets(spec, { ds, test }) {
    const forgotten = inClasses(spec, ds.y);
    return { forgetTest: test.filter(forgotten), retainTest: test.filter((i) => !forgotten(i)) };
  },
  form: {
    label: 'whole classes',
    fields: [{ key: 'classes', name: 'classes', label: 'Classes', hint: 'class numbers, e.g. 3 or 3,5', initial: '0' }],
    toText: (v) => `class:${listOf(v.classes).join(',')}`,
  },
} satisfies ForgetKind<ClassSpec>;
