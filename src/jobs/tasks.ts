// The task map: every kind of work Lethe runs, declared once. The CLI commands, the HTTP API (POST /api/jobs)
// and the worker threads all go through it, so they accept the same arguments with the same limits.
// Adding a task kind: one file with its `defineTask` and one entry here.
import { z } from 'zod';
import type { ParamsSchema, TaskInfo } from '../shared/http.ts';
import { CancelledError } from '../train/progress.ts';
import { bankTaskDef } from './bank-task.ts';
import { compareTaskDef } from './compare-task.ts';
import { continualTaskDef } from './continual-task.ts';
import { deletionsTaskDef } from './deletions-task.ts';
import { evalTaskDef } from './eval-task.ts';
import { sweepTaskDef } from './sweep-task.ts';
import { TaskArgsError, type Task, type TaskContext, type TaskEnv } from './task.ts';
import { trainTaskDef } from './train-task.ts';
import { tuneTaskDef } from './tune-task.ts';
import { uliraTaskDef } from './ulira-task.ts';
import { unlearnTaskDef } from './unlearn-task.ts';

export const TASKS = {
  train: trainTaskDef,
  unlearn: unlearnTaskDef,
  eval: evalTaskDef,
  compare: compareTaskDef,
  continual: continualTaskDef,
  deletions: deletionsTaskDef,
  tune: tuneTaskDef,
  bank: bankTaskDef,
  ulira: uliraTaskDef,
  sweep: sweepTaskDef,
} satisfies Record<string, Task<any, any>>;

export type TaskKind = keyof typeof TASKS;
export const TASK_KINDS = Object.keys(TASKS) as [TaskKind, ...TaskKind[]];
export type TaskArgs<K extends TaskKind> = z.output<(typeof TASKS)[K]['args']>;
export type TaskResult<K extends TaskKind> = Awaited<ReturnType<(typeof TASKS)[K]['run']>>;

export const isTaskKind = (k: string): k is TaskKind => Object.hasOwn(TASKS, k);

/** The error code of a bad argument, by the argument it is about. */
const CODES: Record<string, string> = { method: 'unknown_method', methods: 'unknown_method', params: 'bad_parameter' };

/** How an edge names an argument in its messages (the CLI: its flag). */
export type NameOf = (key: string) => string;

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** One zod issue as one line that names the argument (and the value given, when it is a plain value). */
function issueError(issue: z.core.$ZodIssue, raw: unknown, nameOf: NameOf): TaskArgsError {
  if (issue.code === 'unrecognized_keys') return new TaskArgsError(`unknown argument ${issue.keys.map((k) => `"${nameOf(k)}"`).join(', ')}`);
  const key = String(issue.path[0] ?? '');
  const code = CODES[key] ?? 'bad_request';
  // A method's own parameter schema already names the method and the parameter.
  if (key === 'params' || !key) return new TaskArgsError(issue.message, code);
  const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
  const given = value === undefined || (typeof value === 'object' && value !== null) ? '' : ` (got ${show(value)})`;
  return new TaskArgsError(`${nameOf(key)}: ${issue.message}${given}`, code);
}

/** Parses with a schema; the first problem is one TaskArgsError naming the argument. */
export function parseArgs<S extends z.ZodType>(schema: S, raw: unknown, nameOf: NameOf = (k) => k): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw issueError(r.error.issues[0], raw, nameOf);
  return r.data;
}

/** Validates untrusted arguments for a task and runs its checks; every problem is one TaskArgsError naming the argument. */
export function parseTaskArgs<K extends TaskKind>(kind: K, raw: unknown, env: TaskEnv, nameOf: NameOf = (k) => k): TaskArgs<K> {
  const task = TASKS[kind] as unknown as Task<z.ZodType, unknown>;
  const args = parseArgs(task.args, raw, nameOf);
  task.check?.(args, env);
  return args as TaskArgs<K>;
}

/** Runs a task and records it in the store's `runs` table (what was done, by whom, how it ended). */
export async function runTask<K extends TaskKind>(kind: K, args: TaskArgs<K>, ctx: TaskContext): Promise<TaskResult<K>> {
  const task = TASKS[kind] as unknown as Task<z.ZodType, TaskResult<K>>;
  ctx.store?.interruptDeadRuns();
  const id = ctx.store?.startRun(kind, args);
  try {
    const result = await task.run(args, ctx);
    if (id !== undefined) ctx.store!.finishRun(id, 'done', { result: task.keep ? task.keep(result) : result, modelId: task.modelOf?.(result) });
    return result;
  } catch (e) {
    const cancelled = e instanceof CancelledError || ctx.signal?.aborted;
    if (id !== undefined) ctx.store!.finishRun(id, cancelled ? 'cancelled' : 'failed', { error: ((e as Error)?.message ?? String(e)).split('\n')[0] });
    throw e;
  }
}

/** What a finished job keeps of a task's result. */
export function keepOf<K extends TaskKind>(kind: K, result: TaskResult<K>): unknown {
  const task = TASKS[kind] as unknown as Task<z.ZodType, TaskResult<K>>;
  return task.keep ? task.keep(result) : result;
}

/** Every task kind as plain data, for GET /api/tasks: the UI reads its forms' limits and defaults from the schemas. */
export function describeTasks(): TaskInfo[] {
  return TASK_KINDS.map((kind) => ({
    kind,
    summary: TASKS[kind].summary,
    args: z.toJSONSchema(TASKS[kind].args, { io: 'input', unrepresentable: 'any' }) as ParamsSchema,
  }));
}

export { TaskArgsError };
