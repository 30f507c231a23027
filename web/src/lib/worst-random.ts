// The Worst case vs random view as data. A worst-case forget set (worst:, Fan et al., "Challenging Forgets", ECCV 2024)
// is compared with a random one (random:) of the same size on the same original and data: each method's avgGap to
// retraining on both, their difference and its rank among the methods on each, and retraining's own UA on both.
// Nothing records the pair: it is derived from the stored comparisons. Pure code, tested in worst-random.test.ts.
import type { Comparison, EvaluatedModel, Stat } from '../../../src/shared/contract.ts';
import type { ComparisonSummary } from '../../../src/shared/http.ts';
import { stat } from '../../../src/eval/table.ts';

export type Side = 'random' | 'worst';
export const SIDES: readonly Side[] = ['random', 'worst'];

/** The four numbers avgGap averages the distances of (src/eval/gap.ts), by their metric keys. */
export const GAP_KEYS = ['UA', 'RA', 'TA', 'mia'] as const;
export type GapKey = (typeof GAP_KEYS)[number];

/** The size part of a random or worst-case spec: a fraction of the training set or a count, and its seed. */
export interface ForgetAmount {
  kind: Side;
  fraction?: number;
  count?: number;
  seed: number;
}

/** A comparison's random or worst-case request, or null for any other kind. */
export function amountOf(c: Pick<ComparisonSummary, 'forget'>): ForgetAmount | null {
  const f = c.forget as { kind: string; fraction?: number; count?: number; seed?: number };
  if (f.kind !== 'random' && f.kind !== 'worst') return null;
  return { kind: f.kind, fraction: f.fraction, count: f.count, seed: f.seed ?? 0 };
}

/** The amount as the spec writes it: "0.1" or "60". */
export const amountText = (a: Pick<ForgetAmount, 'fraction' | 'count'>) => String(a.fraction ?? a.count);

export interface WorstRandomPair {
  /** `worstId+randomId`. */
  key: string;
  worst: ComparisonSummary;
  random: ComparisonSummary;
  /** The method rows both comparisons have, in the worst-case one's order. */
  shared: string[];
}

const methodRows = (c: Pick<ComparisonSummary, 'table'>) => c.table.filter((r) => r.role === 'method').map((r) => r.label);
const newer = (a: { created: string }, b: { created: string }) => (a.created > b.created ? a : b);

/**
 * Every worst-case comparison with the random one it is best compared with: the same original, data set and number of
 * forget samples (so a fraction and the count it comes to pair too), preferring the same sampling seed (the search
 * starts from random:<amount>:seed=S), then more method rows in common, then the newest. Pairs with no method in
 * common are left out. Newest pair first (by its newer comparison), then by the worst-case comparison's id.
 */
export function worstRandomPairs(list: readonly ComparisonSummary[]): WorstRandomPair[] {
  const pairs: WorstRandomPair[] = [];
  for (const w of list) {
    const wa = amountOf(w);
    if (wa?.kind !== 'worst') continue;
    const wm = methodRows(w);
    let best: { r: ComparisonSummary; shared: string[]; score: [number, number, string] } | undefined;
    for (const r of list) {
      const ra = amountOf(r);
      if (ra?.kind !== 'random' || r.originalId !== w.originalId || r.dataset !== w.dataset || r.forgetCount !== w.forgetCount) continue;
      const rm = new Set(methodRows(r));
      const shared = wm.filter((m) => rm.has(m));
      if (!shared.length) continue;
      const score: [number, number, string] = [Number(ra.seed === wa.seed), shared.length, r.created];
      if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && (score[1] > best.score[1] || (score[1] === best.score[1] && score[2] > best.score[2])))) {
        best = { r, shared, score };
      }
    }
    if (best) pairs.push({ key: `${w.id}+${best.r.id}`, worst: w, random: best.r, shared: best.shared });
  }
  const createdOf = (p: WorstRandomPair) => newer(p.worst, p.random).created;
  return pairs.sort((a, b) => (createdOf(a) < createdOf(b) ? 1 : createdOf(a) > createdOf(b) ? -1 : a.worst.id < b.worst.id ? -1 : 1));
}

/** The pair a comparison belongs to (as its worst-case or its random side), else the newest pair. */
export function pairOf(pairs: readonly WorstRandomPair[], comparisonId: string | undefined): WorstRandomPair | undefined {
  return pairs.find((p) => p.worst.id === comparisonId) ?? pairs.find((p) => p.random.id === comparisonId) ?? pairs[0];
}

/** The picker's line for a pair. */
export function pairLabel(p: WorstRandomPair, date: (iso: string) => string): string {
  return `${p.worst.dataset} · ${p.worst.arch} · ${p.worst.forgetText} vs ${p.random.forgetText} · ${p.worst.forgetCount} samples · ${date(newer(p.worst, p.random).created)}`;
}

/** One side of a method's row: its avgGap and UA as the table has them, and each of the four distances over the same seeds. */
export interface SideStats {
  avgGap: Stat;
  UA: Stat;
  gaps: Record<GapKey, Stat>;
  /** Seeds (models) in the row. */
  n: number;
}

