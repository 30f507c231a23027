// The plan of a sharded model (SISA, Bourtoule et al. S&P 2021; S3T, Chowdhury et al. ICLR 2025): which training
// ids sit in which shard and slice, the slice orders each shard is trained in, and how deep each order's trained
// prefix is still valid. Pure data and arithmetic, no TensorFlow.js: the deletion planner, the manifests the
// lineage answers from, and the deletion-rate simulation of the benchmark all read it.
import { z } from 'zod';
import { idsAre } from '../../data/forget/ids.ts';
import { rng, shuffle, subSeed } from '../../shared/random.ts';

export const PlanSchema = z.object({
  /** The architecture of every constituent (a name of src/models/registry.ts). */
  arch: z.string(),
  slices: z.number().int().positive(),
  /** Epochs of each slice stage (the same for every shard and order): what a retrain from stage k repeats. */
  /** Epochs per stage; fractional under the `steps` schedule. */
  epochs: z.array(z.number().nonnegative()),
  /** The slice orders every shard is trained in: orders[b] is a permutation of 0..slices−1 (SISA: one, the identity). */
  orders: z.array(z.array(z.number().int().nonnegative())).min(1),
  /** Whether whole groups (one person's data) were kept in one shard. */
  byGroup: z.boolean(),
  shards: z.array(z.object({
    /** The constituent's init seed and the root of its stages' training seeds. */
    seed: z.number().int(),
    /** slice → its training ids, ascending. Deleted ids leave the lists. */
    slices: z.array(z.array(z.number().int().nonnegative())),
    /** order → how many of its stages are trained on data that is all still here (0: none yet; slices: full depth). */
    depth: z.array(z.number().int().nonnegative()),
  })).min(1),
});
export type Plan = z.infer<typeof PlanSchema>;

export interface PlanOptions {
  shards: number;
  slices: number;
  orders: number;
  seed: number;
  /** Epochs of each slice stage (default: 1 each). */
  epochs?: number[];
  /** Owner of each sample id: when given, all of one group's ids go to one shard. */
  groups?: readonly string[];
}

/** The first `b` cyclic rotations of 0..L−1 (S3T's `get_cyclic` for B ≤ L): every slice leads exactly one order. */
export function cyclicOrders(slices: number, b: number): number[][] {
  if (b < 1 || b > slices) throw new Error(`orders must be from 1 to the number of slices (${slices}), got ${b}`);
  return Array.from({ length: b }, (_, r) => Array.from({ length: slices }, (_, i) => (i + r) % slices));
}

/**
 * Epochs per slice stage. `budget` is SISA's schedule (the authors' sisa.py): a = 2E/(L+1) and stage k trains
 * ⌊(k+1)·a⌋ − ⌊k·a⌋ epochs, so the stages add up to about 2E·L/(L+1) epochs over growing data, about E passes
 * over the whole shard (a stage may get none: its checkpoint is then the one before). One deliberate change: the
 * last stage trains at least one epoch, or with a small E (a < 1) the last slices would never be learned at all
 * (E = 1, L = 4 gives 0, 0, 1, 0). `steps` is the same budget without the rounding: every stage trains a epochs,
 * fractional (its share of an epoch's batches), so the shard sees exactly E epochs' worth of samples and no stage
 * gets a whole extra epoch; a deliberate deviation from the authors' whole epochs, for small budgets. `stage` trains
 * E every stage.
 */
export function stageEpochs(epochs: number, slices: number, schedule: 'budget' | 'steps' | 'stage'): number[] {
  if (schedule === 'stage') return Array<number>(slices).fill(epochs);
  if (schedule === 'steps') return Array<number>(slices).fill((2 * epochs) / (slices + 1));
  const a = (2 * epochs) / (slices + 1);
  const out = Array.from({ length: slices }, (_, k) => Math.floor((k + 1) * a + 1e-9) - Math.floor(k * a + 1e-9));
  out[slices - 1] = Math.max(1, out[slices - 1]);
  return out;
}

/** Splits `n` items into `parts` contiguous runs whose sizes differ by at most one: the run boundaries. */
function bounds(n: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, i) => Math.round((i * n) / parts));
}

