// Manipulations against pixels and labels checked by hand on a tiny image set, and their one-line errors.
import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import { applyManipulation, chooseManipulated, manipulationOf, parseConfuse, parsePoison, patchOf, triggeredTest } from './manipulation.ts';
import { synthetic } from './synthetic.ts';

/** 8 train + 4 test images of 4×4×1; pixel j of image i is (i·16 + j) / 1000, so the largest train pixel is image 7's last, 0.127. */
function tiny(): Dataset {
  const n = 12;
  const x = Float32Array.from({ length: n * 16 }, (_, k) => k / 1000);
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const split = Uint8Array.from({ length: n }, (_, i) => (i < 8 ? 0 : 1));
  return { name: 'tiny', inputShape: [4, 4, 1], numClasses: 3, classNames: ['a', 'b', 'c'], x, y, split, group: Array(n).fill('g'), size: n };
}
const source = { name: 'tiny', hash: 'sha256:x' };

describe('parsing --poison and --confuse', () => {
  it('reads the forms, seed 0 by default', () => {
    expect(parsePoison('patch:count=600:target=0:seed=1')).toEqual({ kind: 'poison', count: 600, target: 0, seed: 1 });
    expect(parsePoison('patch:target=2:count=5')).toEqual({ kind: 'poison', count: 5, target: 2, seed: 0 });
    expect(parseConfuse('3,5:count=500:seed=7')).toEqual({ kind: 'confuse', classes: [3, 5], count: 500, seed: 7 });
  });

  it.each([
    ['patch', parsePoison, 'blob:count=1:target=0', /unknown poison kind "blob"/],
    ['patch', parsePoison, 'patch:count=1', /needs count= and target=/],
    ['patch', parsePoison, 'patch:count=NaN:target=0', /count "NaN" is not an integer/],
    ['patch', parsePoison, 'patch:count=1.5:target=0', /count "1.5" is not an integer/],
    ['patch', parsePoison, 'patch:count=1:target=0:size=4', /unknown option "size=4"/],
    ['patch', parsePoison, 'patch:count=1:count=2:target=0', /count given twice/],
    ['confuse', parseConfuse, '3,3:count=2', /the two classes must differ, got 3 twice/],
    ['confuse', parseConfuse, '3:count=2', /"3" is not two classes A,B/],
    ['confuse', parseConfuse, '3,x:count=2', /class "x" is not an integer/],
    ['confuse', parseConfuse, '3,5', /needs count=/],
  ])('%s %s is one error', (_, parse, text, re) => {
    expect(() => parse(text)).toThrow(re);
  });
});

describe('poison: a patch and a target label', () => {
  const ds = tiny();
  const m = manipulationOf(ds, { kind: 'poison', count: 3, target: 2, seed: 4 }, source);
  const out = applyManipulation(ds, m, 'poisoned');

  it('the patch is the bottom-right 3×3 at the largest train pixel (test pixels do not count)', () => {
    expect(patchOf(ds)).toEqual({ corner: 'bottom-right', size: 3, top: 1, left: 1, value: Math.fround(0.127) });
    expect(m.kind === 'poison' && m.patch).toEqual(patchOf(ds));
  });

  it('records exactly the samples it changed, with their labels before and after', () => {
    expect(m.ids).toHaveLength(3);
    expect([...m.ids].sort((a, b) => a - b)).toEqual(m.ids);
    expect(m.ids.every((id) => id < 8)).toBe(true);
    expect(m.trueLabels).toEqual(m.ids.map((id) => id % 3));
    expect(m.labels).toEqual([2, 2, 2]);
    for (let i = 0; i < 12; i++) expect(out.y[i], `label of ${i}`).toBe(m.ids.includes(i) ? 2 : i % 3);
    expect(out.manipulation).toBe(m);
  });

  it('pixels, by hand: rows 1–3 × columns 1–3 of a manipulated image are the patch value, every other pixel is the source', () => {
    const v = Math.fround(0.127);
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 16; j++) {
        const [r, c] = [Math.floor(j / 4), j % 4];
        const inPatch = m.ids.includes(i) && r >= 1 && c >= 1;
        expect(out.x[i * 16 + j], `image ${i} pixel (${r},${c})`).toBe(inPatch ? v : Math.fround((i * 16 + j) / 1000));
      }
    }
    // The source is never changed.
    expect(ds.x[m.ids[0] * 16 + 15]).toBe(Math.fround((m.ids[0] * 16 + 15) / 1000));
  });

  it('triggered test images: those of the target class left out, the trigger stamped, the true labels', () => {
    const t = triggeredTest(out, [8, 9, 10, 11])!;
    // Test labels 8 % 3 = 2, 9 → 0, 10 → 1, 11 → 2: ids 9 and 10 remain.
    expect(Array.from(t.ids)).toEqual([9, 10]);
    expect(Array.from(t.y)).toEqual([0, 1]);
    expect(t.x[15]).toBe(Math.fround(0.127));
    expect(t.x[5]).toBe(Math.fround(0.127));
    expect(t.x[0]).toBe(Math.fround((9 * 16) / 1000));
    expect(t.x[16 + 4]).toBe(Math.fround((10 * 16 + 4) / 1000));
    expect(out.x[9 * 16 + 15]).toBe(Math.fround((9 * 16 + 15) / 1000));
  });

  it('same seed, same samples; another seed, others', () => {
    expect(chooseManipulated(ds, { kind: 'poison', count: 3, target: 2, seed: 4 }).ids).toEqual(m.ids);
    const big = synthetic();
    const a = chooseManipulated(big, { kind: 'poison', count: 50, target: 0, seed: 1 }).ids;
    expect(chooseManipulated(big, { kind: 'poison', count: 50, target: 0, seed: 2 }).ids).not.toEqual(a);
  });
});

