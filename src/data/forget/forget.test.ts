import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { limitTrain, type Dataset } from '../dataset.ts';
import { synthetic } from '../synthetic.ts';
import { ForgetSpecSchema, describeSpec, parseForgetSpec, resolveForget, type ForgetSets, type ForgetSpec } from './index.ts';
import { parseForgetSpecFromCli } from './read.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-forget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Ten samples, ids 0..9. Train = 0..6, test = 7..9.
 *   id     0  1  2  3  4  5  6 | 7  8  9
 *   label  0  1  2  0  1  2  0 | 0  1  2
 *   group  a  a  b  b  c  c  d | e  e  f
 * numClasses is 4: class 3 exists but has no samples.
 */
const DS: Dataset = {
  name: 'tiny',
  inputShape: [1],
  numClasses: 4,
  classNames: ['c0', 'c1', 'c2', 'c3'],
  x: Float32Array.from({ length: 10 }, (_, i) => i / 10),
  y: Int32Array.of(0, 1, 2, 0, 1, 2, 0, 0, 1, 2),
  split: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1, 1, 1),
  group: ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'e', 'e', 'f'],
  size: 10,
};
const TRAIN = [0, 1, 2, 3, 4, 5, 6];

const arr = (a: ArrayLike<number> | undefined) => Array.from(a ?? []);

function expectPartition(s: ForgetSets, train: number[]) {
  const f = new Set(arr(s.forget));
  expect(arr(s.retain).filter((i) => f.has(i))).toEqual([]);
  expect([...arr(s.forget), ...arr(s.retain)].sort((a, b) => a - b)).toEqual(train);
  expect(arr(s.forget)).toEqual([...arr(s.forget)].sort((a, b) => a - b));
}

