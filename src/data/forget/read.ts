// The CLI's forget-spec parser: the same parser, allowed to read the file of `ids:FILE`. Node only.
import { readFileSync } from 'node:fs';
import { parseForgetSpec, type ForgetSpec } from './index.ts';

export function parseForgetSpecFromCli(text: string): ForgetSpec {
  return parseForgetSpec(text, { readText: (path) => readFileSync(path, 'utf8') });
}
