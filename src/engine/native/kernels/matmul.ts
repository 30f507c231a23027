// BatchMatMul and _FusedMatMul (bias + linear/relu) over sgemm.
import { backend_util, BatchMatMul, _FusedMatMul, type BatchMatMulAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { ACT, fusedKernel, lastAxisBias } from './fused.ts';
import { f32, nativeKernel, output, size, type NativeArgs } from './util.ts';

function matmul(args: NativeArgs<BatchMatMulAttrs>, bias: TensorInfo | undefined, act: number): TensorInfo | null {
  const { backend, attrs } = args;
  const { a, b } = args.inputs;
  const av = f32(backend, a);
  const bv = f32(backend, b);
  if (!a || !b || !av || !bv || a.shape.length < 2 || b.shape.length < 2) return null;
  const { transposeA, transposeB } = attrs;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  // Mismatches go to the cpu kernel, which throws tfjs's own message.
  if (k !== kb) return null;
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  let batchShape: number[];
  try {
    batchShape = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return null;
  }
  const batch = size(batchShape);
  // One side broadcast whole, or none; anything subtler (e.g. [2,1] against [1,3]) goes to cpu.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  const biasValues = lastAxisBias(backend, bias, n);
  if (biasValues === undefined) return null;
  const out = output(backend, [...batchShape, m, n]);
  backend.addon.matmul(av, bv, out.values, batch, m, n, k, +transposeA, +transposeB,
    batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n, biasValues, act);
  return out.info;
}

export const batchMatMulConfig = nativeKernel<BatchMatMulAttrs>(BatchMatMul, (args) => matmul(args, undefined, ACT.linear));

export const fusedMatMulConfig = fusedKernel<BatchMatMulAttrs>(_FusedMatMul, matmul);
