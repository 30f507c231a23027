import { describe, expect, it } from 'vitest';
import { RecipeArg } from '../../train/recipe.ts';
import {
  assign, cyclicOrders, deleteIds, deletionRate, describeLive, harmonic, liveOf, locator, manifestOf, planIds,
  PlanSchema, stageEpochs, stageIds, stagesToFull, type Plan,
} from './plan.ts';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('cyclicOrders', () => {
  it('(4, 2) is the identity and its first rotation', () => {
    expect(cyclicOrders(4, 2)).toEqual([[0, 1, 2, 3], [1, 2, 3, 0]]);
    expect(cyclicOrders(3, 1)).toEqual([[0, 1, 2]]);
    expect(cyclicOrders(3, 3)).toEqual([[0, 1, 2], [1, 2, 0], [2, 0, 1]]);
  });

  it('with B = L every slice leads exactly one order, and every order is a permutation', () => {
    for (const L of [1, 2, 5, 7]) {
      const orders = cyclicOrders(L, L);
      expect(orders).toHaveLength(L);
      expect(orders.map((o) => o[0]).sort((a, b) => a - b)).toEqual(range(0, L));
      for (const o of orders) expect([...o].sort((a, b) => a - b)).toEqual(range(0, L));
      // and every slice sits at every position exactly once (a Latin square)
      for (let i = 0; i < L; i++) expect(orders.map((o) => o[i]).sort((a, b) => a - b)).toEqual(range(0, L));
    }
  });

  it('B > L or B < 1 throws', () => {
    expect(() => cyclicOrders(4, 5)).toThrow(/orders must be from 1 to the number of slices \(4\), got 5/);
    expect(() => cyclicOrders(4, 0)).toThrow(/got 0/);
    expect(() => cyclicOrders(4, -1)).toThrow(/orders/);
  });
});

