// group:u17,u42 forgets every training sample owned by the groups (one user's data).
import { z } from 'zod';
import { bad, listOf, type ForgetKind } from './kind.ts';
import { EVERY_TASK } from '../tasks.ts';

const schema = z.object({ kind: z.literal('group'), groups: z.array(z.string().min(1)).min(1) });
export type GroupSpec = z.infer<typeof schema>;

export const groupKind = {
  name: 'group',
  summary: "every training sample owned by the groups (one user's data)",
  schema,
  tasks: EVERY_TASK,
  examples: [{ spec: 'group:u17,u42', meaning: 'every training sample owned by those users' }],
  parse(body) {
    const groups = body.split(',').map((g) => g.trim()).filter(Boolean);
    if (!groups.length) bad('no group given');
    return { kind: 'group', groups };
  },
  describe: (spec) => `group:${spec.groups.join(',')}`,
  resolve(spec, { ds, train, where }) {
    const gs = new Set(spec.groups);
    const known = new Set<string>();
    const forget = new Set<number>();
    for (const i of train) {
      if (gs.has(ds.group[i])) {
        forget.add(i);
        known.add(ds.group[i]);
      }
    }
    const unknown = spec.groups.filter((g) => !known.has(g));
    if (unknown.length) throw new Error(`unknown group ${unknown.join(', ')}: no train samples belong to it ${where}`);
    return forget;
  },
  form: {
    label: "a user's samples (groups)",
    fields: [{ key: 'groups', name: 'groups', label: 'Groups', hint: 'group ids, e.g. u17,u42', initial: '' }],
    toText: (v) => `group:${listOf(v.groups).join(',')}`,
  },
} satisfies ForgetKind<GroupSpec>;