/**
 * Assigns training ids to shards and slices, deterministically from the seed: a seeded shuffle, then contiguous
 * runs (shards of equal size ±1, each cut into equal slices). With `groups`, the shuffle is over groups and a
 * shard takes whole groups, greedily filling the smallest shard, so one person's data sits in one shard.
 */
export function assign(arch: string, trainIds: ArrayLike<number>, o: PlanOptions): Plan {
  const n = trainIds.length;
  if (!Number.isInteger(o.shards) || o.shards < 1) throw new Error(`shards must be a positive integer, got ${o.shards}`);
  if (n < o.shards * o.slices) throw new Error(`${n} training samples cannot fill ${o.shards} shards of ${o.slices} slices (need at least ${o.shards * o.slices})`);
  const random = rng(subSeed(o.seed, 'shards'));
  let perShard: number[][];
  if (o.groups) {
    const byOwner = new Map<string, number[]>();
    for (const id of Array.from(trainIds)) {
      const g = o.groups[id];
      if (!byOwner.has(g)) byOwner.set(g, []);
      byOwner.get(g)!.push(id);
    }
    if (byOwner.size < o.shards) throw new Error(`${byOwner.size} groups cannot fill ${o.shards} shards by group`);
    const owners = shuffle([...byOwner.keys()].sort(), random);
    perShard = Array.from({ length: o.shards }, () => []);
    for (const g of owners) {
      let smallest = 0;
      for (let s = 1; s < o.shards; s++) if (perShard[s].length < perShard[smallest].length) smallest = s;
      perShard[smallest].push(...byOwner.get(g)!);
    }
    for (const s of perShard) shuffle(s, random);
  } else {
    const order = shuffle(Array.from(trainIds), random);
    const cut = bounds(n, o.shards);
    perShard = Array.from({ length: o.shards }, (_, s) => order.slice(cut[s], cut[s + 1]));
  }
  return {
    arch,
    slices: o.slices,
    epochs: o.epochs ?? Array<number>(o.slices).fill(1),
    orders: cyclicOrders(o.slices, o.orders),
    byGroup: Boolean(o.groups),
    shards: perShard.map((ids, s) => {
      if (ids.length < o.slices) throw new Error(`shard ${s} has ${ids.length} samples, fewer than ${o.slices} slices`);
      const cut = bounds(ids.length, o.slices);
      return {
        seed: subSeed(o.seed, `shard${s}`),
        slices: Array.from({ length: o.slices }, (_, j) => ids.slice(cut[j], cut[j + 1]).sort((a, b) => a - b)),
        depth: Array<number>(o.orders).fill(0),
      };
    }),
  };
}

/** The training ids of stage k of order b in shard s: the slices order[0..k], in that order. */
export function stageIds(plan: Plan, s: number, b: number, k: number): number[] {
  const { slices } = plan.shards[s];
  return plan.orders[b].slice(0, k + 1).flatMap((j) => slices[j]);
}

/** The live constituent of a shard: the order with the deepest valid prefix (the first on ties), or none. */
export function liveOf(plan: Plan, s: number): { order: number; depth: number } | undefined {
  const { depth } = plan.shards[s];
  let best = 0;
  for (let b = 1; b < depth.length; b++) if (depth[b] > depth[best]) best = b;
  return depth[best] > 0 ? { order: best, depth: depth[best] } : undefined;
}

/** The ids a shard's live constituent was trained on (its training manifest), ascending; none when no order is live. */
export function manifestOf(plan: Plan, s: number): number[] {
  const live = liveOf(plan, s);
  return live ? stageIds(plan, s, live.order, live.depth - 1).sort((a, b) => a - b) : [];
}

/** Every training id the plan still holds, ascending. */
export function planIds(plan: Plan): number[] {
  return plan.shards.flatMap((sh) => sh.slices.flat()).sort((a, b) => a - b);
}

