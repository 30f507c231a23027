// `lethe ulira` as a user runs it, in its own process with a temporary LETHE_HOME: the table, --json, and a bad
// flag as one line naming it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/lethe.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lethe-cli-ulira-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function lethe(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LETHE_HOME: join(work, 'home') };
  delete env.LETHE_DEBUG;
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

describe('lethe ulira', () => {
  const U = ['ulira', '--original', 'a', '--method', 'ga', '--param', 'lr=0.001', '--shadows', '4', '--targets', '10', '--retain', '10', '--parallel', '1'];

  it('prints the attack table, then the same evaluation as JSON from the store', async () => {
    const t = await lethe(['train', '--data', 'synthetic', '--train-size', '60', '--model', 'mlp', '--epochs', '5', '--seed', '3', '--out', 'a']);
    expect(t.code).toBe(0);
    const r = await lethe(U);
    expect([r.code, r.stderr.includes('Error')]).toEqual([0, false]);
    expect(r.stdout).toContain('U-LiRA (Hayes et al. 2024) of ga on synthetic: K = 4 shadow models on random halves, 10 target and 10 retain examples (8 shadow outputs computed now, 0 from the store)');
    expect(r.stdout).toContain('| method | K | targets | U-LiRA accuracy (TPR / TNR) | per-example median / p90 | retain before → after |');
    const row = r.stdout.split('\n').find((l) => l.startsWith('| ga |'))!;
    expect(row).toMatch(/^\| ga \| 4 \| 10 \| \d+\.\d% \(\d+\.\d% \/ \d+\.\d%\) \| \d+\.\d% \/ \d+\.\d% \| \d+\.\d% → \d+\.\d% \|$/);
    const j = await lethe(['--json', ...U]);
    expect(j.code).toBe(0);
    const u = JSON.parse(j.stdout);
    expect(u).toMatchObject({ method: 'ga', params: { lr: 0.001 }, shadows: 4, targets: 10, retainCount: 10, computed: 0, stored: 8 });
    // The printed row is the JSON's numbers, rounded.
    const pc = (v: number) => `${v.toFixed(1)}%`;
    expect(row).toBe(`| ga | 4 | 10 | ${pc(u.forget.accuracy)} (${pc(u.forget.tpr)} / ${pc(u.forget.tnr)}) | ${pc(u.forget.perExample.median)} / ${pc(u.forget.perExample.p90)} | ${pc(u.retain.before)} → ${pc(u.retain.after)} |`);
    expect(r.stdout).toContain(`GET /api/ulira/${u.id}`);
  }, 120_000);

  it('compare --ulira K adds a U-LiRA accuracy row per compared method (and, with --bank, a column of the bank table), and writes ulira.json', async () => {
    // The full synthetic set (1,200 train samples) holds the default 200 targets and 200 retain examples.
    expect((await lethe(['train', '--data', 'synthetic', '--model', 'mlp', '--epochs', '2', '--seed', '4', '--out', 'b'])).code).toBe(0);
    const r = await lethe(['compare', '--original', 'b', '--forget', 'random:10:seed=1', '--methods', 'ga', '--seeds', '1', '--ulira', '4', '--bank', '3', '--parallel', '1', '--out', 'cmp']);
    expect([r.code, r.stderr.split('\n').filter((l) => /error/i.test(l))]).toEqual([0, []]);
    const saved = JSON.parse(readFileSync(join(work, 'cmp', 'ulira.json'), 'utf8'));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ method: 'ga', shadows: 4, targets: 200, retainCount: 200, computed: 8 });
    const pc = (v: number) => `${v.toFixed(1)}%`;
    expect(r.stdout).toContain('U-LiRA (Hayes et al. 2024): per method, K = 4 shadow models');
    expect(r.stdout).toContain(`| ga | 4 | 200 | ${pc(saved[0].forget.accuracy)} (${pc(saved[0].forget.tpr)} / ${pc(saved[0].forget.tnr)}) |`);
    expect(r.stdout).toContain('ulira.json');
    // The bank table's last column is the same accuracy.
    expect(r.stdout).toContain('| KLOM forget (median) | U-LiRA accuracy (K = 4) |');
    expect(r.stdout).toMatch(new RegExp(`\\| ga \\| \\d+\\.\\d{4} \\|.* \\| ${pc(saved[0].forget.accuracy).replace('.', '\\.')} \\|\\n`));
  }, 180_000);

  it('names a bad flag in one line', async () => {
    const r = await lethe(['ulira', '--original', 'a', '--method', 'ga', '--shadows', '3']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--shadows: .*>=4.*\(got 3\)/);
  }, 60_000);
});
