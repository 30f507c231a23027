// Gradient of conv2d w.r.t. its filter, for the wasm backend (which ships without it).
//
// dW[kh,kw,ci,co] = Σ_m patch[m](kh,kw,ci) · dy[m,co], m running over (batch, outY, outX).
// We gather the transposed im2col matrix P[K=kh·kw·ci, M] in JS, then let XNNPACK do one
// matmul P·dy → [K, co], which already is the filter layout [kH,kW,inC,outC].
// Measured alternatives were slower: transposeA matmuls take wasm's naive loop (~10×),
// per-tap matmuls starve XNNPACK when inC is small, and the conv-with-dilation trick
// pays for three transposes.
import {
  backend_util,
  BatchMatMul,
  Conv2DBackpropFilter,
  getKernel,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Shape4 = [number, number, number, number];

function conv2DBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
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
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sy, strideWidth: sx, outChannels: co } = info;
  if (dy.shape.join() !== [n, oh, ow, co].join()) {
    throw new Error(`dy shape ${dy.shape} does not match conv output [${[n, oh, ow, co]}]`);
  }
  const m = n * oh * ow;
  const k = fh * fw * c;

  // Allocate before taking heap views: malloc may grow wasm memory and detach older views.
  const patches = backend.makeOutput([k, m], 'float32');
  const p = backend.typedArrayFromHeap(patches) as Float32Array;
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let ky = 0; ky < fh; ky++) {
    for (let kx = 0; kx < fw; kx++) {
      // Output columns whose input column ox·sx + kx − left lies inside [0, w).
      const oxLo = Math.min(ow, Math.max(0, Math.ceil((left - kx) / sx)));
      const oxHi = Math.max(oxLo, Math.min(ow, Math.ceil((w + left - kx) / sx)));
      for (let ci = 0; ci < c; ci++) {
        let dst = ((ky * fw + kx) * c + ci) * m;
        for (let b = 0; b < n; b++) {
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sy + ky - top;
            if (iy < 0 || iy >= h) {
              p.fill(0, dst, dst + ow);
              dst += ow;
              continue;
            }
            p.fill(0, dst, dst + oxLo);
            let src = ((b * h + iy) * w + oxLo * sx + kx - left) * c + ci;
            const step = sx * c;
            for (let ox = oxLo; ox < oxHi; ox++, src += step) p[dst + ox] = xv[src];
            p.fill(0, dst + oxHi, dst + ow);
            dst += ow;
          }
        }
      }
    }
  }

  const matMul = getKernel(BatchMatMul, 'wasm').kernelFunc;
  // A view of dy as [M, outC]; BatchMatMul takes and releases its own reference.
  const dy2d: TensorInfo = { dataId: dy.dataId, shape: [m, co], dtype: 'float32' };
  const out = matMul({
    inputs: { a: patches, b: dy2d },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
  backend.disposeData(patches.dataId);
  return { dataId: out.dataId, shape: [...filterShape], dtype: 'float32' };
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
