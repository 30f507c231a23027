// Gradient of conv2d w.r.t. its input, for the wasm backend. It replaces the built-in kernel,
// a scalar C++ loop nest that takes 8–9× the time of the forward conv (277 ms vs 32 ms for dy of
// x=[128,14,14,32] → conv64 3×3), which made it the slowest step of training a small CNN.
//
// Transposed convolution as forward convolution, run by wasm's own (XNNPACK) Conv2D kernel.
// Along one axis, with stride s, filter size k and leading pad t, the forward conv reads
// x[oy·s + ky − t]; so dx[iy] = Σ dy[oy]·w[ky] over oy·s + ky = iy + t. Split dx rows by the
// phase p = (iy + t) mod s and write iy + t = q·s + p: only the taps ky = p + j·s (j < J_p)
// reach that phase, from dy row q − j. That is a stride-1 correlation of dy with the
// sub-filter of those taps, reversed. So dx is s_h·s_w stride-1 convs of the undilated dy,
// whose outputs interleave into dx; for stride 1 it is one conv whose output already is dx.
// Each sub-filter also swaps the filter's channel axes: [J_y, J_x, outC, inC].
// XNNPACK has a deconvolution operator, but tfjs-wasm does not export it. Measured
// alternatives for stride 2 were slower (x=[128,28,28,16], 3×3 conv32, CPU ms): phases 15,
// dy dilated with zeros then one conv 32 (s² the multiply-adds), dy·Wᵀ matmul plus a col2im
// scatter-add in JS 125, the built-in 97. At stride 1, phases and dilation are one same conv.
import {
  backend_util,
  Conv2D,
  Conv2DBackpropInput,
  getKernel,
  type Conv2DAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Shape4 = [number, number, number, number];

/** One phase of one spatial axis: which dx rows it yields, and the conv that computes them. */
interface Phase {
  /** Taps of the filter that reach this phase: ky = p + j·s, j < taps. */
  p: number;
  taps: number;
  /** Conv padding before/after dy; both ≥ 0, as XNNPACK takes no negative padding. */
  padBefore: number;
  padAfter: number;
  /** Rows of the conv output; row r is dx row first + (r − skip)·s, kept for skip ≤ r < skip + count. */
  size: number;
  skip: number;
  count: number;
  first: number;
}

/**
 * The phases of one axis with dx size `n`, dy size `d`, filter size `k`, stride `s`, leading
 * pad `t`; phases without taps are left out (their dx rows are zero), as are those without rows.
 */
function phases(n: number, d: number, k: number, s: number, t: number): Phase[] {
  const out: Phase[] = [];
  for (let p = 0; p < Math.min(s, k); p++) {
    const taps = Math.ceil((k - p) / s);
    // dx row iy = q·s + p − t for q in [qMin, qMax].
    const qMin = Math.ceil((t - p) / s);
    const qMax = Math.floor((n - 1 + t - p) / s);
    if (qMax < qMin) continue;
    // Conv output row r is q = q0 + r and reads dy rows q − taps + 1 … q, i.e. pads
    // taps − 1 − q0 rows before dy. Start no later than needed and no earlier than padding
    // 0 allows; likewise end no earlier than padding 0 after dy allows. Extra rows (only
    // when pads exceed the filter) are computed and dropped.
    const q0 = Math.min(qMin, taps - 1);
    const padBefore = taps - 1 - q0;
    const size = Math.max(qMax - q0 + 1, d + padBefore - taps + 1);
    const padAfter = size - d - padBefore + taps - 1;
    out.push({ p, taps, padBefore, padAfter, size, skip: qMin - q0, count: qMax - qMin + 1, first: qMin * s + p - t });
  }
  return out;
}

function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    throw new Error(`wasm Conv2DBackpropInput supports float32 only, got ${dy.dtype}/${filter.dtype}`);
  }
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(dataFormat));
  // Neither the wasm forward Conv2D (so no conv2d gradient) nor conv2dTranspose is ever NCHW.
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropInput supports NHWC only, got ${dataFormat}`);
  }
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  if (dy.shape.join() !== [b, oh, ow, co].join()) {
    throw new Error(`dy shape ${dy.shape} does not match conv output [${[b, oh, ow, co]}]`);
  }
  const { filterHeight: fh, filterWidth: fw, strideHeight: sy, strideWidth: sx } = info;
  const rows = phases(h, oh, fh, sy, info.padInfo.top);
  const cols = phases(w, ow, fw, sx, info.padInfo.left);
  const heap = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const f = heap(filter).slice();

  const identity = (ph: Phase[], n: number) =>
    ph.length === 1 && ph[0].skip === 0 && ph[0].count === n && ph[0].size === n;
  if (identity(rows, h) && identity(cols, w)) {
    // Stride 1 with pads no larger than the filter: the conv output is dx.
    return phaseConv(backend, dy, f, info, rows[0], cols[0]);
  }

  const dx = backend.makeOutput([b, h, w, ci], 'float32');
  // Rows or columns no tap reaches, for instance the odd ones of a 1×1 stride-2 conv, stay 0.
  heap(dx).fill(0);
  for (const r of rows) {
    for (const c of cols) {
      const y = phaseConv(backend, dy, f, info, r, c);
      // Views only now: allocations may grow wasm memory and detach older views.
      scatter(heap(y), heap(dx), r, c, b, h, w, ci, sy, sx);
      backend.disposeData(y.dataId);
    }
  }
  return dx;
}

/** The phase (r, c) of dx as [batch, r.size, c.size, inC], by wasm's forward Conv2D kernel. */
function phaseConv(
  backend: BackendWasm, dy: TensorInfo, f: Float32Array, info: backend_util.Conv2DInfo, r: Phase, c: Phase,
): TensorInfo {
  const { inChannels: ci, outChannels: co, filterWidth: fw, strideHeight: sy, strideWidth: sx } = info;
  // sub[ty, tx, o, i] = f[r.p + (r.taps − 1 − ty)·sy, c.p + (c.taps − 1 − tx)·sx, i, o]
  const sub = backend.makeOutput([r.taps, c.taps, co, ci], 'float32');
  const sv = backend.typedArrayFromHeap(sub) as Float32Array;
  for (let ty = 0, d = 0; ty < r.taps; ty++) {
    const ky = r.p + (r.taps - 1 - ty) * sy;
    for (let tx = 0; tx < c.taps; tx++) {
      const kx = c.p + (c.taps - 1 - tx) * sx;
      const tap = (ky * fw + kx) * ci * co;
      for (let o = 0; o < co; o++) {
        for (let i = 0, s = tap + o; i < ci; i++, s += co) sv[d++] = f[s];
      }
    }
  }
  const attrs = {
    strides: 1,
    pad: [[0, 0], [r.padBefore, r.padAfter], [c.padBefore, c.padAfter], [0, 0]],
    dataFormat: 'NHWC',
    dilations: 1,
  } satisfies Conv2DAttrs;
  try {
    // Fresh filter buffer every call: XNNPACK's conv caches its operator (with the packed
    // filter) under the filter's buffer id and frees it when that buffer is disposed.
    return getKernel(Conv2D, 'wasm').kernelFunc({ inputs: { x: dy, filter: sub }, backend, attrs }) as TensorInfo;
  } finally {
    backend.disposeData(sub.dataId);
  }
}

/** Copies the kept rows/columns of a phase output y [b, r.size, c.size, ci] into dx [b, h, w, ci]. */
function scatter(
  y: Float32Array, dx: Float32Array, r: Phase, c: Phase, b: number, h: number, w: number, ci: number, sy: number, sx: number,
) {
  const run = c.count * ci;
  for (let n = 0; n < b; n++) {
    for (let j = 0; j < r.count; j++) {
      let src = ((n * r.size + r.skip + j) * c.size + c.skip) * ci;
      const dst = ((n * h + r.first + j * sy) * w + c.first) * ci;
      if (sx === 1) {
        dx.set(y.subarray(src, src + run), dst);
        continue;
      }
      const step = sx * ci;
      for (let k = 0, d = dst; k < c.count; k++, d += step) {
        for (let i = 0; i < ci; i++) dx[d + i] = y[src++];
      }
    }
  }
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