describe('assign', () => {
  const ids = range(100, 203); // 103 ids, not a multiple of the shard count
  const opts = { shards: 5, slices: 4, orders: 2, seed: 7 };

  it('shards and slices are disjoint and their union is exactly the training ids', () => {
    const plan = assign('mlp', ids, opts);
    expect(PlanSchema.parse(plan)).toEqual(plan);
    const all = plan.shards.flatMap((sh) => sh.slices.flat());
    expect(all).toHaveLength(ids.length);
    expect(new Set(all).size).toBe(ids.length);
    expect([...all].sort((a, b) => a - b)).toEqual(ids);
    expect(planIds(plan)).toEqual(ids);
    expect(locator(plan).size).toBe(ids.length);
  });

  it('records the options: arch, slices, cyclic orders, byGroup, zero depths', () => {
    const plan = assign('mlp', ids, opts);
    expect(plan.arch).toBe('mlp');
    expect(plan.slices).toBe(4);
    expect(plan.orders).toEqual([[0, 1, 2, 3], [1, 2, 3, 0]]);
    expect(plan.byGroup).toBe(false);
    expect(plan.shards).toHaveLength(5);
    for (const sh of plan.shards) {
      expect(sh.slices).toHaveLength(4);
      expect(sh.depth).toEqual([0, 0]);
      expect(Number.isInteger(sh.seed)).toBe(true);
    }
    expect(new Set(plan.shards.map((sh) => sh.seed)).size).toBe(5);
  });

  it('shard sizes differ by at most one, slices within a shard by at most one, slices ascending', () => {
    const plan = assign('mlp', ids, opts);
    const sizes = plan.shards.map((sh) => sh.slices.flat().length);
    expect(spread(sizes)).toBeLessThanOrEqual(1);
    // 103 / 5: three shards of 21 and two of 20
    expect([...sizes].sort()).toEqual([20, 20, 21, 21, 21]);
    for (const sh of plan.shards) {
      expect(spread(sh.slices.map((s) => s.length))).toBeLessThanOrEqual(1);
      for (const s of sh.slices) for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
    }
  });

  it('accepts a typed array of ids', () => {
    const plan = assign('mlp', Int32Array.from(ids), opts);
    expect(planIds(plan)).toEqual(ids);
    expect(plan).toEqual(assign('mlp', ids, opts));
  });

  it('same seed, same plan; different seed, different plan', () => {
    expect(assign('mlp', ids, opts)).toEqual(assign('mlp', ids, opts));
    const other = assign('mlp', ids, { ...opts, seed: 8 });
    expect(other.shards.map((sh) => sh.slices)).not.toEqual(assign('mlp', ids, opts).shards.map((sh) => sh.slices));
    expect(planIds(other)).toEqual(ids);
  });

  it('with groups, every group lands in a single shard', () => {
    // 120 ids, 30 owners of uneven size (owner of id i: g(i mod 30) but ids 0..9 all owned by g0)
    const n = 120;
    const groups = Array.from({ length: n }, (_, i) => (i < 10 ? 'g0' : `g${i % 30}`));
    const plan = assign('mlp', range(0, n), { shards: 4, slices: 3, orders: 1, seed: 3, groups });
    expect(plan.byGroup).toBe(true);
    expect(planIds(plan)).toEqual(range(0, n));
    const at = locator(plan);
    const shardOf = new Map<string, Set<number>>();
    for (let id = 0; id < n; id++) {
      const g = groups[id];
      if (!shardOf.has(g)) shardOf.set(g, new Set());
      shardOf.get(g)!.add(at.get(id)![0]);
    }
    expect(shardOf.size).toBe(30);
    for (const [g, shards] of shardOf) expect(shards.size, g).toBe(1);
    // every shard got something and slices stay sorted
    for (const sh of plan.shards) {
      expect(sh.slices.flat().length).toBeGreaterThan(0);
      for (const s of sh.slices) expect(s).toEqual([...s].sort((a, b) => a - b));
    }
  });

  it('with groups, only the ids given are assigned (groups is indexed by id)', () => {
    const groups = Array.from({ length: 50 }, (_, i) => `p${i % 10}`);
    const train = range(0, 50).filter((i) => i % 2 === 0); // 25 ids, owners p0, p2, p4, p6, p8
    const plan = assign('mlp', train, { shards: 5, slices: 1, orders: 1, seed: 1, groups });
    expect(planIds(plan)).toEqual(train);
    // five owners of five ids each over five shards: one owner per shard
    for (const sh of plan.shards) {
      const owners = new Set(sh.slices.flat().map((id) => groups[id]));
      expect(owners.size).toBe(1);
      expect(sh.slices.flat()).toHaveLength(5);
    }
  });

  it('too few samples or groups is an error naming the problem', () => {
    expect(() => assign('mlp', range(0, 19), { shards: 5, slices: 4, orders: 1, seed: 1 }))
      .toThrow('19 training samples cannot fill 5 shards of 4 slices (need at least 20)');
    expect(() => assign('mlp', range(0, 20), { shards: 5, slices: 4, orders: 1, seed: 1 })).not.toThrow();
    const groups = Array.from({ length: 40 }, (_, i) => `p${i % 3}`);
    expect(() => assign('mlp', range(0, 40), { shards: 4, slices: 2, orders: 1, seed: 1, groups }))
      .toThrow('3 groups cannot fill 4 shards by group');
    // enough groups, but one shard ends up with fewer samples than slices
    const lopsided = Array.from({ length: 40 }, (_, i) => (i < 38 ? 'big' : `small${i}`));
    expect(() => assign('mlp', range(0, 40), { shards: 3, slices: 2, orders: 1, seed: 1, groups: lopsided }))
      .toThrow(/shard \d has 1 samples, fewer than 2 slices/);
    expect(() => assign('mlp', range(0, 40), { shards: 0, slices: 2, orders: 1, seed: 1 })).toThrow(/shards must be a positive integer, got 0/);
    expect(() => assign('mlp', range(0, 40), { shards: 2, slices: 2, orders: 3, seed: 1 })).toThrow(/orders must be from 1/);
  });
});

