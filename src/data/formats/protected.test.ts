// The protected copy on disk: written by lethe protect, loaded by --data, checked against its source and its own hash.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { featureSize, idsOfSplit } from '../dataset.ts';
import { parseProtection } from '../protect/index.ts';
import { loadData } from '../registry.ts';
import { datasetHash } from './derived.ts';
import { writeManipulated } from './manipulated.ts';
import { protect, PROTECTION_FILE, writeProtected } from './protected.ts';

const dir = mkdtempSync(join(tmpdir(), 'lethe-protect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const src = loadData({ name: 'synthetic', trainSize: 1000 });
const d = featureSize(src.inputShape);
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const write = async (name: string, spec = 'cuda:seed=3') => {
  const path = join(dir, name);
  const out = await protect(src, parseProtection(spec), { name: 'synthetic', trainSize: 1000, hash: datasetHash(src) }, name);
  writeProtected(path, out.protection);
  return { out, path, file: join(path, PROTECTION_FILE) };
};
const edit = (file: string, f: (p: Record<string, any>) => void) => {
  const rec = JSON.parse(readFileSync(file, 'utf8'));
  f(rec.protection);
  writeFileSync(file, JSON.stringify(rec));
};

describe('a protected folder', () => {
  it('round trip: --data PATH loads the same pixels, the record, and the source as it was outside its train split', async () => {
    const { out, path, file } = await write('cuda');
    const ds = loadData({ name: path });
    expect(ds.name).toBe('cuda');
    expect(bytes(ds.x).equals(bytes(out.x))).toBe(true);
    expect(ds.protection).toEqual(out.protection);
    expect(datasetHash(ds)).toBe(out.protection.hash);
    expect(ds.protection).toMatchObject({ method: 'cuda', params: { blur: 0.3, seed: 3 }, count: 1000, source: { name: 'synthetic', trainSize: 1000 } });
    // The source's train size carries over: ids 1000..1199 were never train samples, and stay as they were.
    expect(Array.from(ds.split)).toEqual(Array.from(src.split));
    const train = new Set(idsOfSplit(src, 'train'));
    let changed = 0;
    for (let id = 0; id < src.size; id++) {
      const same = bytes(ds.x.subarray(id * d, (id + 1) * d)).equals(bytes(src.x.subarray(id * d, (id + 1) * d)));
      if (!same) changed++;
      if (!train.has(id)) expect(same).toBe(true);
    }
    expect(changed).toBe(1000);
    expect(ds.y).toEqual(src.y);
    // The record is readable JSON: the kernels one line each.
    expect(readFileSync(file, 'utf8')).toMatch(/"kernels": \[\n\s+\[[\d.e-]+(,[\d.e-]+){8}\],/);
    // Another seed is another protected copy.
    expect(bytes(loadData({ name: (await write('cuda-7', 'cuda:seed=7')).path }).x).equals(bytes(ds.x))).toBe(false);
  });

  it('tampering is one clear error: a kernel, the result hash, the source hash, the parameters, the method', async () => {
    const cases: [string, (p: Record<string, any>) => void, RegExp][] = [
      ['kernel', (p) => (p.key.kernels[2][0] += 0.01), /protection\.json: the kernel of class 2 is not the one blur=0\.3, seed=3 make$/],
      ['hash', (p) => (p.hash = 'sha256:0'), /protection\.json: the record applied to synthetic gives content hash sha256:[0-9a-f]{64}, but it records sha256:0$/],
      ['source', (p) => (p.source.hash = 'sha256:1'), /protection\.json: the source synthetic has changed since it was protected \(content hash sha256:[0-9a-f]{64}, recorded sha256:1\)$/],
      ['blur', (p) => (p.params.blur = -1), /protection\.json: cuda parameters: blur: /],
      ['count', (p) => (p.count = 1200), /protection\.json: the source has 1000 train samples, the record protected 1200$/],
      ['method', (p) => (p.method = 'clusters'), /protection\.json: not a protection record: protection\.method: /],
    ];
    for (const [name, f, want] of cases) {
      const { path, file } = await write(`tampered-${name}`);
      edit(file, f);
      expect(() => loadData({ name: path }), name).toThrow(want);
    }
  });

  it('a folder with two records is an error; a manipulated folder still loads as before', async () => {
    const { path } = await write('both');
    writeManipulated(path, { kind: 'confuse', classes: [0, 1], count: 2, seed: 0, ids: [0, 1], trueLabels: [0, 1], labels: [1, 0], source: { name: 'synthetic', hash: datasetHash(loadData({ name: 'synthetic' })) } });
    expect(() => loadData({ name: path })).toThrow(/holds manipulation\.json and protection\.json: a derived data set holds one record$/);
    rmSync(join(path, PROTECTION_FILE));
    expect(Array.from(loadData({ name: path + '/' }).y.slice(0, 2))).toEqual([1, 0]);
  });

  it('a derived data set cannot be protected again: protect its source', async () => {
    const { path } = await write('once');
    await expect(protect(loadData({ name: path }), parseProtection('cuda'), { name: path, hash: 'x' }, 'twice')).rejects.toThrow(/^--method: once is already a derived data set \(of synthetic\): protect its source$/);
  });
});
