import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { METHOD_NAMES } from '../unlearn/registry.ts';
import { methodsMarkdown } from './methods-table.ts';

test("the README's methods table is the registry's (regenerate with npx lethe methods --markdown)", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = /<!-- METHODS-TABLE -->\n([\s\S]*?)\n<!-- \/METHODS-TABLE -->/.exec(readme);
  expect(m, 'README.md has no METHODS-TABLE markers').not.toBeNull();
  const table = methodsMarkdown();
  expect(table.split('\n')).toHaveLength(METHOD_NAMES.length + 2);
  expect(m![1]).toBe(table);
});
