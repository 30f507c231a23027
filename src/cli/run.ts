// Running a task from the command line: the same argument schema as the HTTP API (src/jobs/tasks.ts), with
// messages that name the flag, a progress bar on stderr, Ctrl-C as cancel, and the run recorded in the store.
import type { z } from 'zod';
import { cliEnv } from '../jobs/edges.ts';
import { parseTaskArgs, runTask, type TaskArgs, type TaskKind, type TaskResult } from '../jobs/tasks.ts';
import { withContext } from './output.ts';

/** `batchSize` → `--batch-size`. */
export const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Validates the flags with the task's schema; a bad value is one line naming its flag. */
export const cliArgs = <K extends TaskKind>(kind: K, raw: Record<string, unknown>): TaskArgs<K> => parseTaskArgs(kind, raw, cliEnv, flagOf);

export async function runCli<K extends TaskKind>(kind: K, raw: Record<string, unknown>, out: string): Promise<TaskResult<K>> {
  const args = cliArgs(kind, raw);
  return withContext((ctx) => runTask(kind, args, { ...ctx, out, modelDir: (dir) => dir }));
}

/** A number flag as given; the task's schema checks its range (NaN and '' fail there, naming the flag). */
export const number = (value: string): number => (value.trim() === '' ? NaN : Number(value));

/** The default of a field, for help texts (from the schema, so help and validation agree). */
export function defaultOf(schema: z.ZodType, key: string): string {
  const shape = (schema as unknown as { def?: { in?: { shape?: Record<string, z.ZodType> } }; shape?: Record<string, z.ZodType> });
  const field = (shape.shape ?? shape.def?.in?.shape)?.[key] as { def?: { defaultValue?: unknown } } | undefined;
  const v = field?.def?.defaultValue;
  return v === undefined ? '' : ` (default ${Array.isArray(v) ? v.join(',') : String(v)})`;
}
