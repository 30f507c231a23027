// TensorFlow.js ↔ ONNX memory layouts, as pure functions on flat Float32Arrays (row-major, no TensorFlow.js):
// images NHWC ↔ NCHW, convolution kernels HWIO (TF.js) ↔ OIHW (ONNX, PyTorch), and TensorFlow's 'same' padding.

export type Shape4 = readonly [number, number, number, number];

/** A rank-4 array of shape `shape` with its axes reordered: axis i of the result is axis perm[i] of the input. */
export function transpose4(data: ArrayLike<number>, shape: Shape4, perm: Shape4): Float32Array {
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  if (data.length !== size) throw new Error(`transpose: ${data.length} values for shape [${shape.join(',')}]`);
  if ([...perm].sort().join() !== '0,1,2,3') throw new Error(`transpose: bad permutation [${perm.join(',')}]`);
  const stride = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const outShape = perm.map((p) => shape[p]);
  // The input stride of each output axis.
  const s = perm.map((p) => stride[p]);
  const out = new Float32Array(size);
  let o = 0;
  for (let a = 0; a < outShape[0]; a++) {
    for (let b = 0; b < outShape[1]; b++) {
      for (let c = 0; c < outShape[2]; c++) {
        const base = a * s[0] + b * s[1] + c * s[2];
        for (let d = 0; d < outShape[3]; d++) out[o++] = data[base + d * s[3]];
      }
    }
  }
  return out;
}

/** Images [n, h, w, c] (TF.js) → [n, c, h, w] (ONNX, PyTorch). */
export const nhwcToNchw = (data: ArrayLike<number>, [n, h, w, c]: Shape4) => transpose4(data, [n, h, w, c], [0, 3, 1, 2]);
/** Images [n, c, h, w] → [n, h, w, c]. */
export const nchwToNhwc = (data: ArrayLike<number>, [n, c, h, w]: Shape4) => transpose4(data, [n, c, h, w], [0, 2, 3, 1]);
/** A Conv2D kernel [kh, kw, in, out] (TF.js) → [out, in, kh, kw] (ONNX Conv's W). */
export const hwioToOihw = (data: ArrayLike<number>, [kh, kw, ci, co]: Shape4) => transpose4(data, [kh, kw, ci, co], [3, 2, 0, 1]);
/** An ONNX Conv kernel [out, in, kh, kw] → [kh, kw, in, out] (TF.js). */
export const oihwToHwio = (data: ArrayLike<number>, [co, ci, kh, kw]: Shape4) => transpose4(data, [co, ci, kh, kw], [2, 3, 1, 0]);

/** TensorFlow's 'same' padding along one axis: [before, after], the odd extra after. */
export function samePads(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const eff = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + eff - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
