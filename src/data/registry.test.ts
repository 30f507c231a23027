import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES, FORMATS } from './formats/index.ts';
import { BUILTIN_DATA, DATA_SETS, MINI_DIR, dataAvailable, loadData } from './registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('built-in data sets', () => {
  it('BUILTIN_DATA is name → description, derived from DATA_SETS', () => {
    expect(Object.keys(BUILTIN_DATA)).toEqual(['fashion-mnist', 'fashion-mnist-mini', 'diabetes', 'synthetic']);
    for (const [name, d] of Object.entries(DATA_SETS)) expect(BUILTIN_DATA[name as keyof typeof BUILTIN_DATA]).toBe(d.description);
  });

  it('dataAvailable: the committed subset and synthetic always, unknown names never', () => {
    expect(dataAvailable('fashion-mnist-mini')).toBe(true);
    expect(dataAvailable('synthetic')).toBe(true);
    expect(dataAvailable('nope')).toBe(false);
    expect(dataAvailable('constructor')).toBe(false);
  });

  it('each loads under its own name', () => {
    expect(loadData({ name: 'synthetic' }).name).toBe('synthetic');
    expect(loadData({ name: 'fashion-mnist-mini' }).name).toBe('fashion-mnist-mini');
  });
});

describe('paths: the format map', () => {
  it('has one entry per format, named by its key', () => {
    expect(FORMAT_NAMES).toEqual(['csv', 'derived', 'idx']);
    for (const n of FORMAT_NAMES) expect(FORMATS[n].name).toBe(n);
  });

  it('a folder is read as IDX, a .csv file as CSV', () => {
    expect(loadData({ name: MINI_DIR }).size).toBe(4000);
    const p = join(dir, 'two.CSV');
    writeFileSync(p, 'a,y,split\n1,0,train\n2,1,train\n3,0,test\n');
    const ds = loadData({ name: p, labelColumn: 'y' });
    expect([ds.size, ds.numClasses]).toEqual([3, 2]);
  });

  it('unknown names, other files and a CSV without --label-column are errors', () => {
    expect(() => loadData({ name: join(dir, 'none') })).toThrow(/^unknown data set ".*none": not one of fashion-mnist, fashion-mnist-mini, diabetes, synthetic, and no such file or folder$/);
    const txt = join(dir, 'data.txt');
    writeFileSync(txt, '1\n');
    expect(() => loadData({ name: txt })).toThrow(/^.*data\.txt: data files must be \.csv, or a folder written by lethe manipulate or lethe protect, or a folder of IDX files$/);
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'a,y\n1,0\n');
    expect(() => loadData({ name: csv })).toThrow(/x\.csv: a CSV data set needs --label-column NAME \(classification\) or --target-column NAME \(regression\)$/);
  });
});
