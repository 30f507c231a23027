// npm run docs: rewrites the README's generated tables (methods, metrics, forget specs) from their maps.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderDocs } from '../src/cli/docs.ts';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = renderDocs(before);
writeFileSync(path, after);
console.log(after === before ? 'README.md: tables already up to date' : 'README.md: tables rewritten');
