// The `lethe` command. Errors end as one line on stderr and a non-zero exit, never a stack trace.
import { CommanderError } from 'commander';
import { CancelledError } from '../train/progress.ts';
import { buildProgram } from './program.ts';

export async function main(argv = process.argv) {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof CancelledError) {
      process.stderr.write(`lethe: ${e.message}\n`);
      process.exitCode = 130;
      return;
    }
    process.stderr.write(`lethe: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.LETHE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  }
}

await main();
