// The regression task's data side: a CSV target column, the committed diabetes set, and the target-range forget kind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset } from './dataset.ts';
import { loadCsv } from './formats/csv.ts';
import { parseForgetSpec, resolveForget } from './forget/index.ts';
import { DIABETES_CSV, loadData } from './registry.ts';
import { synthetic } from './synthetic.ts';
import { taskOf } from './tasks.ts';
import * as tfc from '@tensorflow/tfjs-core';
import { makeBatch } from '../train/batches.ts';
import { initBackend } from '../engine/backend.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-regression-'));
beforeAll(() => initBackend());
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

describe('a CSV target column', () => {
  const p = file('houses.csv', ['rooms,price,split', '1,100,train', '2,200,train', '3,600,train', '4,250,test'].join('\n'));

  it('makes a regression set: one output, the target standardised with the train rows only', () => {
    const ds = loadCsv(p, { targetColumn: 'price' });
    expect(taskOf(ds)).toBe('regression');
    expect(ds.numClasses).toBe(1);
    expect(ds.classNames).toEqual(['price']);
    // Train targets 100, 200, 600: mean 300, population sd √((200² + 100² + 300²)/3) = √(140000/3).
    const sd = Math.sqrt(140000 / 3);
    expect(ds.targetInfo!.mean).toBeCloseTo(300, 10);
    expect(ds.targetInfo!.sd).toBeCloseTo(sd, 10);
    expect(Array.from(ds.target!)).toEqual([100, 200, 600, 250]);
    expect(Array.from(ds.y)).toEqual([0, 0, 0, 0]);
    // A subset carries its targets and the standardisation; a batch holds them standardised.
    const s = subset(ds, [3, 0]);
    expect(Array.from(s.target!)).toEqual([250, 100]);
    expect(s.targetInfo).toBe(ds.targetInfo);
    const b = makeBatch(s, Int32Array.from([0, 1]));
    expect(b.y.dtype).toBe('float32');
    expect(Array.from(b.y.dataSync())).toEqual([-50 / sd, -200 / sd].map(Math.fround));
    tfc.dispose([b.x, b.y]);
  });

  it('bad targets and flags are errors that name the problem', () => {
    expect(() => loadCsv(p, { targetColumn: 'price', labelColumn: 'rooms' })).toThrow(/name exactly one of --label-column \(classification\) and --target-column \(regression\)/);
    expect(() => loadCsv(p, { targetColumn: 'cost' })).toThrow(/houses\.csv: no target column "cost" \(columns: rooms, price, split\)/);
    const text = file('text.csv', ['a,t,split', '1,5,train', '2,high,train', '3,1,test'].join('\n'));
    expect(() => loadCsv(text, { targetColumn: 't' })).toThrow(/text\.csv:3: target column "t" is not a number: "high"/);
    const flat = file('flat.csv', ['a,t,split', '1,5,train', '2,5,train', '3,1,test'].join('\n'));
    expect(() => loadCsv(flat, { targetColumn: 't' })).toThrow(/flat\.csv: target column "t" has the same value in every train row/);
    expect(() => loadData({ name: p })).toThrow(/needs --label-column NAME \(classification\) or --target-column NAME \(regression\)/);
  });
});

describe('the built-in diabetes set', () => {
  const ds = loadData({ name: 'diabetes' });

  it('is the committed 442 patients, every fifth one in the test split, predicting progression', () => {
    expect(ds.name).toBe('diabetes');
    expect(ds.size).toBe(442);
    expect(ds.inputShape).toEqual([10]);
    expect(idsOfSplit(ds, 'train').length).toBe(354);
    expect(Array.from(idsOfSplit(ds, 'test').slice(0, 3))).toEqual([4, 9, 14]);
    // The file's own first row, read by hand: progression 151.
    const first = readFileSync(DIABETES_CSV, 'utf8').split('\n')[1].split(',');
    expect(Number(first[11])).toBe(151);
    expect(ds.target![0]).toBe(151);
    // Features are scaled to [0, 1] on the train rows.
    expect(Math.min(...ds.x.filter((_, i) => ds.split[Math.floor(i / 10)] === 0))).toBe(0);
  });
});

describe('target-range forgetting', () => {
  const ds = loadData({ name: 'diabetes' });
  const value = (i: number) => ds.target![i];

  it('parses ranges with either end open, and names bad ones', () => {
    expect(parseForgetSpec('target:250..')).toEqual({ kind: 'target', min: 250 });
    expect(parseForgetSpec('target:..30')).toEqual({ kind: 'target', max: 30 });
    expect(parseForgetSpec('target:1.5..2.5')).toEqual({ kind: 'target', min: 1.5, max: 2.5 });
    expect(() => parseForgetSpec('target:..')).toThrow(/give at least one end of the range/);
    expect(() => parseForgetSpec('target:300..200')).toThrow(/the range is empty: 300 is above 200/);
    expect(() => parseForgetSpec('target:abc..')).toThrow(/lower end "abc" is not a number/);
    expect(() => parseForgetSpec('target:250')).toThrow(/is not a range LO\.\.HI/);
  });

  it('forgets exactly the train samples in the range, both ends included, and splits the test set the same way', () => {
    const sets = resolveForget(ds, parseForgetSpec('target:250..'));
    const train = idsOfSplit(ds, 'train');
    const expected = Array.from(train).filter((i) => value(i) >= 250);
    expect(Array.from(sets.forget)).toEqual(expected);
    expect(sets.forget.length).toBe(49);
    expect(sets.retain.length).toBe(354 - 49);
    expect(Array.from(sets.forgetTest!).every((i) => value(i) >= 250)).toBe(true);
    expect(Array.from(sets.retainTest!).every((i) => value(i) < 250)).toBe(true);
    expect(sets.forgetTest!.length + sets.retainTest!.length).toBe(88);
    // Both ends included: a range of one observed value keeps its samples.
    const v = value(0);
    expect(resolveForget(ds, parseForgetSpec(`target:${v}..${v}`)).forget).toContain(0);
  });

  it('kinds that need class labels are refused on regression data, and target ranges on class labels', () => {
    expect(() => resolveForget(ds, parseForgetSpec('class:0'))).toThrow(/class forgetting does not apply to regression \(diabetes\): it serves classification only/);
    expect(() => resolveForget(ds, parseForgetSpec('worst:0.1:seed=1'))).toThrow(/worst forgetting does not apply to regression/);
    expect(() => resolveForget(synthetic(), parseForgetSpec('target:1..'))).toThrow(/target forgetting does not apply to classification \(synthetic\): it serves regression only/);
    // Random, ids and group forgetting serve both.
    expect(resolveForget(ds, parseForgetSpec('random:0.1:seed=1')).forget.length).toBe(35);
  });
});
