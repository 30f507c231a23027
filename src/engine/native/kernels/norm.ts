// FusedBatchNorm and Tile, which batch norm's forward pass and gradient run on every
// activation; the cpu backend's generic Tile costs more than resnet-mini's convolutions.
import { FusedBatchNorm, Tile, type FusedBatchNormAttrs, type TileAttrs } from '@tensorflow/tfjs-core';
import { f32, nativeKernel, output, size } from './util.ts';

export const fusedBatchNormConfig = nativeKernel<FusedBatchNormAttrs>(FusedBatchNorm, ({ inputs, backend, attrs }) => {
  const { x, mean, variance, offset, scale } = inputs;
  const xv = f32(backend, x);
  const mv = f32(backend, mean);
  const vv = f32(backend, variance);
  const ov = offset ? f32(backend, offset) : null;
  const sv = scale ? f32(backend, scale) : null;
  if (!x || !xv || !mv || !vv || (offset && !ov) || (scale && !sv) || xv.length === 0) return null;
  if (mv.length === 0 || vv.length === 0 || ov?.length === 0 || sv?.length === 0) return null;
  const out = output(backend, [...x.shape]);
  backend.addon.batchNorm(xv, mv, vv, ov, sv, attrs.varianceEpsilon ?? 0.001, out.values);
  return out.info;
});

export const tileConfig = nativeKernel<TileAttrs>(Tile, ({ inputs, backend, attrs }) => {
  const { x } = inputs;
  const xv = f32(backend, x);
  const { reps } = attrs;
  if (!x || !xv || x.shape.length > 8 || reps.length !== x.shape.length || size(x.shape) === 0 || reps.some((r) => r < 1)) return null;
  const out = output(backend, x.shape.map((d, i) => d * reps[i]));
  backend.addon.tile(xv, Float64Array.from(x.shape), Float64Array.from(reps), out.values);
  return out.info;
});