/** 2 shards, 3 slices, the three cyclic orders, every order at full depth. */
function handPlan(): Plan {
  return PlanSchema.parse({
    arch: 'mlp',
    slices: 3,
    epochs: [1, 1, 1],
    orders: [[0, 1, 2], [1, 2, 0], [2, 0, 1]],
    byGroup: false,
    shards: [
      { seed: 11, slices: [[0, 1], [2, 3], [4, 5]], depth: [3, 3, 3] },
      { seed: 12, slices: [[6, 7], [8, 9], [10, 11]], depth: [3, 3, 3] },
    ],
  });
}

describe('stageIds, locator, planIds', () => {
  it('stage k of order b is the first k+1 slices of that order', () => {
    const plan = handPlan();
    expect(stageIds(plan, 0, 0, 0)).toEqual([0, 1]);
    expect(stageIds(plan, 0, 1, 1)).toEqual([2, 3, 4, 5]);
    expect(stageIds(plan, 1, 2, 2)).toEqual([10, 11, 6, 7, 8, 9]);
    expect(locator(plan).get(9)).toEqual([1, 1]);
    expect(locator(plan).get(4)).toEqual([0, 2]);
    expect(planIds(plan)).toEqual(range(0, 12));
  });
});

describe('deleteIds', () => {
  it('an id of slice 1 of shard 0 leaves that slice only and cuts shard 0 to [1, 0, 2]', () => {
    const plan = handPlan();
    const before = structuredClone(plan);
    const { plan: next, touched } = deleteIds(plan, [3]);
    expect(next.shards[0].slices).toEqual([[0, 1], [2], [4, 5]]);
    // position of slice 1 in [0,1,2], [1,2,0], [2,0,1]
    expect(next.shards[0].depth).toEqual([1, 0, 2]);
    expect(next.shards[1]).toEqual(before.shards[1]);
    expect(next.orders).toEqual(before.orders);
    expect([...touched.keys()]).toEqual([0]);
    expect([...touched.get(0)!]).toEqual([1]);
    // the input is not mutated
    expect(plan).toEqual(before);
    expect(planIds(next)).toEqual(range(0, 12).filter((i) => i !== 3));
  });

  it('ids in slices 0 and 2 of one shard cut each order at its first touched slice', () => {
    const { plan: next, touched } = deleteIds(handPlan(), [6, 11, 10]);
    expect(next.shards[1].slices).toEqual([[7], [8, 9], []]);
    // [0,1,2] → 0 first at 0; [1,2,0] → 2 first at 1; [2,0,1] → 2 first at 0
    expect(next.shards[1].depth).toEqual([0, 1, 0]);
    expect(next.shards[0]).toEqual(handPlan().shards[0]);
    expect([...touched.get(1)!].sort()).toEqual([0, 2]);
    expect(touched.has(0)).toBe(false);
  });

  it('a second deletion never raises a depth', () => {
    const once = deleteIds(handPlan(), [3]).plan; // shard 0: [1, 0, 2]
    const twice = deleteIds(once, [5]).plan; // slice 2: positions 2, 1, 0
    expect(twice.shards[0].depth).toEqual([1, 0, 0]);
    expect(twice.shards[0].slices).toEqual([[0, 1], [2], [4]]);
  });

  it('ids across both shards touch both', () => {
    const { plan: next, touched } = deleteIds(handPlan(), Int32Array.from([0, 9]));
    expect(next.shards[0].depth).toEqual([0, 2, 1]);
    expect(next.shards[1].depth).toEqual([1, 0, 2]);
    expect([...touched.keys()].sort()).toEqual([0, 1]);
  });

  it('ids the plan does not hold are one error listing them, and the plan is unchanged', () => {
    const plan = handPlan();
    const before = structuredClone(plan);
    expect(() => deleteIds(plan, [3, 99])).toThrow('id 99 is not in the model\'s training manifest (never trained on, or deleted already)');
    expect(() => deleteIds(plan, [42, 3, 99])).toThrow(/^ids 42, 99 are not in the model's training manifest/);
    expect(plan).toEqual(before);
    const next = deleteIds(plan, [3]).plan;
    expect(() => deleteIds(next, [3])).toThrow(/id 3 is not in the model's training manifest .*deleted already/);
    expect(() => deleteIds(plan, range(100, 108))).toThrow(/ids 100, 101, 102, 103, 104, … \(8 in all\) are not/);
    expect(plan).toEqual(before);
  });
});

describe('stagesToFull', () => {
  it('after a deletion lists each order from its depth to the end, in training order', () => {
    const next = deleteIds(handPlan(), [3]).plan; // shard 0 depths [1, 0, 2]
    expect(stagesToFull(next, [0])).toEqual([
      { shard: 0, order: 0, stage: 1 }, { shard: 0, order: 0, stage: 2 },
      { shard: 0, order: 1, stage: 0 }, { shard: 0, order: 1, stage: 1 }, { shard: 0, order: 1, stage: 2 },
      { shard: 0, order: 2, stage: 2 },
    ]);
    expect(stagesToFull(next, [1])).toEqual([]);
    expect(stagesToFull(next, [0], () => [2])).toEqual([{ shard: 0, order: 2, stage: 2 }]);
  });

  it('from a fresh plan lists every stage', () => {
    const plan = assign('mlp', range(0, 12), { shards: 2, slices: 3, orders: 2, seed: 1 });
    const stages = stagesToFull(plan, [0, 1]);
    expect(stages).toHaveLength(2 * 2 * 3);
    expect(stages[0]).toEqual({ shard: 0, order: 0, stage: 0 });
    expect(stages[11]).toEqual({ shard: 1, order: 1, stage: 2 });
  });
});

describe('liveOf, manifestOf, describeLive', () => {
  const withDepths = (d0: number[], d1: number[]): Plan => {
    const p = handPlan();
    p.shards[0].depth = d0;
    p.shards[1].depth = d1;
    return p;
  };

  it('liveOf picks the deepest order, the first on ties, and none when all depths are 0', () => {
    const p = withDepths([1, 3, 2], [2, 2, 1]);
    expect(liveOf(p, 0)).toEqual({ order: 1, depth: 3 });
    expect(liveOf(p, 1)).toEqual({ order: 0, depth: 2 });
    expect(liveOf(withDepths([0, 1, 1], [0, 0, 0]), 0)).toEqual({ order: 1, depth: 1 });
    expect(liveOf(withDepths([0, 1, 1], [0, 0, 0]), 1)).toBeUndefined();
  });

  it('manifestOf is the sorted union of the live prefix slices', () => {
    const next = deleteIds(handPlan(), [3]).plan; // shard 0 [1, 0, 2]: order 2 depth 2 → slices 2, 0
    expect(liveOf(next, 0)).toEqual({ order: 2, depth: 2 });
    expect(manifestOf(next, 0)).toEqual([0, 1, 4, 5]);
    expect(manifestOf(next, 1)).toEqual(range(6, 12));
    const p = withDepths([1, 0, 0], [0, 0, 0]);
    expect(manifestOf(p, 0)).toEqual([0, 1]);
    expect(manifestOf(p, 1)).toEqual([]);
  });

  it('manifestOf never contains a deleted id', () => {
    let plan = handPlan();
    for (const id of [3, 7, 0, 11]) {
      plan = deleteIds(plan, [id]).plan;
      const deleted = new Set(range(0, 12).filter((i) => !planIds(plan).includes(i)));
      expect(deleted.has(id)).toBe(true);
      for (const s of [0, 1]) for (const m of manifestOf(plan, s)) expect(deleted.has(m), `shard ${s} id ${m}`).toBe(false);
    }
    // shard 0: deleting 3 (slice 1) then 0 (slice 0): [1,0,2] then min with [0,2,1] → [0,0,1]: order 2 depth 1 = slice 2
    expect(plan.shards[0].depth).toEqual([0, 0, 1]);
    expect(manifestOf(plan, 0)).toEqual([4, 5]);
    // shard 1: deleting 7 (slice 0) → [0,2,1], then 11 (slice 2) positions [2,1,0] → [0,1,0]: order 1 depth 1 = slice 1
    expect(plan.shards[1].depth).toEqual([0, 1, 0]);
    expect(manifestOf(plan, 1)).toEqual([8, 9]);
  });

  it('describeLive says which order and prefix is live per shard', () => {
    expect(describeLive(withDepths([1, 3, 2], [0, 0, 0]))).toEqual(['shard 0: order 1, 3/3 slices', 'shard 1: no live model']);
  });
});

describe('harmonic and deletionRate', () => {
  /** H(n) by hand: 1 + 1/2 + … + 1/n. */
  function H(n: number): number {
    let s = 0;
    for (let i = 1; i <= n; i++) s += 1 / i;
    return s;
  }

  it('harmonic(4) = 25/12, harmonic(1) = 1, harmonic(0) = 0', () => {
    expect(harmonic(4)).toBeCloseTo(25 / 12, 12);
    expect(harmonic(1)).toBe(1);
    expect(harmonic(0)).toBe(0);
  });

  it('the hand-written H agrees with the closed values the brief quotes', () => {
    expect(5 * 6 * H(5)).toBeCloseTo(68.5, 10);
    expect(5 * 6 * H(30)).toBeCloseTo(119.85, 1);
  });

  it('B = 1 averages S·L·H(S) and B = L averages S·L·H(S·L); B = 2 lies between', () => {
    const trials = 3000;
    const sisa = mean(deletionRate(5, 6, 1, trials, 1));
    const full = mean(deletionRate(5, 6, 6, trials, 1));
    const two = mean(deletionRate(5, 6, 2, trials, 1));
    expect(Math.abs(sisa / (30 * H(5)) - 1)).toBeLessThan(0.04);
    expect(Math.abs(full / (30 * H(30)) - 1)).toBeLessThan(0.04);
    expect(two).toBeGreaterThan(sisa);
    expect(two).toBeLessThan(full);
  });

  it('gives one count per trial, each at least the number of shards, deterministic for a seed', () => {
    const a = deletionRate(3, 4, 2, 200, 5);
    expect(a).toHaveLength(200);
    for (const c of a) {
      expect(Number.isInteger(c)).toBe(true);
      expect(c).toBeGreaterThanOrEqual(3);
    }
    expect(deletionRate(3, 4, 2, 200, 5)).toEqual(a);
    expect(deletionRate(3, 4, 2, 200, 6)).not.toEqual(a);
    // one shard of one slice: the first request always kills it
    expect(deletionRate(1, 1, 1, 10, 1)).toEqual(Array(10).fill(1));
  });
});

describe('RecipeArg', () => {
  it('sharded with no keys takes the defaults', () => {
    expect(RecipeArg.parse('sharded')).toEqual({ kind: 'sharded', shards: 5, slices: 4, orders: 1, schedule: 'budget', byGroup: false });
    expect(RecipeArg.parse('sharded:')).toEqual({ kind: 'sharded', shards: 5, slices: 4, orders: 1, schedule: 'budget', byGroup: false });
  });

  it('parses numbers and byGroup=true as a boolean', () => {
    expect(RecipeArg.parse('sharded:shards=5,slices=4,orders=2,byGroup=true'))
      .toEqual({ kind: 'sharded', shards: 5, slices: 4, orders: 2, schedule: 'budget', byGroup: true });
    const r = RecipeArg.parse('sharded: shards = 3 , byGroup=false');
    expect(r).toEqual({ kind: 'sharded', shards: 3, slices: 4, orders: 1, schedule: 'budget', byGroup: false });
    expect(RecipeArg.parse({ kind: 'sharded', shards: 2 })).toEqual({ kind: 'sharded', shards: 2, slices: 4, orders: 1, schedule: 'budget', byGroup: false });
  });

  it('orders above slices is rejected with a message about orders', () => {
    const r = RecipeArg.safeParse('sharded:orders=5,slices=4');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['orders']);
    expect(r.error!.issues[0].message).toMatch(/orders must be at most slices/);
    expect(RecipeArg.safeParse('sharded:orders=4,slices=4').success).toBe(true);
  });

  it('an unknown key is named in the error, with the keys to use', () => {
    const r = RecipeArg.safeParse('sharded:shards=2,sliced=3');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('unknown key "sliced" for sharded: use shards, slices, orders, schedule, byGroup');
  });

  it('bad values and kinds are one clear error', () => {
    expect(RecipeArg.safeParse('sharded:shards=0').error!.issues[0].message).toBe('shards must be from 1 to 64');
    expect(RecipeArg.safeParse('sharded:shards=2.5').error!.issues[0].message).toBe('shards must be an integer');
    expect(RecipeArg.safeParse('sharded:byGroup=yes').error!.issues[0].message).toBe('byGroup must be true or false');
    expect(RecipeArg.safeParse('sharded:shards').error!.issues[0].message).toBe('"shards" is not key=value');
    expect(RecipeArg.safeParse('nope:x=1').error!.issues[0].message).toMatch(/^unknown recipe kind "nope": use analytic, sharded/);
  });

  it('analytic keys parse too', () => {
    expect(RecipeArg.parse('analytic:dim=512,gamma=0.5')).toEqual({ kind: 'analytic', backbone: 'random', dim: 512, gamma: 0.5, classStats: false });
    expect(RecipeArg.parse('analytic')).toEqual({ kind: 'analytic', backbone: 'random', dim: 2048, gamma: 0.1, classStats: false });
    expect(RecipeArg.parse('analytic:classStats=true')).toMatchObject({ classStats: true });
  });
});

describe('stageEpochs', () => {
  it("is SISA's budget schedule (a = 2E/(L+1), stage k gets ⌊(k+1)a⌋ − ⌊ka⌋), by hand", () => {
    expect(stageEpochs(3, 4, 'budget')).toEqual([1, 1, 1, 1]); // a = 1.2
    expect(stageEpochs(5, 6, 'budget')).toEqual([1, 1, 2, 1, 2, 1]); // a = 10/7
    // a = 0.4 gives 0, 0, 1, 0: the last stage is raised to one epoch, so the last slice is learned.
    expect(stageEpochs(1, 4, 'budget')).toEqual([0, 0, 1, 1]);
    expect(stageEpochs(2, 4, 'budget')).toEqual([0, 1, 1, 1]); // a = 0.8
    expect(stageEpochs(10, 4, 'budget')).toEqual([4, 4, 4, 4]); // a = 4: exact multiples stay exact
    expect(stageEpochs(3, 4, 'stage')).toEqual([3, 3, 3, 3]);
  });

  it("steps: the same budget unrounded, a = 2E/(L+1) epochs every stage, exactly E passes over the shard", () => {
    expect(stageEpochs(1, 4, 'steps')).toEqual([0.4, 0.4, 0.4, 0.4]);
    expect(stageEpochs(10, 4, 'steps')).toEqual([4, 4, 4, 4]); // = budget where a is whole
    for (const [e, l] of [[1, 4], [3, 5], [2, 6]]) {
      const passes = stageEpochs(e, l, 'steps').reduce((s, ek, k) => s + (ek * (k + 1)) / l, 0);
      expect(passes).toBeCloseTo(e, 12);
    }
  });

  it('spends about E passes over the shard: Σ epochs_k·(k+1)/L', () => {
    for (const [e, l] of [[10, 4], [20, 5], [30, 6]]) {
      const passes = stageEpochs(e, l, 'budget').reduce((s, ek, k) => s + (ek * (k + 1)) / l, 0);
      expect(Math.abs(passes - e) / e).toBeLessThan(0.2);
    }
  });
});

describe('RecipeArg schedule', () => {
  it('takes schedule=stage or steps and refuses anything but budget, steps or stage', () => {
    expect(RecipeArg.parse('sharded:schedule=stage')).toMatchObject({ schedule: 'stage' });
    expect(RecipeArg.parse('sharded:schedule=steps')).toMatchObject({ schedule: 'steps' });
    expect(RecipeArg.safeParse('sharded:schedule=fast').error!.issues[0].message).toBe('schedule must be budget, steps or stage');
  });
});
