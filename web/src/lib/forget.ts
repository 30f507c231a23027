// The Run form's deletion request: a few fields turned into the CLI spec string the API accepts ("class:3,5").

export type ForgetKind = 'class' | 'random' | 'group';

export interface ForgetForm {
  kind: ForgetKind;
  classes: string;
  /** A fraction in (0, 1) or a count ≥ 1, as typed. */
  amount: string;
  seed: string;
  groups: string;
}

export const EMPTY_FORGET: ForgetForm = { kind: 'class', classes: '0', amount: '0.1', seed: '1', groups: '' };

const list = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

/** The spec string, or the reason the fields do not make one. */
export function forgetSpec(f: ForgetForm): { spec: string } | { error: string } {
  switch (f.kind) {
    case 'class': {
      const cs = list(f.classes);
      if (!cs.length) return { error: 'name at least one class' };
      if (cs.some((c) => !/^\d+$/.test(c))) return { error: 'classes are numbers, e.g. 3 or 3,5' };
      return { spec: `class:${[...new Set(cs.map(Number))].join(',')}` };
    }
    case 'random': {
      const v = Number(f.amount);
      if (!f.amount.trim() || !Number.isFinite(v) || v <= 0) return { error: 'the amount is a fraction like 0.1 or a count like 600' };
      if (v >= 1 && !Number.isInteger(v)) return { error: 'a count must be a whole number' };
      if (!/^-?\d+$/.test(f.seed.trim())) return { error: 'the seed is a whole number' };
      return { spec: `random:${v}:seed=${Number(f.seed)}` };
    }
    case 'group': {
      const gs = list(f.groups);
      if (!gs.length) return { error: 'name at least one group, e.g. u17' };
      return { spec: `group:${gs.join(',')}` };
    }
  }
}
