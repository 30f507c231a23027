// The search `lethe tune` runs per method: seeded random search over the method's declared ranges, pruned by
// successive halving (Jamieson & Talwalkar, AISTATS 2016) with the number of unlearning seeds as the resource.
// Every configuration is scored on one seed; the best 1/η go on to η times as many seeds, until the last rung
// scores the survivors on every seed. The defaults are always configuration 0 and are always scored on every seed,
// so a tuned choice is never worse than the defaults on the validation split. Pure code: no model, no data.
import type { SearchDim } from '../shared/http.ts';
import { rng } from '../shared/random.ts';

export type Config = Record<string, unknown>;

/** One value of a range: uniform (in log space when `log`), rounded when `int`. */
export function sampleDim(d: SearchDim, u: number): number | string | boolean {
  if ('choices' in d) return d.choices[Math.min(d.choices.length - 1, Math.floor(u * d.choices.length))];
  const v = d.log ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))) : d.low + u * (d.high - d.low);
  // Three significant digits: tables stay readable and nothing the search can tell apart is lost.
  return d.int ? Math.round(v) : Number(v.toPrecision(3));
}

/** `n` configurations: the defaults first, then n − 1 seeded draws over `space` (other parameters at their defaults). */
export function sampleConfigs(space: Record<string, SearchDim>, defaults: Config, n: number, seed: number): Config[] {
  const random = rng(seed);
  const out: Config[] = [{ ...defaults }];
  const keys = Object.keys(space);
  const seen = new Set([JSON.stringify(keys.map((k) => defaults[k]))]);
  // A small integer or choice range can hold fewer distinct configurations than asked for: stop at what it has.
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const c: Config = { ...defaults };
    for (const k of keys) c[k] = sampleDim(space[k], random());
    const key = JSON.stringify(keys.map((k) => c[k]));
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/** The rungs: how many configurations are scored on how many seeds, from all of them on one seed to the last. */
export function rungs(configs: number, seeds: number, eta = 3): { configs: number; seeds: number }[] {
  if (!Number.isInteger(configs) || configs < 1) throw new Error(`configurations must be a positive integer, got ${configs}`);
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`seeds must be a positive integer, got ${seeds}`);
  if (!(eta > 1)) throw new Error(`eta must be above 1, got ${eta}`);
  const out = [{ configs, seeds: 1 }];
  while (out[out.length - 1].seeds < seeds && out[out.length - 1].configs > 1) {
    const last = out[out.length - 1];
    out.push({ configs: Math.max(1, Math.ceil(last.configs / eta)), seeds: Math.min(seeds, Math.ceil(last.seeds * eta)) });
  }
  return out;
}

/** Scores of one configuration on seeds 0..k−1 (avgGap to the seed's retrain; lower is better). */
export type Evaluate = (jobs: { config: number; seed: number }[]) => Promise<number[]>;

export interface SearchResult {
  /** Index of the chosen configuration in `configs`. */
  chosen: number;
  /** Mean score of every configuration on the seeds it reached, and how many. */
  scores: { mean: number; seeds: number }[];
  rungs: { configs: number; seeds: number }[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Successive halving over `configs`. `evaluate` receives every (configuration, seed) still to score for a rung at
 * once, so a caller can run them in parallel and skip those it has cached. Ties go to the earlier configuration
 * (the defaults first). A configuration whose score is not finite (a diverged run) ranks last.
 */
export async function successiveHalving(configs: Config[], seeds: number, evaluate: Evaluate, eta = 3): Promise<SearchResult> {
  const plan = rungs(configs.length, seeds, eta);
  const got = configs.map(() => [] as number[]);
  const rank = (i: number) => (Number.isFinite(mean(got[i])) ? mean(got[i]) : Infinity);
  let alive = configs.map((_, i) => i);
  for (const [r, rung] of plan.entries()) {
    if (r > 0) alive = [...alive].sort((a, b) => rank(a) - rank(b) || a - b).slice(0, rung.configs);
    // The defaults reach the last rung whatever their score: the report compares the choice with them on equal terms.
    if (r === plan.length - 1 && !alive.includes(0)) alive.push(0);
    const jobs = alive.flatMap((config) => Array.from({ length: rung.seeds - got[config].length }, (_, k) => ({ config, seed: got[config].length + k })));
    const scores = await evaluate(jobs);
    jobs.forEach((j, i) => { got[j.config][j.seed] = scores[i]; });
  }
  const chosen = [...alive].sort((a, b) => rank(a) - rank(b) || a - b)[0];
  return { chosen, scores: got.map((g) => ({ mean: mean(g), seeds: g.length })), rungs: plan };
}

/** Whether a chosen value sits at the edge of its range (in the outer 5%, in log space where the range is): widen it. */
export function atEdge(d: SearchDim, v: unknown): 'low' | 'high' | undefined {
  if ('choices' in d || typeof v !== 'number') return undefined;
  const t = (x: number) => (d.log ? Math.log(x) : x);
  const u = (t(v) - t(d.low)) / (t(d.high) - t(d.low));
  return u <= 0.05 ? 'low' : u >= 0.95 ? 'high' : undefined;
}
