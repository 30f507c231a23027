// The Corrective sweep view's grouping. `lethe compare --sweep` stores one comparison per identified fraction and no
// record of the sweep itself, so the view derives it from the stored comparisons: those of the same original, data
// set, methods, seeds and selection seed whose forget kind is `manipulated`, the newest at each fraction (the chosen
// comparison for its own). Pure code, tested in sweep.test.ts; the rows come from src/eval/sweep.ts, as the CLI's do.
import type { ComparisonSummary } from '../../../src/shared/http.ts';

export type ManipulatedSummary = ComparisonSummary & { forget: { kind: 'manipulated'; fraction: number; seed: number } };

export const isManipulated = (c: ComparisonSummary): c is ManipulatedSummary => c.forget.kind === 'manipulated';

/** What makes comparisons one sweep: everything but the fraction. */
export function sweepKey(c: ManipulatedSummary): string {
  return JSON.stringify([c.originalId, c.dataset, c.forget.seed, [...c.methods], [...c.seeds], c.tuning?.id ?? null]);
}

export interface SweepGroup {
  key: string;
  /** One comparison per fraction, fractions ascending. */
  members: { fraction: number; id: string }[];
  /** Whether a comparison at fraction 1 (retrain on fully cleaned data: the target line) is among them. */
  hasTarget: boolean;
}

/** The sweep `chosen` belongs to, or null where it is not a comparison on manipulated data. */
export function sweepOf(list: readonly ComparisonSummary[], chosen: ComparisonSummary): SweepGroup | null {
  if (!isManipulated(chosen)) return null;
  const key = sweepKey(chosen);
  const byFraction = new Map<number, ManipulatedSummary>();
  for (const c of list) {
    if (!isManipulated(c) || sweepKey(c) !== key) continue;
    const f = c.forget.fraction;
    const have = byFraction.get(f);
    if (!have || (have.id !== chosen.id && c.created > have.created)) byFraction.set(f, c);
  }
  byFraction.set(chosen.forget.fraction, chosen);
  const members = [...byFraction.entries()].sort((a, b) => a[0] - b[0]).map(([fraction, c]) => ({ fraction, id: c.id }));
  return { key, members, hasTarget: byFraction.has(1) };
}

/** Every stored sweep, newest first, each by its newest comparison: where the empty state can send the user. */
export function storedSweeps(list: readonly ComparisonSummary[]): { id: string; dataset: string; arch: string; fractions: number[]; created: string }[] {
  const groups = new Map<string, ManipulatedSummary[]>();
  for (const c of list) if (isManipulated(c)) groups.set(sweepKey(c), [...(groups.get(sweepKey(c)) ?? []), c]);
  return [...groups.values()]
    .map((cs) => {
      const newest = cs.reduce((a, b) => (b.created > a.created ? b : a));
      return { id: newest.id, dataset: newest.dataset, arch: newest.arch, fractions: [...new Set(cs.map((c) => c.forget.fraction))].sort((a, b) => a - b), created: newest.created };
    })
    .sort((a, b) => (a.created < b.created ? 1 : -1));
}

/** A fraction as a percentage: 0.25 → "25%". */
export const fractionText = (f: number) => `${+(f * 100).toFixed(2)}%`;