describe('parseForgetSpec', () => {
  const ok: [string, ForgetSpec][] = [
    ['class:3', { kind: 'class', classes: [3] }],
    ['class:3,5', { kind: 'class', classes: [3, 5] }],
    ['random:0.1:seed=1', { kind: 'random', fraction: 0.1, seed: 1 }],
    ['random:600:seed=1', { kind: 'random', count: 600, seed: 1 }],
    ['random:0.25', { kind: 'random', fraction: 0.25, seed: 0 }],
    ['random:1:seed=-4', { kind: 'random', count: 1, seed: -4 }],
    ['group:u1,u2', { kind: 'group', groups: ['u1', 'u2'] }],
  ];
  it.each(ok)('parses %s', (text, spec) => {
    const parsed = parseForgetSpec(text);
    expect(parsed).toEqual(spec);
    // What the CLI parses is also what the API schema accepts.
    expect(ForgetSpecSchema.parse(parsed)).toEqual(spec);
  });

  it('describes specs in the same short form', () => {
    expect(describeSpec(parseForgetSpec('class:3,5'))).toBe('class:3,5');
    expect(describeSpec(parseForgetSpec('random:600:seed=1'))).toBe('random:600:seed=1');
    expect(describeSpec({ kind: 'ids', ids: [4, 5, 6] })).toBe('ids:3');
  });

  it('reads ids:FILE, ignoring comments, blank lines, spaces and CRLF', () => {
    const p = join(dir, 'ids.txt');
    writeFileSync(p, '# samples to forget\n3\n\n  5   # the second one\r\n10\n\n');
    expect(parseForgetSpecFromCli(`ids:${p}`)).toEqual({ kind: 'ids', ids: [3, 5, 10] });
  });

  it('a non-integer id line names the file and the line', () => {
    const p = join(dir, 'bad-ids.txt');
    writeFileSync(p, '1\n# ok\n2.5\n');
    expect(() => parseForgetSpecFromCli(`ids:${p}`)).toThrow(/bad-ids\.txt:3: "2\.5" is not a sample id/);
    writeFileSync(p, '1\n-2\n');
    expect(() => parseForgetSpecFromCli(`ids:${p}`)).toThrow(/bad-ids\.txt:2: "-2" is not a sample id/);
  });

  it('an ids file with no ids is an error', () => {
    const p = join(dir, 'empty-ids.txt');
    writeFileSync(p, '# nothing\n\n');
    expect(() => parseForgetSpecFromCli(`ids:${p}`)).toThrow(/lists no ids/);
  });

  it('a missing ids file is an error naming it', () => {
    expect(() => parseForgetSpecFromCli(`ids:${join(dir, 'missing.txt')}`)).toThrow(/cannot read .*missing\.txt \(ENOENT\)/);
  });

  const bad: [string, RegExp][] = [
    ['nope:3', /unknown kind "nope"/],
    ['3', /unknown kind "3"/],
    ['class:', /no class given/],
    ['class:x', /class "x" is not an integer/],
    ['class:3,', /class "" is not an integer/],
    ['random:0', /amount "0" must be/],
    ['random:', /amount "" must be/],
    ['random:-3', /amount "-3" must be/],
    ['random:1.5', /count "1\.5" must be an integer/],
    ['random:0.1:foo=2', /unknown option "foo=2"/],
    ['random:0.1:seed=x', /seed "x" is not an integer/],
    ['ids:', /no file given/],
    ['group:', /no group given/],
    ['group:,', /no group given/],
  ];
  it.each(bad)('rejects %s', (text, why) => {
    expect(() => parseForgetSpecFromCli(text)).toThrow(why);
    // Every message quotes the spec and lists the valid forms.
    expect(() => parseForgetSpecFromCli(text)).toThrow(/^bad forget spec ".*": .*\(forms: class:3/);
  });
});

describe('resolveForget: class', () => {
  it('class 0 takes exactly its train samples and splits the test set', () => {
    const s = resolveForget(DS, { kind: 'class', classes: [0] });
    expect(arr(s.forget)).toEqual([0, 3, 6]);
    expect(arr(s.retain)).toEqual([1, 2, 4, 5]);
    expect(arr(s.test)).toEqual([7, 8, 9]);
    expect(arr(s.forgetTest)).toEqual([7]);
    expect(arr(s.retainTest)).toEqual([8, 9]);
    expectPartition(s, TRAIN);
  });

  it('two classes', () => {
    const s = resolveForget(DS, parseForgetSpec('class:1,2'));
    expect(arr(s.forget)).toEqual([1, 2, 4, 5]);
    expect(arr(s.retain)).toEqual([0, 3, 6]);
    expect(arr(s.forgetTest)).toEqual([8, 9]);
    expect(arr(s.retainTest)).toEqual([7]);
  });

  it('only class specs carry forgetTest / retainTest', () => {
    const s = resolveForget(DS, { kind: 'ids', ids: [1] });
    expect(s.forgetTest).toBeUndefined();
    expect(s.retainTest).toBeUndefined();
  });

  it('an unknown class is an error, also a negative one', () => {
    expect(() => resolveForget(DS, { kind: 'class', classes: [4] })).toThrow(/unknown class 4: tiny has classes 0\.\.3/);
    expect(() => resolveForget(DS, { kind: 'class', classes: [-1] })).toThrow(/unknown class -1/);
  });

  it('a class without train samples gives an empty forget set: an error', () => {
    expect(() => resolveForget(DS, { kind: 'class', classes: [3] })).toThrow(/forget set is empty in tiny \(7 train samples\)/);
  });

  it('all classes would be the whole train set: an error', () => {
    expect(() => resolveForget(DS, { kind: 'class', classes: [0, 1, 2] })).toThrow(/whole train set/);
  });
});

describe('resolveForget: random', () => {
  it('a count picks exactly that many train samples', () => {
    const s = resolveForget(DS, { kind: 'random', count: 3, seed: 1 });
    expect(s.forget.length).toBe(3);
    expect(s.retain.length).toBe(4);
    expect(arr(s.test)).toEqual([7, 8, 9]);
    expectPartition(s, TRAIN);
  });

  it('a fraction rounds fraction × train size', () => {
    expect(resolveForget(DS, { kind: 'random', fraction: 0.3, seed: 1 }).forget.length).toBe(2); // 2.1
    expect(resolveForget(DS, { kind: 'random', fraction: 0.45, seed: 1 }).forget.length).toBe(3); // 3.15
    expect(resolveForget(DS, { kind: 'random', fraction: 0.9, seed: 1 }).forget.length).toBe(6); // 6.3
  });

  it('same seed, same set; different seeds, different sets (1200 train samples)', () => {
    const ds = synthetic();
    const a = resolveForget(ds, parseForgetSpec('random:600:seed=1'));
    const b = resolveForget(ds, parseForgetSpec('random:600:seed=1'));
    const c = resolveForget(ds, parseForgetSpec('random:600:seed=2'));
    expect(arr(a.forget)).toEqual(arr(b.forget));
    expect(arr(a.forget)).not.toEqual(arr(c.forget));
    expect(a.forget.length).toBe(600);
    expectPartition(a, Array.from({ length: 1200 }, (_, i) => i));
    expectPartition(c, Array.from({ length: 1200 }, (_, i) => i));
    const f = resolveForget(ds, parseForgetSpec('random:0.1:seed=1'));
    expect(f.forget.length).toBe(120);
    expect(arr(f.test)).toEqual(Array.from({ length: 400 }, (_, i) => 1200 + i));
  });

  it('never picks test samples or samples dropped by limitTrain', () => {
    const small = limitTrain(DS, 5); // train = 0..4
    for (let seed = 0; seed < 20; seed++) {
      const s = resolveForget(small, { kind: 'random', count: 2, seed });
      expectPartition(s, [0, 1, 2, 3, 4]);
    }
  });

  it('too small a fraction or the whole train set is an error', () => {
    expect(() => resolveForget(DS, { kind: 'random', fraction: 0.05, seed: 1 })).toThrow(/selects no sample/); // 0.35 -> 0
    expect(() => resolveForget(DS, { kind: 'random', count: 7, seed: 1 })).toThrow(/whole train set/);
    expect(() => resolveForget(DS, { kind: 'random', count: 8, seed: 1 })).toThrow(/whole train set/);
  });
});

describe('resolveForget: ids', () => {
  it('forgets the listed train ids, de-duplicated and sorted', () => {
    const s = resolveForget(DS, { kind: 'ids', ids: [5, 1, 5] });
    expect(arr(s.forget)).toEqual([1, 5]);
    expect(arr(s.retain)).toEqual([0, 2, 3, 4, 6]);
    expect(arr(s.test)).toEqual([7, 8, 9]);
  });

  it('out-of-range, negative and test ids are errors', () => {
    expect(() => resolveForget(DS, { kind: 'ids', ids: [1, 10] })).toThrow(/sample id 10 is out of range: tiny has ids 0\.\.9/);
    expect(() => resolveForget(DS, { kind: 'ids', ids: [-1] })).toThrow(/sample id -1 is out of range/);
    expect(() => resolveForget(DS, { kind: 'ids', ids: [8] })).toThrow(/sample id 8 is not a train sample/);
  });

  it('a sample dropped by limitTrain is not a train sample', () => {
    expect(() => resolveForget(limitTrain(DS, 4), { kind: 'ids', ids: [5] })).toThrow(/sample id 5 is not a train sample in tiny \(4 train samples\)/);
  });

  it('every train id is the whole train set: an error', () => {
    expect(() => resolveForget(DS, { kind: 'ids', ids: TRAIN })).toThrow(/forget set would be the whole train set/);
  });

  it('an ids file resolves end to end', () => {
    const p = join(dir, 'ids-e2e.txt');
    writeFileSync(p, '6\n# and\n0\n');
    expect(arr(resolveForget(DS, parseForgetSpecFromCli(`ids:${p}`)).forget)).toEqual([0, 6]);
  });
});

describe('resolveForget: group', () => {
  it('forgets every train sample of the groups', () => {
    expect(arr(resolveForget(DS, parseForgetSpec('group:a')).forget)).toEqual([0, 1]);
    const s = resolveForget(DS, parseForgetSpec('group:b,d'));
    expect(arr(s.forget)).toEqual([2, 3, 6]);
    expect(arr(s.retain)).toEqual([0, 1, 4, 5]);
  });

  it('an unknown group, or a group with only test samples, is an error', () => {
    expect(() => resolveForget(DS, parseForgetSpec('group:a,zz'))).toThrow(/unknown group zz/);
    expect(() => resolveForget(DS, parseForgetSpec('group:e'))).toThrow(/unknown group e: no train samples belong to it/);
  });

  it('all groups are the whole train set: an error', () => {
    expect(() => resolveForget(DS, parseForgetSpec('group:a,b,c,d'))).toThrow(/whole train set/);
  });
});
