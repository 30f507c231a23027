// A kill -9 in the middle of a run, on real processes and a real store: the run reads 'interrupted', no
// checkpoint is left half-written, and the next run records normally, with nothing duplicated.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/data/registry.ts';
import { Store } from '../src/store/store.ts';

const BIN = join(REPO_ROOT, 'bin/lethe.js');
const home = mkdtempSync(join(tmpdir(), 'lethe-crash-'));
const env = { ...process.env, LETHE_HOME: home };

afterAll(() => rmSync(home, { recursive: true, force: true }));

const run = (args: string[]) => spawn(process.execPath, [BIN, ...args], { cwd: home, env, stdio: 'ignore' });
const exited = (p: ReturnType<typeof spawn>) => new Promise<number | null>((r) => p.on('close', (code) => r(code)));

it('a run killed with SIGKILL is recorded as interrupted; the next run is recorded once', async () => {
  const victim = run(['train', '--data', 'synthetic', '--epochs', '1000', '--out', 'killed']);
  const store = new Store(join(home, 'lethe.db'));
  try {
    // Wait until the run is recorded as running, then kill the process without a chance to clean up.
    for (let i = 0; i < 300 && !store.listRuns().some((r) => r.status === 'running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(store.listRuns()).toMatchObject([{ kind: 'train', status: 'running' }]);
    victim.kill('SIGKILL');
    await exited(victim);
    expect(existsSync(join(home, 'killed', 'meta.json'))).toBe(false);
    expect(readdirSync(home).filter((f) => f.includes('.tmp-'))).toEqual([]);

    expect(await exited(run(['train', '--data', 'synthetic', '--epochs', '1', '--out', 'next']))).toBe(0);
    const runs = store.listRuns();
    expect(runs.map((r) => [r.kind, r.status])).toEqual([['train', 'interrupted'], ['train', 'done']]);
    expect(runs[0].error).toMatch(/its process \(pid \d+\) ended before the run finished/);
    expect(store.listModels().map((m) => m.path)).toEqual([join(home, 'next')]);
  } finally {
    store.close();
  }
});
