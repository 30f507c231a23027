// Conv2D, FusedConv2D and both gradients, NHWC (the only layout our models use), as
// im2col + sgemm in the addon. Geometry comes from tfjs's computeConv2DInfo.
import {
  backend_util, Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, FusedConv2D,
  type Conv2DAttrs, type Conv2DBackpropFilterAttrs, type Conv2DBackpropInputAttrs, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convGeom } from './geom.ts';
import { ACT, fusedKernel, lastAxisBias } from './fused.ts';
import { f32, nativeKernel, output, type NativeArgs } from './util.ts';

type Shape4 = [number, number, number, number];

function conv(args: NativeArgs<Conv2DAttrs>, bias: TensorInfo | undefined, act: number): TensorInfo | null {
  const { backend, attrs } = args;
  const { x, filter } = args.inputs;
  const xv = f32(backend, x);
  const fv = f32(backend, filter);
  if (!x || !filter || !xv || !fv || x.shape.length !== 4 || filter.shape.length !== 4) return null;
  const format = backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (format !== 'channelsLast') return null;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, attrs.strides, attrs.dilations,
    attrs.pad, attrs.dimRoundingMode, false, format);
  if (info.inChannels !== filter.shape[2]) return null;
  const bv = lastAxisBias(backend, bias, info.outChannels);
  if (bv === undefined) return null;
  const out = output(backend, info.outShape);
  backend.addon.conv2d(xv, fv, out.values, convGeom(info), bv, act);
  return out.info;
}

export const conv2DConfig = nativeKernel<Conv2DAttrs>(Conv2D, (args) => conv(args, undefined, ACT.linear));

export const fusedConv2DConfig = fusedKernel<Conv2DAttrs>(FusedConv2D, conv);

export const conv2DBackpropInputConfig = nativeKernel<Conv2DBackpropInputAttrs>(Conv2DBackpropInput, ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  const dyv = f32(backend, dy);
  const fv = f32(backend, filter);
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs;
  if (!dy || !filter || !dyv || !fv || inputShape.length !== 4 || filter.shape.length !== 4) return null;
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') return null;
  const info = backend_util.computeConv2DInfo(inputShape as Shape4, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false, format);
  if (dy.shape.join() !== info.outShape.join() || info.inChannels !== filter.shape[2]) return null;
  const out = output(backend, [...inputShape]);
  backend.addon.conv2dBackpropInput(dyv, fv, out.values, convGeom(info));
  return out.info;
});

export const conv2DBackpropFilterConfig = nativeKernel<Conv2DBackpropFilterAttrs>(Conv2DBackpropFilter, ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  const xv = f32(backend, x);
  const dyv = f32(backend, dy);
  const { filterShape, strides, pad, dataFormat, dimRoundingMode } = attrs;
  if (!x || !dy || !xv || !dyv || x.shape.length !== 4 || filterShape.length !== 4) return null;
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') return null;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, format);
  if (dy.shape.join() !== info.outShape.join() || info.inChannels !== filterShape[2]) return null;
  const out = output(backend, [...filterShape]);
  backend.addon.conv2dBackpropFilter(xv, dyv, out.values, convGeom(info));
  return out.info;
});
