// The README's generated tables, each from its map: methods, metrics and forget specs. `npm run docs` writes
// them into README.md between their markers; src/cli/docs.test.ts fails when the README has drifted.
import { forgetSpecsMarkdown } from '../data/forget/index.ts';
import { metricsMarkdown } from '../eval/metrics.ts';
import { tasksMarkdown } from '../data/tasks.ts';
import { methodsMarkdown } from './methods-table.ts';

export const DOC_TABLES: Record<string, () => string> = {
  'METHODS-TABLE': () => methodsMarkdown(),
  'METRICS-TABLE': metricsMarkdown,
  'FORGET-TABLE': forgetSpecsMarkdown,
  'TASKS-TABLE': tasksMarkdown,
};

const block = (name: string) => new RegExp(`(<!-- ${name} -->\\n)[\\s\\S]*?(\\n<!-- /${name} -->)`);

/** The text with every generated table replaced by the map's; throws when a marker pair is missing. */
export function renderDocs(text: string): string {
  let out = text;
  for (const [name, table] of Object.entries(DOC_TABLES)) {
    if (!block(name).test(out)) throw new Error(`README.md has no <!-- ${name} --> … <!-- /${name} --> markers`);
    out = out.replace(block(name), (_, open: string, close: string) => open + table() + close);
  }
  return out;
}