export interface MethodPair {
  label: string;
  random: SideStats;
  worst: SideStats;
  /** avgGap on the worst-case set minus on the random set, in points: positive where the worst case is harder. */
  diff: number;
  /** 1 = the smallest avgGap among the methods both comparisons have (ties share the better rank). */
  rankRandom: number;
  rankWorst: number;
}

export interface RetrainUA {
  /** Mean and sample std over the retrained references (one per seed). */
  random: Stat;
  worst: Stat;
  n: { random: number; worst: number };
  /** UA on the worst-case set minus on the random set. */
  diff: number;
}

export interface WorstVsRandom {
  /** The methods both comparisons have, by rank on the random set (ties in the worst-case comparison's order). */
  rows: MethodPair[];
  retrain: RetrainUA;
  /** Method rows only one of the two comparisons has (not ranked). */
  onlyRandom: string[];
  onlyWorst: string[];
}

type Source = Pick<Comparison, 'table'> & { models: Pick<EvaluatedModel, 'modelId' | 'role' | 'method' | 'referenceId' | 'metrics'>[] };

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function sideStats(c: Source, label: string): SideStats {
  const row = c.table.find((r) => r.role === 'method' && r.label === label)!;
  const models = c.models.filter((m) => m.role === 'method' && m.method === label);
  const byId = new Map(c.models.map((m) => [m.modelId, m]));
  const gaps = Object.fromEntries(GAP_KEYS.map((k) => [k, stat(models.map((m) => {
    const ref = m.referenceId ? byId.get(m.referenceId) : undefined;
    const [a, b] = [m.metrics[k], ref?.metrics[k]];
    return finite(a) && finite(b) ? Math.abs(a - b) : NaN;
  }))])) as Record<GapKey, Stat>;
  const none = { mean: NaN, std: NaN };
  return { avgGap: row.stats.avgGap ?? none, UA: row.stats.UA ?? none, gaps, n: row.n };
}

/** 1 + how many of `xs` are strictly smaller: rank 1 is the smallest, ties share a rank; NaN ranks last. */
export function ranks(xs: readonly number[]): number[] {
  const key = (x: number) => (Number.isFinite(x) ? x : Infinity);
  return xs.map((x) => 1 + xs.filter((y) => key(y) < key(x)).length);
}

/** The view's numbers from the two comparisons (with their models: the per-metric distances and retraining's UA). */
export function worstVsRandom(random: Source, worst: Source): WorstVsRandom {
  const wm = methodRows(worst);
  const rm = methodRows(random);
  const shared = wm.filter((m) => rm.includes(m));
  const sides = shared.map((label) => ({ label, random: sideStats(random, label), worst: sideStats(worst, label) }));
  const rr = ranks(sides.map((s) => s.random.avgGap.mean));
  const rw = ranks(sides.map((s) => s.worst.avgGap.mean));
  const rows = sides.map((s, i) => ({ ...s, diff: s.worst.avgGap.mean - s.random.avgGap.mean, rankRandom: rr[i], rankWorst: rw[i] }))
    .map((r, i) => ({ r, i })).sort((a, b) => a.r.rankRandom - b.r.rankRandom || a.i - b.i).map(({ r }) => r);
  const ua = (c: Source) => c.models.filter((m) => m.role === 'retrain').map((m) => m.metrics.UA ?? NaN);
  const [ur, uw] = [ua(random), ua(worst)];
  const retrain = { random: stat(ur), worst: stat(uw), n: { random: ur.length, worst: uw.length }, diff: stat(uw).mean - stat(ur).mean };
  return { rows, retrain, onlyRandom: rm.filter((m) => !wm.includes(m)), onlyWorst: wm.filter((m) => !rm.includes(m)) };
}

/** The spec of the other side: random:<amount>:seed=S for a worst-case request, worst:<amount>:seed=S for a random one. */
export function counterpartSpec(a: ForgetAmount): string {
  return `${a.kind === 'worst' ? 'random' : 'worst'}:${amountText(a)}:seed=${a.seed}`;
}

export interface Suggestion {
  /** The comparison that lacks its other side, if any. */
  from?: ComparisonSummary;
  commands: string[];
}

/**
 * What to run when no pair is stored: for the newest worst-case or random comparison, the other side's `lethe compare`
 * on the same original (its folder where `paths` knows it) with the same methods and seeds; with neither, both.
 */
export function missingRuns(list: readonly ComparisonSummary[], paths: Record<string, string> = {}): Suggestion {
  const lone = [...list].filter((c) => amountOf(c)).sort((a, b) => (a.created < b.created ? 1 : -1))[0];
  if (!lone) {
    return { commands: ['worst:0.1:seed=1', 'random:0.1:seed=1'].map((f) => `lethe compare --original DIR --forget ${f}`) };
  }
  const methods = lone.methods.filter((m) => m !== 'retrain');
  const seeds = lone.seeds.length;
  return {
    from: lone,
    commands: [`lethe compare --original ${paths[lone.originalId] ?? 'DIR'} --forget ${counterpartSpec(amountOf(lone)!)} --methods ${methods.join(',') || 'all'} --seeds ${seeds}`],
  };
}
