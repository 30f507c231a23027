// The task kinds: what a model predicts. One map; a data set's task follows from its target (a numeric target column
// makes a regression set), and the methods, forget kinds and metrics each say which tasks they serve.
// Browser-safe: no TensorFlow.js here (the losses are in src/train/loss.ts).

export interface TaskKind {
  /** One line for help texts and the README. */
  summary: string;
  /** How a data set names what is predicted (the CLI flag). */
  column: string;
  /** The training loss, as the README states it. */
  loss: string;
  /** The metric map's gap to retraining that ranks methods, sorts the tables and is tuning's objective. */
  gap: 'avgGap' | 'l1Gap';
}

export const TASKS = {
  classification: {
    summary: 'predict one of K classes; the model outputs K logits',
    column: '`--label-column` (a CSV file); the built-in image sets carry labels',
    loss: 'softmax cross-entropy',
    gap: 'avgGap',
  },
  regression: {
    summary: 'predict a number; the model outputs one value, the standardised target (train mean 0, sd 1)',
    column: '`--target-column` (a CSV file); the built-in `diabetes` set predicts `progression`',
    loss: 'mean squared error on the standardised target',
    gap: 'l1Gap',
  },
} satisfies Record<string, TaskKind>;

export type TaskName = keyof typeof TASKS;
export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

/** The README's table of tasks. */
export function tasksMarkdown(): string {
  const rows = TASK_NAMES.map((n) => `| \`${n}\` | ${TASKS[n].summary} | ${TASKS[n].column} | ${TASKS[n].loss} |`);
  return ['| task | what the model does | what names the target | training loss |', '|---|---|---|---|', ...rows].join('\n');
}

/** A data set, a subset or evidence is a regression one exactly when it carries numeric targets. */
export const taskOf = (x: { target?: Float32Array }): TaskName => (x.target ? 'regression' : 'classification');

/** What a declaration serves when it says nothing: classifiers, the task every method, metric and kind began with. */
export const CLASSIFICATION_ONLY: readonly TaskName[] = ['classification'];
export const EVERY_TASK: readonly TaskName[] = TASK_NAMES;

/** A step built on class labels (a label manipulation, a class-wise protection, the predictions CSV) refuses regression data. */
export function needClasses(ds: { name: string; target?: Float32Array }, what: string) {
  if (ds.target) throw new Error(`${what} works on class labels; ${ds.name} is a regression data set (a numeric target)`);
}

/** One clear refusal: `what` (a method, a forget kind) does not serve the data set's task. */
export function taskRefusal(what: string, serves: readonly TaskName[], task: TaskName, where: string): string | undefined {
  if (serves.includes(task)) return undefined;
  return `${what} does not apply to ${task} (${where}): it serves ${serves.join(' and ')} only`;
}
