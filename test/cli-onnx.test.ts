// `lethe import --onnx` as a user runs it, in its own process: a PyTorch-made CNN becomes a checkpoint that
// `lethe unlearn` and `lethe predict` take; an unsupported operator is one line on stderr and exit code 1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/lethe.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/onnx/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lethe-cli-onnx-'));
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

describe('lethe import --onnx', () => {
  let imported: Awaited<ReturnType<typeof lethe>>;
  let unsupported: Awaited<ReturnType<typeof lethe>>;
  let neither: Awaited<ReturnType<typeof lethe>>;

  beforeAll(async () => {
    [imported, unsupported, neither] = await Promise.all([
      lethe(['import', '--onnx', join(FIXTURES, 'cnn.onnx'), '--data', 'fashion-mnist-mini', '--out', 'imported', '--epochs', '1']),
      lethe(['import', '--onnx', join(FIXTURES, 'unsupported.onnx'), '--data', 'fashion-mnist-mini', '--out', 'bad']),
      lethe(['import', '--data', 'fashion-mnist-mini']),
    ]);
  });

  it('writes a checkpoint and says what it assumed', () => {
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^imported cnn\.onnx \(pytorch 1\.13\.0, opset 13; 11 nodes -> 10 layers\) as onnx:cnn on \w+: train \d+\.\d\d%, test \d+\.\d\d% -> imported\n/);
    expect(imported.stdout).toMatch(/assumed trained on fashion-mnist-mini's training split \(3000 samples\)/);
    const meta = JSON.parse(readFileSync(join(work, 'imported', 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ kind: 'single', arch: 'onnx:cnn', method: 'import', recipe: { epochs: 1 }, manifest: { count: 3000 }, source: { file: 'cnn.onnx', producer: 'pytorch' } });
    expect(existsSync(join(work, 'imported', 'manifest.bin'))).toBe(true);
  });

  it('the checkpoint is unlearned, retrained and predicted like any other', async () => {
    const [salun, retrain, predict] = await Promise.all([
      lethe(['unlearn', '--model', 'imported', '--method', 'salun', '--forget', 'class:1', '--param', 'steps=5', '--out', 'salun', '--json']),
      lethe(['unlearn', '--model', 'imported', '--method', 'retrain', '--forget', 'class:1', '--out', 'retrain', '--json']),
      lethe(['predict', '--model', 'imported', '--split', 'test', '--out', 'p.csv']),
    ]);
    for (const r of [salun, retrain, predict]) expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(salun.stdout)).toMatchObject({ method: 'salun', forgetCount: 321 });
    expect(JSON.parse(retrain.stdout)).toMatchObject({ method: 'retrain', forgetAcc: 0 });
    expect(JSON.parse(readFileSync(join(work, 'retrain', 'meta.json'), 'utf8'))).toMatchObject({ arch: 'onnx:cnn', method: 'retrain' });
    expect(readFileSync(join(work, 'p.csv'), 'utf8').split('\n')).toHaveLength(1002);
  });

  it('an unsupported operator is one line naming it, and exit code 1', () => {
    expect(unsupported.code).toBe(1);
    expect(unsupported.stdout).toBe('');
    expect(unsupported.stderr).toMatch(/^lethe: unsupported\.onnx: unsupported operator Sigmoid \(node "\/Sigmoid"\): Lethe imports [^\n]*\n$/);
    expect(existsSync(join(work, 'bad'))).toBe(false);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/^lethe: import: give either --predictions <dir> .* or --onnx <file> .*\n$/);
  });
});
