import { describe, expect, it } from 'vitest';
import { featureSize, idsOfSplit } from '../dataset.ts';
import { synthetic } from '../synthetic.ts';
import { rng } from '../../shared/random.ts';
import { convolve3x3, cudaKernels, normalise } from './cuda.ts';
import { applyProtection, parseProtection, protectionOf } from './index.ts';

describe('the CUDA kernel and convolution, by hand', () => {
  it('a 2x3 two-channel image: padding 1, the same kernel on each channel, divided by the max, 255 levels', async () => {
    // channels last: pixel (r, q) holds [channel 0, channel 1]
    const c0 = [[1, 2, 3], [4, 6, 6]];
    const c1 = [[0, 0, 1], [0, 2, 0]];
    const img = [0, 1].flatMap((r) => [0, 1, 2].flatMap((q) => [c0[r][q], c1[r][q]]));
    // 0.5 above, 1 at the centre, 0.25 below-left: out[r][q] = 0.5·x[r−1][q] + x[r][q] + 0.25·x[r+1][q−1]
    const k = [0, 0.5, 0, 0, 1, 0, 0.25, 0, 0];
    const out = convolve3x3(img, [2, 3, 2], k);
    // channel 0: row 0: 1, 2 + 0.25·4, 3 + 0.25·6; row 1: 0.5·1 + 4, 0.5·2 + 6, 0.5·3 + 6
    // channel 1: row 0: 0, 0 + 0.25·0, 1 + 0.25·2; row 1: 0, 0.5·0 + 2, 0.5·1 + 0
    expect(Array.from(out)).toEqual([1, 0, 3, 0, 4.5, 1.5, 4.5, 0, 7, 2, 7.5, 0.5]);
    // The max is 7.5, so level = value / 7.5 · 255 = value · 34.
    const levels = [34, 0, 102, 0, 153, 51, 153, 0, 238, 68, 255, 17];
    expect(Array.from(normalise(out))).toEqual(levels.map((l) => Math.fround(l / 255)));
    // An all-zero image stays all zeros.
    expect(Array.from(normalise(new Float64Array(4)))).toEqual([0, 0, 0, 0]);
  });

  it('kernels: nine entries U(0, blur) from the seed, then one random position set to 1, class after class', async () => {
    const ks = cudaKernels(3, 0.3, 5);
    // The same draws, by the description: per class 9 uniforms scaled by blur, then the position ⌊9u⌋.
    const r = rng(5);
    for (const k of ks) {
      const want = Array.from({ length: 9 }, () => r() * 0.3);
      want[Math.floor(r() * 9)] = 1;
      expect(k).toEqual(want);
      expect(k.filter((v) => v === 1)).toHaveLength(1);
      expect(k.every((v) => v === 1 || (v >= 0 && v < 0.3))).toBe(true);
    }
    expect(cudaKernels(2, 0.1, 5)[0].filter((v) => v !== 1).every((v) => v < 0.1)).toBe(true);
  });
});

/** Bitwise equality of two float arrays (toEqual is slow on thousands of elements). */
const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('protecting a data set', () => {
  const ds = synthetic();
  const d = featureSize(ds.inputShape);
  const source = { name: 'synthetic', hash: 'sha256:test' };
  const run = async (text: string) => {
    const p = await protectionOf(ds, parseProtection(text), source);
    return { p, out: applyProtection(ds, p, 'protected') };
  };

  it('keys by class: every train image is its own class kernel applied; classes differ; the seed changes every kernel', async () => {
    const { p, out } = await run('cuda:seed=7');
    const kernels = (p.key as { kernels: number[][] }).kernels;
    expect(kernels).toEqual(cudaKernels(4, 0.3, 7));
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) expect(kernels[a]).not.toEqual(kernels[b]);
    const other = cudaKernels(4, 0.3, 8);
    for (let c = 0; c < 4; c++) expect(other[c]).not.toEqual(kernels[c]);
    // Two train images of each class: each equals its own class's kernel applied, and not another class's.
    for (let c = 0; c < 4; c++) {
      for (const id of [c, c + 4]) {
        expect(ds.y[id]).toBe(c);
        const img = ds.x.subarray(id * d, (id + 1) * d);
        const got = Array.from(out.x.subarray(id * d, (id + 1) * d));
        expect(got).toEqual(Array.from(normalise(convolve3x3(img, ds.inputShape, kernels[c]))));
        expect(got).not.toEqual(Array.from(normalise(convolve3x3(img, ds.inputShape, kernels[(c + 1) % 4]))));
      }
    }
    // Same seed, same data set: the same pixels.
    expect(same((await run('cuda:seed=7')).out.x, out.x)).toBe(true);
    expect(same((await run('cuda:seed=8')).out.x, out.x)).toBe(false);
  });

  it('changes only train images: the test split, labels and split are untouched; train pixels are k/255 with maximum 1', async () => {
    const { p, out } = await run('cuda:blur=0.5:seed=1');
    expect(p.count).toBe(1200);
    expect(out.y).toBe(ds.y);
    expect(out.split).toBe(ds.split);
    const image = (x: Float32Array, id: number) => x.subarray(id * d, (id + 1) * d);
    expect(idsOfSplit(ds, 'test').every((id) => same(image(out.x, id), image(ds.x, id)))).toBe(true);
    const train = Array.from(idsOfSplit(ds, 'train'));
    expect(train.filter((id) => same(image(out.x, id), image(ds.x, id)))).toEqual([]);
    expect(train.filter((id) => Math.max(...image(out.x, id)) !== 1)).toEqual([]);
    expect(train.filter((id) => image(out.x, id).some((v) => Math.abs(v * 255 - Math.round(v * 255)) > 1e-4))).toEqual([]);
  });

  it('bad specs and data sets are one clear error', async () => {
    expect(() => parseProtection('clusters')).toThrow(/^--method: unknown protection "clusters": use one of cuda, uc \(form: cuda\[:blur=0\.3\]\[:seed=S\] \| uc\[:eps=16\]\[:clusters=10\]\[:steps=200\]\[:seed=S\]\)$/);
    for (const b of ['0', '-0.1', 'NaN', 'abc', '', 'Infinity']) expect(() => parseProtection(`cuda:blur=${b}`)).toThrow(/^--method: cuda: blur .*(not a number|must be a finite number > 0)/);
    expect(() => parseProtection('cuda:seed=1.5')).toThrow(/seed "1\.5" is not an integer/);
    expect(() => parseProtection('cuda:radius=2')).toThrow(/unknown option "radius=2" of cuda/);
    expect(() => parseProtection('cuda:seed=1:seed=2')).toThrow(/seed given twice/);
    expect(parseProtection('cuda')).toEqual({ method: 'cuda', params: { blur: 0.3, seed: 0 } });
    const tabular = { ...ds, name: 'credit.csv', inputShape: [64] };
    await expect(protectionOf(tabular, parseProtection('cuda'), source)).rejects.toThrow(/^--method: cuda protects images \(height × width × channels\); credit\.csv is tabular \(64 features\)$/);
  });
});
