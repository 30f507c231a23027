import { describe, expect, it } from 'vitest';
import { hashIds, idsOfSplit, limitTrain, subset, type Dataset } from './dataset.ts';
import { synthetic } from './synthetic.ts';

// Six samples, 2 features each; splits interleaved: test, train, train, test, train, train.
const DS: Dataset = {
  name: 'six',
  inputShape: [2],
  numClasses: 2,
  classNames: ['a', 'b'],
  x: Float32Array.from({ length: 12 }, (_, i) => i),
  y: Int32Array.of(0, 1, 0, 1, 0, 1),
  split: Uint8Array.of(1, 0, 0, 1, 0, 0),
  group: ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'],
  size: 6,
};

describe('dataset helpers', () => {
  it('idsOfSplit lists ids in order', () => {
    expect(Array.from(idsOfSplit(DS, 'train'))).toEqual([1, 2, 4, 5]);
    expect(Array.from(idsOfSplit(DS, 'test'))).toEqual([0, 3]);
  });

  it('subset copies the rows of the given ids', () => {
    const s = subset(DS, [4, 1]);
    expect(Array.from(s.ids)).toEqual([4, 1]);
    expect(Array.from(s.x)).toEqual([8, 9, 2, 3]);
    expect(Array.from(s.y)).toEqual([0, 1]);
    expect(s.inputShape).toEqual([2]);
  });

  it('limitTrain keeps the first N train samples and every id stable', () => {
    const small = limitTrain(DS, 2);
    expect(Array.from(idsOfSplit(small, 'train'))).toEqual([1, 2]);
    expect(Array.from(idsOfSplit(small, 'test'))).toEqual([0, 3]);
    // ids 4 and 5 are in neither split, and nothing is renumbered
    expect(small.size).toBe(6);
    expect(small.x).toBe(DS.x);
    expect(small.y).toBe(DS.y);
    expect(small.group).toBe(DS.group);
    expect(Array.from(subset(small, [2]).x)).toEqual([4, 5]);
    // the input data set is not changed
    expect(Array.from(DS.split)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(limitTrain(DS, undefined)).toBe(DS);
  });

  it('limitTrain on synthetic keeps ids 0..N-1 for train and 1200.. for test', () => {
    const ds = limitTrain(synthetic(), 100);
    expect(Array.from(idsOfSplit(ds, 'train'))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(idsOfSplit(ds, 'test'))).toEqual(Array.from({ length: 400 }, (_, i) => 1200 + i));
  });

  it('limitTrain rejects sizes out of range', () => {
    expect(() => limitTrain(DS, 0)).toThrow(/train size 0 is out of range: six has 4 train samples/);
    expect(() => limitTrain(DS, 5)).toThrow(/train size 5 is out of range/);
    expect(() => limitTrain(DS, 1.5)).toThrow(/train size 1\.5 is out of range/);
  });

  it('hashIds does not depend on order, but on the set and its size', () => {
    const h = hashIds([3, 1, 2]);
    expect(hashIds([1, 2, 3])).toBe(h);
    expect(hashIds(Int32Array.of(2, 3, 1))).toBe(h);
    expect(h).toMatch(/^[0-9a-f]{16}:3$/);
    expect(hashIds([1, 2, 4])).not.toBe(h);
    expect(hashIds([1, 2])).not.toBe(h);
    // numeric, not string, order: [10, 9] sorts to [9, 10] like [9, 10] does
    expect(hashIds([10, 9])).toBe(hashIds([9, 10]));
    expect(hashIds([])).toMatch(/:0$/);
  });

  it('hashIds of 0..999 shuffled equals hashIds of 0..999', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    const rev = [...ids].reverse();
    const interleaved = [...ids.filter((i) => i % 2), ...ids.filter((i) => i % 2 === 0)];
    expect(hashIds(rev)).toBe(hashIds(ids));
    expect(hashIds(interleaved)).toBe(hashIds(ids));
  });
});
