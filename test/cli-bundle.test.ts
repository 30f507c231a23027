// The precompiled command (scripts/cli-bundle.mjs): run while it is current, the sources through tsx once any source
// it holds changes, and the same answers either way.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module (it runs before anything is compiled)
import { freshEntry, OUT } from '../scripts/cli-bundle.mjs';
import { REPO_ROOT } from '../src/data/registry.ts';

const tmp = mkdtempSync(join(tmpdir(), 'lethe-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function lethe(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'test/support/trace-loads.mjs'), join(REPO_ROOT, 'bin/lethe.js'), ...args], {
    cwd: tmp, env: { ...process.env, LETHE_HOME: tmp, ...env }, encoding: 'utf8',
  });
}

describe('freshEntry', () => {
  const out = join(tmp, 'dist');
  const src = join(tmp, 'a.ts');
  mkdirSync(out);
  writeFileSync(src, '');
  const stamp = (builtAt: number, inputs: string[]) => writeFileSync(join(out, 'build.json'), JSON.stringify({ builtAt, entry: 'main.js', inputs }));

  it('is the entry while every input is older than the build', () => {
    utimesSync(src, 1000, 1000);
    stamp(2_000_000, [src]);
    expect(freshEntry(out)).toBe(pathToFileURL(join(out, 'main.js')).href);
  });

  it('is undefined once an input is newer than the build, or gone, or the stamp is unreadable', () => {
    utimesSync(src, 3000, 3000);
    stamp(2_000_000, [src]);
    expect(freshEntry(out)).toBeUndefined();
    stamp(Date.now(), [join(tmp, 'gone.ts')]);
    expect(freshEntry(out)).toBeUndefined();
    writeFileSync(join(out, 'build.json'), '{"builtAt":');
    expect(freshEntry(out)).toBeUndefined();
    expect(freshEntry(join(tmp, 'none'))).toBeUndefined();
  });
});

describe('bin/lethe.js', () => {
  // npm test builds the bundle first (scripts/setup.mjs), so it is current here.
  it('runs the bundle without tsx when it is current', () => {
    expect(freshEntry(OUT), 'the bundle should be current under npm test').toBeDefined();
    const r = lethe(['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/LOADED-TSX/);
  });

  it('runs the sources through tsx with LETHE_FROM_SOURCE, with the same answers', () => {
    const args = ['forget', '--data', 'synthetic', '--forget', 'random:5:seed=3'];
    const fromSource = lethe(args, { LETHE_FROM_SOURCE: '1' });
    expect(fromSource.status, fromSource.stderr).toBe(0);
    expect(fromSource.stderr).toMatch(/LOADED-TSX/);
    const bundled = lethe(args);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(bundled.stdout).toBe(fromSource.stdout);
    expect(bundled.stdout.trim().split('\n')).toHaveLength(5);
  });

  it('reports errors as one line from the bundle as from the sources', () => {
    const args = ['forget', '--data', 'synthetic', '--forget', 'class:99'];
    const a = lethe(args);
    const b = lethe(args, { LETHE_FROM_SOURCE: '1' });
    expect(a.status).toBe(1);
    expect(b.status).toBe(1);
    const line = (s: string) => s.split('\n').filter((l) => l.startsWith('lethe:'));
    expect(line(a.stderr)).toEqual(line(b.stderr));
    expect(line(a.stderr)).toHaveLength(1);
  });
});
