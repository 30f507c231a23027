// The Run form's deletion request, built from the forget-kind map: the kinds the form offers, their fields,
// and a preview that runs the server's own parser on the CLI text the fields make ("class:3,5").
import { BadForgetSpec, FORGET_KIND_NAMES, FORGET_KINDS, forgetKindTasks, parseForgetSpec, type FormField, type KindForm } from '../../../src/data/forget/index.ts';
import type { TaskName } from '../../../src/data/tasks.ts';

export interface FormKind {
  name: string;
  form: KindForm;
  /** The tasks it serves: the form offers it for models of these only. */
  tasks: readonly TaskName[];
}

/** The kinds the form offers, in map order: those with a `form` (ids needs a list of ids, so it has none). */
export const FORM_KINDS: FormKind[] = FORGET_KIND_NAMES.flatMap((name) => {
  const form: KindForm | undefined = (FORGET_KINDS[name] as { form?: KindForm }).form;
  return form ? [{ name, form, tasks: forgetKindTasks(name) }] : [];
});

/** The kinds the form offers for a model of this task. */
export const formKindsFor = (task: TaskName): FormKind[] => FORM_KINDS.filter((k) => k.tasks.includes(task));

/** The form as it is sent for a model of this task: a kind the task has no use for becomes the task's first. */
export function forTask(f: ForgetForm, task: TaskName): ForgetForm {
  const kinds = formKindsFor(task);
  return kinds.some((k) => k.name === f.kind) || !kinds.length ? f : { ...f, kind: kinds[0].name };
}

export interface ForgetForm {
  kind: string;
  /** Every offered kind's fields by key (keys are unique across kinds), so switching kinds keeps what was typed. */
  values: Record<string, string>;
}

export const EMPTY_FORGET: ForgetForm = {
  kind: FORM_KINDS[0].name,
  values: Object.fromEntries(FORM_KINDS.flatMap((k) => k.form.fields.map((f) => [f.key, f.initial]))),
};

export function forgetFields(kind: string): FormField[] {
  return FORM_KINDS.find((k) => k.name === kind)?.form.fields ?? [];
}

/** The spec string, or the reason the fields do not make one: the parser's own words, without the list of forms. */
export function forgetSpec(f: ForgetForm): { spec: string } | { error: string } {
  const kind = FORM_KINDS.find((k) => k.name === f.kind);
  if (!kind) return { error: `the form cannot send a "${f.kind}" request` };
  const text = kind.form.toText(Object.fromEntries(kind.form.fields.map((x) => [x.key, f.values[x.key] ?? ''])));
  try {
    parseForgetSpec(text);
    return { spec: text };
  } catch (e) {
    return { error: e instanceof BadForgetSpec ? e.reason : (e as Error).message };
  }
}
