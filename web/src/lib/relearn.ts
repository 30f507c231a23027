// What the Relearning view draws from a stored comparison: per model row (the original, retrain, each method) the
// mean forget accuracy over its seeds at each step count of the relearning attack. Pure code, tested in relearn.test.ts.
import type { Comparison, EvaluatedModel } from '../../../src/shared/contract.ts';

export type RelearnRole = 'original' | 'retrain' | 'method';

export interface RelearnLine {
  /** 'original', 'retrain' or the method's row label ("ft", "ft (tuned)"). */
  key: string;
  label: string;
  role: RelearnRole;
  /** Forget accuracy (%) at each of the chart's step counts: mean over the row's models, null where none has the point. */
  mean: (number | null)[];
  /** Sample standard deviation over the models (0 for one), null where there is no point. */
  std: (number | null)[];
  /** How many models (seeds) have a curve. */
  n: number;
}

export interface RelearnChart {
  /** The step counts, ascending, every curve's union. */
  steps: number[];
  lines: RelearnLine[];
  /** Rows with no stored curve (a comparison stored before the curve existed, or by an exact method that has none). */
  missing: string[];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function meanStd(vs: number[]): { mean: number | null; std: number | null } {
  if (!vs.length) return { mean: null, std: null };
  const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
  const std = vs.length > 1 ? Math.sqrt(vs.reduce((a, b) => a + (b - mean) ** 2, 0) / (vs.length - 1)) : 0;
  return { mean, std };
}

/** The lines of a comparison: the original first, then retrain (the target), then its methods in their order. */
export function relearnLines(c: Pick<Comparison, 'models' | 'methods'>): RelearnChart {
  const rows: { key: string; label: string; role: RelearnRole; models: Omit<EvaluatedModel, 'details'>[] }[] = [
    { key: 'original', label: 'original (do nothing)', role: 'original', models: c.models.filter((m) => m.role === 'original') },
    { key: 'retrain', label: 'retrain (the target)', role: 'retrain', models: c.models.filter((m) => m.role === 'retrain') },
    ...c.methods.filter((m) => m !== 'retrain').map((m) => ({ key: m, label: m, role: 'method' as const, models: c.models.filter((x) => x.role === 'method' && x.method === m) })),
  ];
  const steps = [...new Set(c.models.flatMap((m) => (m.relearnCurve ?? []).map((p) => p.steps)))].sort((a, b) => a - b);
  const lines: RelearnLine[] = [];
  const missing: string[] = [];
  for (const r of rows) {
    const curves = r.models.map((m) => m.relearnCurve).filter((x): x is NonNullable<typeof x> => !!x && x.length > 0);
    if (!curves.length) {
      if (r.models.length) missing.push(r.label);
      continue;
    }
    const at = steps.map((s) => meanStd(curves.map((cv) => cv.find((p) => p.steps === s)?.forgetAcc).filter(finite)));
    lines.push({ key: r.key, label: r.label, role: r.role, mean: at.map((x) => x.mean), std: at.map((x) => x.std), n: curves.length });
  }
  return { steps, lines, missing };
}

/** "0 steps", "1 step", "50 steps". */
export const stepsText = (n: number) => `${n} step${n === 1 ? '' : 's'}`;
