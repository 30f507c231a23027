// Shared by the convolution tests (wasm and native kernels): the grid of convolution cases
// each of them starts from, before its own odd shapes.

/** A convolution case: input [batch, h, w, inC], a k × k filter to outC channels. */
export interface ConvCase<K = number, Stride = number, Pad = 'same' | 'valid'> {
  batch: number;
  h: number;
  w: number;
  inC: number;
  outC: number;
  k: K;
  stride: Stride;
  pad: Pad;
}

/**
 * Every stride × padding × filter size (1, 3, 5) × input parity (7, 8), with batch, inC and
 * outC cycling so each of their values meets each of the others.
 */
export function convGrid(strides: readonly number[]): ConvCase[] {
  const cases: ConvCase[] = [];
  for (const stride of strides)
    for (const pad of ['same', 'valid'] as const)
      for (const k of [1, 3, 5])
        for (const size of [7, 8]) {
          const i = cases.length;
          cases.push({ batch: [1, 3][i % 2], h: size, w: size, inC: [1, 3][(i >> 1) % 2], outC: [2, 4][(i >> 2) % 2], k, stride, pad });
        }
  return cases;
}
