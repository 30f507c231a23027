import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { idsOfSplit } from '../dataset.ts';
import { loadCsv } from './csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('loadCsv', () => {
  it('reads features, a named label column, a split column and string labels', () => {
    const p = csv('fruit.csv', [
      'weight,kind,split,colour,group',
      '10,pear,train,1,alice',
      '30,apple,train,3,bob',
      '20,pear,test,5,alice',
      '50,banana,train,2,',
      '40,apple,test,4,carol',
    ].join('\n'));
    const ds = loadCsv(p, { labelColumn: 'kind' });
    expect(ds.name).toBe('fruit.csv');
    expect(ds.size).toBe(5);
    // features: weight and colour (split, group and the label are not features)
    expect(ds.inputShape).toEqual([2]);
    // string labels sorted by name: apple 0, banana 1, pear 2
    expect(ds.classNames).toEqual(['apple', 'banana', 'pear']);
    expect(ds.numClasses).toBe(3);
    expect(Array.from(ds.y)).toEqual([2, 0, 2, 1, 0]);
    expect(Array.from(ds.split)).toEqual([0, 0, 1, 0, 1]);
    expect(Array.from(idsOfSplit(ds, 'test'))).toEqual([2, 4]);
    // min-max scaling with the train rows' range: weight train 10..50, colour train 1..3
    const want = [
      [0, 0], [0.5, 1], [0.25, 2], [1, 0.5], [0.75, 1.5],
    ].flat();
    Array.from(ds.x).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    // an empty group falls back to one group per row
    expect(ds.group).toEqual(['alice', 'bob', 'alice', 'row3', 'carol']);
  });

  it('numeric labels keep numeric order, not string order', () => {
    const p = csv('num.csv', 'f,y,split\n1,10,train\n2,2,train\n3,9,test\n4,2,test\n');
    const ds = loadCsv(p, { labelColumn: 'y' });
    expect(ds.classNames).toEqual(['2', '9', '10']);
    expect(Array.from(ds.y)).toEqual([2, 0, 1, 0]);
  });

  it('without a split column, a seeded share of rows goes to test', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i},${i % 2}`).join('\n');
    const p = csv('nosplit.csv', `f,label\n${rows}\n`);
    const a = loadCsv(p, { labelColumn: 'label', testFraction: 0.25, seed: 3 });
    const b = loadCsv(p, { labelColumn: 'label', testFraction: 0.25, seed: 3 });
    const c = loadCsv(p, { labelColumn: 'label', testFraction: 0.25, seed: 4 });
    expect(Array.from(a.split)).toEqual(Array.from(b.split));
    expect(Array.from(a.split)).not.toEqual(Array.from(c.split));
    const test = idsOfSplit(a, 'test').length;
    // 100 expected; 4 binomial standard deviations is about ±35
    expect(test).toBeGreaterThan(65);
    expect(test).toBeLessThan(135);
  });

  it('a missing label column is an error listing the columns', () => {
    const p = csv('nolabel.csv', 'a,b\n1,2\n3,4\n');
    expect(() => loadCsv(p, { labelColumn: 'target' })).toThrow(/nolabel\.csv: no label column "target" \(columns: a, b\)/);
  });

  it('a non-numeric value names the file, line, column and value', () => {
    const p = csv('text.csv', 'a,b,label,split\n1,2,x,train\n3,oops,y,test\n');
    expect(() => loadCsv(p, { labelColumn: 'label' })).toThrow(/text\.csv:3: column "b" is not a number: "oops"/);
  });

  it('an empty feature value is not read as 0', () => {
    const p = csv('empty.csv', 'a,b,label,split\n1,,x,train\n3,4,y,test\n');
    expect(() => loadCsv(p, { labelColumn: 'label' })).toThrow(/empty\.csv:2: column "b" is not a number: ""/);
  });

  it('a bad row is reported with its line number in the file, even after blank lines', () => {
    // line 1 header, 2 data, 3 blank, 4 data, 5 blank, 6 the short row
    const p = csv('short.csv', 'a,b,label,split\n1,2,x,train\n\n3,4,y,test\n\n5,6\n');
    expect(() => loadCsv(p, { labelColumn: 'label' })).toThrow(/short\.csv:6: 2 fields, header has 4/);
    const q = csv('badsplit.csv', 'a,label,split\n1,x,train\n\n\n2,y,validation\n');
    expect(() => loadCsv(q, { labelColumn: 'label' })).toThrow(/badsplit\.csv:5: split must be "train" or "test", got "validation"/);
  });

  it('one class, or no test rows, is an error', () => {
    const one = csv('one.csv', 'a,label,split\n1,x,train\n2,x,test\n');
    expect(() => loadCsv(one, { labelColumn: 'label' })).toThrow(/one\.csv: .*fewer than two classes/);
    const noTest = csv('notest.csv', 'a,label,split\n1,x,train\n2,y,train\n');
    expect(() => loadCsv(noTest, { labelColumn: 'label' })).toThrow(/notest\.csv: needs both train and test rows/);
  });

  it('a missing file is an error naming it', () => {
    expect(() => loadCsv(join(dir, 'absent.csv'), { labelColumn: 'y' })).toThrow(/absent\.csv: cannot read \(ENOENT\)/);
  });
});
