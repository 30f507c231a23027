// What `lethe methods` prints: every registered method with its parameters and defaults, as data or as the README's table.
import { describeMethods } from '../unlearn/registry.ts';

export interface MethodInfo {
  name: string;
  kind: 'exact' | 'approximate';
  summary: string;
  paper: string;
  params: { key: string; default: unknown; description: string }[];
}

export function methodInfos(): MethodInfo[] {
  return describeMethods().map(({ name, kind, summary, paper, params, defaults }) => ({
    name, kind, summary, paper,
    params: Object.entries(params.properties ?? {}).map(([key, s]) => ({ key, default: defaults[key] ?? null, description: s.description ?? '' })),
  }));
}

/** The README's methods table (between its METHODS-TABLE markers), so the docs cannot drift from the registry. */
export function methodsMarkdown(list = methodInfos()): string {
  const rows = list.map((m) => {
    const ps = m.params.map((p) => `\`${p.key}=${p.default ?? '—'}\``).join(', ');
    return `| \`${m.name}\` | ${m.kind} | ${m.summary} | ${m.paper} | ${ps} |`;
  });
  return ['| method | kind | what it does | paper | parameters (defaults) |', '|---|---|---|---|---|', ...rows].join('\n');
}
