import { describe, expect, it } from 'vitest';
import { assignGroups } from './groups.ts';
import { synthetic } from './synthetic.ts';

function membersByGroup(group: string[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  group.forEach((g, i) => {
    if (!m.has(g)) m.set(g, []);
    m.get(g)!.push(i);
  });
  return m;
}

describe('assignGroups', () => {
  const ds = synthetic();

  it('is deterministic: same inputs, same groups', () => {
    expect(assignGroups(ds.x, ds.y, ds.split, ds.inputShape, { groupSize: 20 })).toEqual(ds.group);
    expect(synthetic().group).toEqual(ds.group);
  });

  it('gives every sample a group, of at most groupSize, never mixing classes or splits', () => {
    expect(ds.group.length).toBe(ds.size);
    expect(ds.group.every((g) => typeof g === 'string' && /^u\d+$/.test(g))).toBe(true);
    const groups = membersByGroup(ds.group);
    for (const [, ids] of groups) {
      expect(ids.length).toBeLessThanOrEqual(20);
      expect(new Set(ids.map((i) => ds.y[i])).size).toBe(1);
      expect(new Set(ids.map((i) => ds.split[i])).size).toBe(1);
    }
    // 1200 train + 400 test, 4 classes: 300 train and 100 test per class, cut into runs of 20
    expect(groups.size).toBe(4 * (300 / 20) + 4 * (100 / 20));
  });

  it('a class whose size is not a multiple of groupSize ends with one smaller group', () => {
    const n = 7;
    const g = assignGroups(Float32Array.from({ length: n }, (_, i) => i), new Int32Array(n), new Uint8Array(n), [1], { groupSize: 3 });
    expect([...membersByGroup(g).values()].map((ids) => ids.length).sort()).toEqual([1, 3, 3]);
  });

  it('groups are runs of neighbours along the projection (1-d: runs of sorted values)', () => {
    // One class, one split, scalar features. Whatever the sign of the random direction,
    // sorting by projection sorts by value, so runs of 2 pair values {0,1}, {2,3}, {4,5}.
    const values = [5, 1, 4, 2, 3, 0]; // id -> value
    const g = assignGroups(Float32Array.from(values), new Int32Array(6), new Uint8Array(6), [1], { groupSize: 2 });
    const pairs = [...membersByGroup(g).values()].map((ids) => ids.map((i) => values[i]).sort()).sort((a, b) => a[0] - b[0]);
    expect(pairs).toEqual([[0, 1], [2, 3], [4, 5]]);
  });

  it('group names are unique across classes and splits', () => {
    const x = Float32Array.of(0, 1, 2, 3);
    const g = assignGroups(x, Int32Array.of(0, 0, 1, 1), Uint8Array.of(0, 1, 0, 1), [1], { groupSize: 5 });
    expect(new Set(g).size).toBe(4);
  });
});
