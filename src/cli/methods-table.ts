// What `lethe methods` prints: every registered method with its parameters and defaults, as data or as the README's table.
import { CLASSIFICATION_ONLY, type TaskName } from '../data/tasks.ts';
import { describeDim, describeMethods, getMethod } from '../unlearn/registry.ts';

export interface MethodInfo {
  name: string;
  kind: 'exact' | 'approximate';
  summary: string;
  paper: string;
  params: { key: string; default: unknown; description: string }[];
  /** What `lethe tune` searches, one range each (`lr∈[0.0001, 0.01] log`). */
  tune: string[];
  /** The tasks it serves (src/data/tasks.ts). */
  tasks: readonly TaskName[];
}

export function methodInfos(): MethodInfo[] {
  return describeMethods().map(({ name, kind, summary, paper, params, defaults, search }) => ({
    name, kind, summary, paper, tune: Object.entries(search).map(([k, d]) => describeDim(k, d)), tasks: getMethod(name).tasks ?? CLASSIFICATION_ONLY,
    params: Object.entries(params.properties ?? {}).map(([key, s]) => ({ key, default: defaults[key] ?? null, description: s.description ?? '' })),
  }));
}

/** The README's methods table (between its METHODS-TABLE markers), so the docs cannot drift from the registry. */
export function methodsMarkdown(list = methodInfos()): string {
  const rows = list.map((m) => {
    const ps = m.params.map((p) => `\`${p.key}=${p.default ?? '—'}\``).join(', ');
    const tune = m.tune.map((t) => `\`${t}\``).join(', ') || '—';
    return `| \`${m.name}\` | ${m.kind} | ${m.tasks.join(', ')} | ${m.summary} | ${m.paper} | ${ps} | ${tune} |`;
  });
  return ['| method | kind | tasks | what it does | paper | parameters (defaults) | tuned by `lethe tune` |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
