// The derived data set on disk: written by lethe manipulate, loaded by --data, checked against its source.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { featureSize } from '../dataset.ts';
import { manipulationOf } from '../manipulation.ts';
import { loadData } from '../registry.ts';
import { datasetHash, MANIFEST, writeManipulated } from './manipulated.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-manip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const src = loadData({ name: 'synthetic', trainSize: 1000 });
const write = (name: string, spec: Parameters<typeof manipulationOf>[1]) => {
  const m = manipulationOf(src, spec, { name: 'synthetic', trainSize: 1000, hash: datasetHash(src) });
  writeManipulated(join(dir, name), m);
  return { m, path: join(dir, name) };
};

describe('a manipulated folder', () => {
  it('loads with --data PATH: the recorded ids, labels and patch, the rest of the source as it was', () => {
    const { m, path } = write('poisoned', { kind: 'poison', count: 40, target: 3, seed: 5 });
    const ds = loadData({ name: path });
    expect(ds.name).toBe('poisoned');
    expect(ds.manipulation?.ids).toEqual(m.ids);
    const manipulated = new Set(m.ids);
    // The source's trainSize carries over: ids 1000.. stay out of the train split, as in the source.
    expect(Array.from(ds.split)).toEqual(Array.from(src.split));
    expect(m.ids.every((id) => id < 1000)).toBe(true);
    const d = featureSize(src.inputShape);
    let changedPixels = 0;
    for (let i = 0; i < ds.size; i++) {
      expect(ds.y[i]).toBe(manipulated.has(i) ? 3 : src.y[i]);
      for (let j = 0; j < d; j++) if (ds.x[i * d + j] !== src.x[i * d + j]) changedPixels++;
      // Pixels (5..7, 5..7) of an 8×8 manipulated image are the largest train pixel, 1 on this set.
      if (manipulated.has(i)) for (const r of [5, 6, 7]) for (const c of [5, 6, 7]) expect(ds.x[i * d + r * 8 + c]).toBe(1);
    }
    // At most 9 pixels of each manipulated image change (fewer where the source pixel was 1 already).
    expect(changedPixels).toBeGreaterThan(0);
    expect(changedPixels).toBeLessThanOrEqual(40 * 9);
    expect(Array.from(src.y).filter((_, i) => manipulated.has(i)).some((y) => y !== 3)).toBe(true);
    // A later --train-size applies on top of the source's.
    expect(loadData({ name: path, trainSize: 500 }).manipulation?.ids).toEqual(m.ids);
  });

  it('the record is readable JSON naming the source and its hash; the ids are one line', () => {
    const { path } = write('confused', { kind: 'confuse', classes: [1, 2], count: 10, seed: 1 });
    const text = readFileSync(join(path, MANIFEST), 'utf8');
    const rec = JSON.parse(text);
    expect(rec).toMatchObject({ format: 'lethe-manipulation', version: 1, manipulation: { kind: 'confuse', classes: [1, 2], count: 10, seed: 1, source: { name: 'synthetic', trainSize: 1000, hash: datasetHash(src) } } });
    expect(text).toMatch(/"ids": \[\d+(,\d+){9}\]/);
    expect(loadData({ name: path }).x).toBe(src.x);
  });

  it('a changed source, a tampered record or bad JSON is one clear error', () => {
    const { path } = write('tampered', { kind: 'poison', count: 5, target: 0, seed: 1 });
    const file = join(path, MANIFEST);
    const rec = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...rec, manipulation: { ...rec.manipulation, source: { ...rec.manipulation.source, hash: 'sha256:0' } } }));
    expect(() => loadData({ name: path })).toThrow(/the source synthetic has changed since it was manipulated \(content hash sha256:[0-9a-f]{64}, recorded sha256:0\)/);
    const other = join(dir, 'other');
    writeManipulated(other, { ...rec.manipulation, labels: [0, 0, 0, 0] });
    expect(() => loadData({ name: other })).toThrow(/5 ids but 5 true labels and 4 labels/);
    const broken = join(dir, 'broken');
    writeManipulated(broken, { ...rec.manipulation, kind: 'blur' });
    expect(() => loadData({ name: broken })).toThrow(/manipulation\.json: not a manipulation record: manipulation\.kind/);
    writeFileSync(join(broken, MANIFEST), '{');
    expect(() => loadData({ name: join(dir, 'broken') + '/' })).toThrow(/not a readable JSON record/);
  });
});