/** Where each id sits: id → [shard, slice]. */
export function locator(plan: Plan): Map<number, [number, number]> {
  const at = new Map<number, [number, number]>();
  plan.shards.forEach((sh, s) => sh.slices.forEach((ids, j) => ids.forEach((id) => at.set(id, [s, j]))));
  return at;
}

/** A stage to (re)train: stage k of order b of shard s. */
export interface Stage {
  shard: number;
  order: number;
  stage: number;
}

export interface Deletion {
  /** The plan without the ids, each touched order cut back to the prefix that never saw them. */
  plan: Plan;
  /** shard → the slices the request touches there. */
  touched: Map<number, Set<number>>;
}

/**
 * Removes `ids` from the plan: each id leaves its slice, and in its shard every order's valid depth is cut to the
 * position of its first touched slice (only the stages before it never saw the data). Ids the plan does not hold
 * (never trained on, or deleted already) are one error naming them, before anything changes.
 */
export function deleteIds(plan: Plan, ids: ArrayLike<number>): Deletion {
  const at = locator(plan);
  const missing = Array.from(ids).filter((id) => !at.has(id));
  if (missing.length) {
    throw new Error(`${idsAre(missing)} not in the model's training manifest (never trained on, or deleted already)`);
  }
  const next: Plan = structuredClone(plan);
  const drop = new Set(Array.from(ids));
  const touched = new Map<number, Set<number>>();
  for (const id of drop) {
    const [s, j] = at.get(id)!;
    if (!touched.has(s)) touched.set(s, new Set());
    touched.get(s)!.add(j);
  }
  for (const [s, hit] of touched) {
    const sh = next.shards[s];
    for (const j of hit) sh.slices[j] = sh.slices[j].filter((id) => !drop.has(id));
    sh.depth = sh.depth.map((d, b) => Math.min(d, next.orders[b].findIndex((j) => hit.has(j))));
  }
  return { plan: next, touched };
}

/** The stages to train to bring every order of `shards` back to full depth, in training order. */
export function stagesToFull(plan: Plan, shards: Iterable<number>, orders?: (s: number) => number[]): Stage[] {
  const out: Stage[] = [];
  for (const s of shards) {
    for (const b of orders ? orders(s) : plan.orders.map((_, i) => i)) {
      for (let k = plan.shards[s].depth[b]; k < plan.slices; k++) out.push({ shard: s, order: b, stage: k });
    }
  }
  return out;
}

/** One line per shard: which order and prefix is live, e.g. `shard 2: order 1, 3/4 slices`. */
export function describeLive(plan: Plan): string[] {
  return plan.shards.map((_, s) => {
    const live = liveOf(plan, s);
    return `shard ${s}: ${live ? `order ${live.order}, ${live.depth}/${plan.slices} slices` : 'no live model'}`;
  });
}

/** H(n) = 1 + 1/2 + … + 1/n. */
export const harmonic = (n: number) => Array.from({ length: n }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);

/**
 * S3T's deletion rate by simulation (the protocol of its deletion.py): each request hits a uniform (shard, slice)
 * and truncates that shard's orders; counts the requests until no shard has a live order, the last one included
 * (so that B = 1 gives S·L·H(S) and B = L gives S·L·H(S·L) in expectation). One count per trial.
 */
export function deletionRate(shards: number, slices: number, orders: number, trials: number, seed: number): number[] {
  const random = rng(subSeed(seed, 'deletion-rate'));
  const pos = cyclicOrders(slices, orders).map((o) => {
    const p: number[] = [];
    o.forEach((j, i) => { p[j] = i; });
    return p;
  });
  const counts: number[] = [];
  for (let t = 0; t < trials; t++) {
    const depth = Array.from({ length: shards }, () => Array<number>(orders).fill(slices));
    let alive = shards;
    let requests = 0;
    while (alive > 0) {
      requests++;
      const d = depth[Math.floor(random() * shards)];
      const j = Math.floor(random() * slices);
      const was = Math.max(...d);
      for (let b = 0; b < orders; b++) d[b] = Math.min(d[b], pos[b][j]);
      if (was > 0 && Math.max(...d) === 0) alive--;
    }
    counts.push(requests);
  }
  return counts;
}
