#!/usr/bin/env node
// Runs the precompiled command (dist/cli, see scripts/cli-bundle.mjs) when it is up to date with src/, and the
// TypeScript sources through tsx otherwise (or when LETHE_FROM_SOURCE is set), so an edit takes effect at once.
import { freshEntry } from '../scripts/cli-bundle.mjs';

const entry = process.env.LETHE_FROM_SOURCE ? undefined : freshEntry();
if (entry) {
  if (process.env.LETHE_DEBUG) process.setSourceMapsEnabled(true);
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
