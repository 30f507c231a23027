// Gradient of conv2d w.r.t. its filter, for the wasm backend (which ships without it).
//
// dW[kh,kw,ci,co] = Σ_m patch[m](kh,kw,ci) · dy[m,co], m running over (batch, outY, outX).
// We gather the transposed im2col matrix P[K=kh·kw·ci, M] in JS, chunk by chunk of M, and
// let XNNPACK's matmul (wasm's BatchMatMul kernel) sum P·dy → [K, co], which already is
// the filter layout [kH,kW,inC,outC].
// Measured alternatives were slower: transposeA matmuls take wasm's naive loop (~10×),
// per-tap matmuls starve XNNPACK when inC is small, and the conv-with-dilation trick
// pays for three transposes.
import {
  backend_util,
  BatchMatMul,
  Conv2DBackpropFilter,
  getKernel,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Shape4 = [number, number, number, number];

// Patch columns per matmul, as floats of the [K, chunk] patch block (1 MB). Chunks keep
// both operands cache-sized and the wasm heap, which never shrinks, from growing by the
// whole im2col matrix (30 MB for a 128×14×14×32 input); measured 15–35% faster, too.
const CHUNK_FLOATS = 1 << 18;

function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`wasm Conv2DBackpropFilter supports float32 only, got ${x.dtype}/${dy.dtype}`);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(dataFormat));
  // The wasm forward Conv2D is NHWC-only, so an NCHW gradient can never be requested.
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropFilter supports NHWC only, got ${dataFormat}`);
  }
  const { batchSize: n, outHeight: oh, outWidth: ow, outChannels: co } = info;
  if (dy.shape.join() !== [n, oh, ow, co].join()) {
    throw new Error(`dy shape ${dy.shape} does not match conv output [${[n, oh, ow, co]}]`);
  }
  const m = n * oh * ow;
  const k = info.filterHeight * info.filterWidth * info.inChannels;

  const matMul = getKernel(BatchMatMul, 'wasm').kernelFunc;
  const heap = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const sum = new Float32Array(k * co);
  const chunk = Math.max(64, Math.round(CHUNK_FLOATS / k));
  for (let m0 = 0; m0 < m; m0 += chunk) {
    const mc = Math.min(chunk, m - m0);
    // Kernels take whole buffers, so dy's rows for this chunk get one of their own. Fresh
    // buffers every chunk: BatchMatMul caches the packed right operand under its buffer id
    // until that buffer is disposed, so a reused buffer would be multiplied as stale data.
    const patches = backend.makeOutput([k, mc], 'float32');
    const dyChunk = backend.makeOutput([mc, co], 'float32');
    // Views only after allocating: malloc may grow wasm memory and detach older views.
    heap(dyChunk).set(heap(dy).subarray(m0 * co, (m0 + mc) * co));
    gather(heap(x), heap(patches), info, m0, mc);
    const out = matMul({
      inputs: { a: patches, b: dyChunk },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as TensorInfo;
    const o = heap(out);
    for (let i = 0; i < o.length; i++) sum[i] += o[i];
    backend.disposeData(out.dataId);
    backend.disposeData(patches.dataId);
    backend.disposeData(dyChunk.dataId);
  }
  // [K, outC] with K = (kh, kw, ci) is already the filter layout [kH, kW, inC, outC].
  const result = backend.makeOutput([...filterShape], 'float32');
  heap(result).set(sum);
  return result;
}

/** Writes columns m0 … m0+mc of the transposed im2col matrix into p, as [K, mc]. */
function gather(xv: Float32Array, p: Float32Array, info: backend_util.Conv2DInfo, m0: number, mc: number) {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sy, strideWidth: sx } = info;
  const { top, left } = info.padInfo;
  for (let ky = 0; ky < fh; ky++) {
    for (let kx = 0; kx < fw; kx++) {
      const row = (ky * fw + kx) * c * mc;
      // Walk (batch, oy, ox) of columns m0…; ci is innermost so reads of x are contiguous.
      let ox = m0 % ow;
      let oy = Math.floor(m0 / ow) % oh;
      let b = Math.floor(m0 / (ow * oh));
      for (let j = 0; j < mc; j++) {
        const iy = oy * sy + ky - top;
        const ix = ox * sx + kx - left;
        if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
          for (let ci = 0, d = row + j; ci < c; ci++, d += mc) p[d] = 0;
        } else {
          const src = ((b * h + iy) * w + ix) * c;
          for (let ci = 0, d = row + j; ci < c; ci++, d += mc) p[d] = xv[src + ci];
        }
        if (++ox === ow) {
          ox = 0;
          if (++oy === oh) {
            oy = 0;
            b++;
          }
        }
      }
    }
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};

