// Runs a TypeScript module snippet in a separate Node process (through tsx), for tests of what concurrent
// processes do to one file: its exit code and everything it wrote.
import { spawn } from 'node:child_process';

export function runModule(code: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (c) => res({ code: c, out, err }));
  });
}
