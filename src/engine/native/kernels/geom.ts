// The geometry the addon's convolution and pooling kernels take, from tfjs's own Conv2DInfo
// (so padding, output size and rounding are tfjs's, never recomputed here).
import type { backend_util } from '@tensorflow/tfjs-core';

/** n h w ci oh ow co fh fw sy sx dy dx top left, the order of lethe::ConvGeom. */
export function convGeom(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.of(
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
  );
}
