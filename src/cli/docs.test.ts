import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { FORGET_KIND_NAMES } from '../data/forget/index.ts';
import { METRIC_KEYS } from '../eval/metrics.ts';
import { METHOD_NAMES } from '../unlearn/registry.ts';
import { DOC_TABLES, renderDocs } from './docs.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test("the README's generated tables are their maps' (regenerate with npm run docs)", () => {
  expect(renderDocs(readme)).toBe(readme);
});

test('each table has a row per entry of its map', () => {
  expect(DOC_TABLES['METHODS-TABLE']().split('\n')).toHaveLength(METHOD_NAMES.length + 2);
  expect(DOC_TABLES['METRICS-TABLE']().split('\n')).toHaveLength(METRIC_KEYS.length + 2);
  for (const key of METRIC_KEYS) expect(DOC_TABLES['METRICS-TABLE']()).toContain(`| \`${key}\` |`);
  for (const kind of FORGET_KIND_NAMES) expect(DOC_TABLES['FORGET-TABLE']()).toContain(`\`${kind}:`);
});

test('a drifted table is caught', () => {
  const stale = readme.replace(/(<!-- METRICS-TABLE -->\n)[\s\S]*?(\n<!-- \/METRICS-TABLE -->)/, '$1| old |$2');
  expect(renderDocs(stale)).not.toBe(stale);
  expect(() => renderDocs('no markers')).toThrow(/METHODS-TABLE/);
});
