// Commands that neither train nor predict start without TensorFlow.js (about a second of loading saved): each runs
// as a user runs it, in its own process, with a resolution hook that reports every TensorFlow.js module loaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/data/registry.ts';

const home = mkdtempSync(join(tmpdir(), 'lethe-startup-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'test/support/trace-loads.mjs'), join(REPO_ROOT, 'bin/lethe.js'), ...args], {
    cwd: home, env: { ...process.env, LETHE_HOME: home }, encoding: 'utf8',
  });
}

const LIGHT: string[][] = [
  ['--help'],
  ['methods'],
  ['info'],
  ['forget', '--data', 'synthetic', '--forget', 'class:1', '--out', 'ids.txt'],
  ['ledger', 'key'],
  ['ledger', 'verify'],
  ['lineage', '--sample', '3'],
  ['deployments'],
];

it.each(LIGHT.map((a) => [a.join(' '), a] as const))('lethe %s loads no TensorFlow.js', (_, args) => {
  const r = run([...args]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/LOADED-TFJS/);
}, 30_000);

it('the hook does see TensorFlow.js where a command loads it (lethe train)', () => {
  const r = run(['train', '--data', 'synthetic', '--model', 'mlp', '--epochs', '1', '--out', 'trained']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/LOADED-TFJS .*tfjs-core/);
}, 30_000);
