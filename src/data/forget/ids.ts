// ids:FILE forgets the listed sample ids; the JSON form carries the ids themselves.
import { z } from 'zod';
import { bad, type ForgetKind } from './kind.ts';
import { EVERY_TASK } from '../tasks.ts';

const schema = z.object({ kind: z.literal('ids'), ids: z.array(z.number().int()).min(1) });
export type IdsSpec = z.infer<typeof schema>;

/** The ids of a one-id-a-line text (blank lines and # comments ignored) with their line numbers; `file` names it in errors. */
export function idLines(text: string, file: string): { id: number; line: number }[] {
  const out: { id: number; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const t = raw.replace(/#.*/, '').trim();
    if (!t) return;
    if (!/^\d+$/.test(t)) throw new Error(`${file}:${i + 1}: "${t}" is not a sample id`);
    out.push({ id: Number(t), line: i + 1 });
  });
  return out;
}

/** The start of a message about some ids: `id 5 is`, `ids 1, 2 are`, `ids 1, 2, 3, 4, 5, … (9 in all) are`. */
export function idsAre(ids: readonly number[]): string {
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? `, … (${ids.length} in all)` : '');
  return ids.length > 1 ? `ids ${shown} are` : `id ${shown} is`;
}

export const idsKind = {
  name: 'ids',
  summary: 'the sample ids listed in a file (one a line, # comments)',
  schema,
  tasks: EVERY_TASK,
  examples: [{ spec: 'ids:path/to/ids.txt', help: 'ids:FILE', meaning: 'the listed sample ids (one a line, `#` comments)' }],
  /** One id a line; blank lines and # comments ignored. */
  parse(body, { readText }) {
    if (!readText) throw new Error('the forget spec "ids:FILE" names a file, which the server never reads; send {"kind":"ids","ids":[...]} instead');
    if (!body) bad('no file given');
    let content = '';
    try {
      content = readText(body);
    } catch (e) {
      bad(`cannot read ${body} (${(e as { code?: string }).code ?? (e as Error).message})`);
    }
    let ids: number[] = [];
    try {
      ids = idLines(content, body).map((l) => l.id);
    } catch (e) {
      bad((e as Error).message);
    }
    if (!ids.length) bad(`${body} lists no ids`);
    return { kind: 'ids', ids };
  },
  describe: (spec) => `ids:${spec.ids.length}`,
  resolve(spec, { ds, where }) {
    const forget = new Set(spec.ids);
    for (const id of forget) {
      if (!Number.isInteger(id) || id < 0 || id >= ds.size) throw new Error(`sample id ${id} is out of range: ${ds.name} has ids 0..${ds.size - 1}`);
      if (ds.split[id] !== 0) throw new Error(`sample id ${id} is not a train sample ${where}; only training data can be forgotten`);
    }
    return forget;
  },
} satisfies ForgetKind<IdsSpec>;
