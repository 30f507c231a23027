// MaxPool and MaxPoolGrad, NHWC. The gradient goes to the first maximum of each window in
// row-major window order, tfjs's tie rule (it matters: after a ReLU, windows of zeros are common).
import { backend_util, MaxPool, MaxPoolGrad, type MaxPoolAttrs, type MaxPoolGradAttrs } from '@tensorflow/tfjs-core';
import { convGeom } from './geom.ts';
import { f32, nativeKernel, output } from './util.ts';

type Shape4 = [number, number, number, number];

export const maxPoolConfig = nativeKernel<MaxPoolAttrs>(MaxPool, ({ inputs, backend, attrs }) => {
  const { x } = inputs;
  const xv = f32(backend, x);
  if (!x || !xv || x.shape.length !== 4) return null;
  const info = backend_util.computePool2DInfo(x.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const out = output(backend, info.outShape);
  backend.addon.maxPool(xv, out.values, convGeom(info));
  return out.info;
});

export const maxPoolGradConfig = nativeKernel<MaxPoolGradAttrs>(MaxPoolGrad, ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs;
  const dyv = f32(backend, dy);
  const xv = f32(backend, input);
  if (!dy || !input || !dyv || !xv || input.shape.length !== 4) return null;
  const info = backend_util.computePool2DInfo(input.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  if (dy.shape.join() !== info.outShape.join()) return null;
  const out = output(backend, [...input.shape]);
  backend.addon.maxPoolGrad(dyv, xv, out.values, convGeom(info));
  return out.info;
});