describe('confuse: labels swapped between two classes', () => {
  const ds = tiny();
  it('count/2 of each class, each given the other label', () => {
    // Train labels 0,1,2,0,1,2,0,1: class 0 = ids 0,3,6; class 1 = ids 1,4,7.
    const m = manipulationOf(ds, { kind: 'confuse', classes: [0, 1], count: 4, seed: 2 }, source);
    const out = applyManipulation(ds, m, 'confused');
    expect(m.ids).toHaveLength(4);
    expect(m.ids.filter((id) => [0, 3, 6].includes(id))).toHaveLength(2);
    expect(m.ids.filter((id) => [1, 4, 7].includes(id))).toHaveLength(2);
    expect(m.labels).toEqual(m.trueLabels.map((l) => 1 - l));
    for (let i = 0; i < 12; i++) expect(out.y[i]).toBe(m.ids.includes(i) ? 1 - (i % 3) : i % 3);
    expect(out.x).toBe(ds.x);
    expect(triggeredTest(out, [8, 9])).toBeUndefined();
  });
});

describe('a spec that does not fit the data set is one error', () => {
  const ds = tiny();
  const tabular: Dataset = { ...ds, name: 'credit.csv', inputShape: [16] };
  it.each([
    [{ kind: 'poison', count: 9, target: 0, seed: 0 }, ds, /count 9 is more than the 8 train samples of tiny/],
    [{ kind: 'poison', count: 0, target: 0, seed: 0 }, ds, /count must be at least 1/],
    [{ kind: 'poison', count: 2, target: 3, seed: 0 }, ds, /target 3 is out of range: tiny has classes 0\.\.2/],
    [{ kind: 'poison', count: 2, target: -1, seed: 0 }, ds, /target -1 is out of range/],
    [{ kind: 'poison', count: 2, target: 0, seed: 0 }, tabular, /a patch needs images .*credit\.csv is tabular \(16 features\): use --confuse/],
    [{ kind: 'confuse', classes: [0, 5], count: 2, seed: 0 }, ds, /class 5 is out of range/],
    [{ kind: 'confuse', classes: [0, 1], count: 3, seed: 0 }, ds, /count 3 must be even/],
    [{ kind: 'confuse', classes: [0, 1], count: 8, seed: 0 }, ds, /count\/2 = 4 is more than the 3 train samples of class 0/],
  ] as const)('%j', (spec, data, re) => {
    expect(() => chooseManipulated(data, spec as never)).toThrow(re);
  });

  it('label swaps work on tabular data', () => {
    expect(chooseManipulated(tabular, { kind: 'confuse', classes: [0, 1], count: 2, seed: 0 }).ids).toHaveLength(2);
  });

  it('a record that does not fit its source is refused', () => {
    const m = manipulationOf(ds, { kind: 'poison', count: 2, target: 0, seed: 0 }, source);
    expect(() => applyManipulation(ds, { ...m, trueLabels: m.trueLabels.map((l) => (l + 1) % 3) }, 'x')).toThrow(/has label \d in the source, but the record says/);
    expect(() => applyManipulation(ds, { ...m, ids: [9, 10] }, 'x')).toThrow(/id 9 is not a train sample of the source/);
    const twice = manipulationOf(ds, { kind: 'poison', count: 1, target: 0, seed: 0 }, source);
    expect(() => chooseManipulated(applyManipulation(ds, twice, 'p'), { kind: 'poison', count: 1, target: 0, seed: 0 })).toThrow(/p is already manipulated/);
  });
});
