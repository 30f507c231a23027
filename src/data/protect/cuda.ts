// CUDA: class-wise keyed convolutions make training data unlearnable (Sadasivan, Soltanolkotabi, Feizi,
// "CUDA: Convolution-based Unlearnable Datasets", CVPR 2023). Reimplemented from the paper's description.
import { z } from 'zod';
import { featureSize } from '../dataset.ts';
import { rng } from '../../shared/random.ts';
import type { ProtectionMethod } from './method.ts';

const Params = z.object({ blur: z.number().gt(0).finite(), seed: z.number().int() }).strict();
export type CudaParams = z.infer<typeof Params>;
/** One 3×3 kernel per class, row-major (kernel[c][3 * row + col]). */
const Key = z.object({ kernels: z.array(z.array(z.number().min(0).finite()).length(9)) }).strict();
export type CudaKey = z.infer<typeof Key>;

/** The value of the one position of each kernel that is set, the paper's centre parameter. */
export const CENTRE = 1;

/**
 * The kernel of each class, from one seeded stream: for class 0, 1, … in turn, nine entries U(0, blur) in
 * row-major order, then the position (⌊9u⌋) set to the centre parameter.
 */
export function cudaKernels(numClasses: number, blur: number, seed: number): number[][] {
  const random = rng(seed);
  return Array.from({ length: numClasses }, () => {
    const k = Array.from({ length: 9 }, () => random() * blur);
    k[Math.floor(random() * 9)] = CENTRE;
    return k;
  });
}

/**
 * One image (h × w × c, channels last, as Dataset stores it) convolved with a 3×3 kernel, the same kernel on every
 * channel, zero padding 1, no bias: out[r][q] = Σ_ij k[i][j] · x[r+i−1][q+j−1] (cross-correlation, as deep-learning
 * convolutions are). Float64, so the result does not depend on summation precision.
 */
export function convolve3x3(img: ArrayLike<number>, shape: readonly number[], kernel: readonly number[]): Float64Array {
  const [h, w, c] = shape;
  const out = new Float64Array(h * w * c);
  for (let r = 0; r < h; r++) {
    for (let q = 0; q < w; q++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let i = 0; i < 3; i++) {
          const rr = r + i - 1;
          if (rr < 0 || rr >= h) continue;
          for (let j = 0; j < 3; j++) {
            const qq = q + j - 1;
            if (qq < 0 || qq >= w) continue;
            s += kernel[3 * i + j] * img[(rr * w + qq) * c + ch];
          }
        }
        out[(r * w + q) * c + ch] = s;
      }
    }
  }
  return out;
}

/** Pixel levels of the output: features are on [0, 1] as the IDX loader's v/255, so 8-bit images stay 8-bit. */
export const LEVELS = 255;

/** Divides by the image's maximum (over every channel) and rounds to the nearest of LEVELS + 1 levels of [0, 1]. */
export function normalise(v: Float64Array): Float32Array {
  let max = 0;
  for (const x of v) if (x > max) max = x;
  // An all-zero image convolves to all zeros and stays so (nothing to divide by).
  const scale = max > 0 ? 1 / max : 0;
  return Float32Array.from(v, (x) => Math.round(x * scale * LEVELS) / LEVELS);
}

export const cuda: ProtectionMethod<CudaParams, CudaKey> = {
  name: 'cuda',
  summary: 'per class a seeded 3x3 kernel (entries U(0, blur), one random position 1.0) convolved with every train image of that class, the same kernel on each channel, padding 1; then divided by the image maximum and quantised to 255 levels',
  form: 'cuda[:blur=0.3][:seed=S]',
  paper: 'Sadasivan, Soltanolkotabi, Feizi, "CUDA: Convolution-based Unlearnable Datasets", CVPR 2023',
  options: ['blur', 'seed'],
  params: Params,
  key: Key,
  parse(o, { num, int }) {
    const blur = o.blur === undefined ? 0.3 : num(o.blur, 'blur');
    if (!(blur > 0) || !Number.isFinite(blur)) throw new Error(`blur must be a finite number > 0, got ${o.blur}`);
    return { blur, seed: o.seed === undefined ? 0 : int(o.seed, 'seed') };
  },
  describe: (p) => `cuda:blur=${p.blur}:seed=${p.seed}`,
  makeKey: (ds, p) => ({ kernels: cudaKernels(ds.numClasses, p.blur, p.seed) }),
  checkKey(ds, p, k) {
    if (k.kernels.length !== ds.numClasses) throw new Error(`${k.kernels.length} kernels for ${ds.numClasses} classes`);
    // The kernels are the key the seed makes: a record whose kernels another seed made is not this protection.
    const want = cudaKernels(ds.numClasses, p.blur, p.seed);
    const c = k.kernels.findIndex((kc, i) => kc.some((v, j) => v !== want[i][j]));
    if (c >= 0) throw new Error(`the kernel of class ${c} is not the one blur=${p.blur}, seed=${p.seed} make`);
  },
  protect(ds, train, _p, k) {
    const d = featureSize(ds.inputShape);
    const x = Float32Array.from(ds.x);
    for (const id of train) x.set(normalise(convolve3x3(ds.x.subarray(id * d, (id + 1) * d), ds.inputShape, k.kernels[ds.y[id]])), id * d);
    return x;
  },
};
