// The one map of derived data sets (a folder holding one record of how a source data set was changed), and the
// data format that reads a folder holding any of them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DerivedSource } from '../dataset.ts';
import type { Derivation } from './derived.ts';
import { loadDerived } from './derived.ts';
import type { DataFormat } from './format.ts';
import { manipulation } from './manipulated.ts';
import { protection } from './protected.ts';

export const DERIVATIONS = { manipulation, protection } satisfies Record<string, Derivation<{ source: DerivedSource }>>;
const entries: Derivation<{ source: DerivedSource }>[] = Object.values(DERIVATIONS);
const commands = entries.map((d) => d.command).join(' or ');

/** The derivation whose record a folder holds; more than one record in a folder is an error. */
function derivationOf(path: string): Derivation<{ source: DerivedSource }> | undefined {
  const found = entries.filter((d) => existsSync(join(path, d.file)));
  if (found.length > 1) throw new Error(`${path}: holds ${found.map((d) => d.file).join(' and ')}: a derived data set holds one record`);
  return found[0];
}

export const derived = {
  name: 'derived',
  summary: `a folder written by ${commands} (${entries.map((d) => d.file).join(' or ')}: a source data set, its content hash and what was changed in it)`,
  accepts: `a folder written by ${commands}`,
  detect: (path, stat) => stat.isDirectory() && entries.some((d) => existsSync(join(path, d.file))),
  load: (path, _ref, loadSource) => loadDerived(path, derivationOf(path)!, loadSource),
} satisfies DataFormat;
