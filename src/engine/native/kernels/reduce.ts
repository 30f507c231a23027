// Sum, Mean and Max over leading or trailing axes (a dense layer's bias gradient sums over
// the batch, batch norm over N·H·W, softmax over the classes), without the cpu backend's
// transpose. Sums run in double in index order, as the cpu backend's do.
import { backend_util, Max, Mean, Sum, util, type MaxAttrs, type MeanAttrs, type SumAttrs } from '@tensorflow/tfjs-core';
import { f32, nativeKernel, output, size, type NativeArgs } from './util.ts';

export interface ReducePlan {
  outShape: number[];
  outer: number;
  inner: number;
  /** True: reduce the inner (trailing) block; false: the outer (leading) one. */
  innerAxis: boolean;
}

/** The reduction as [outer, inner] with one block reduced, or null for other axis sets. */
export function planReduce(shape: readonly number[], axis: number | number[] | undefined, keepDims: boolean): ReducePlan | null {
  const axes = util.parseAxisParam((axis ?? null) as number[], [...shape]).sort((p, q) => p - q);
  if (axes.length === 0 || size(shape) === 0) return null;
  // Axes of size 1 can be counted on either side, so only the others decide.
  const reduced = new Set(axes);
  const big = shape.map((d, i) => ({ d, r: reduced.has(i) })).filter((e) => e.d !== 1);
  const firstKept = big.findIndex((e) => !e.r);
  const lastKept = big.length - 1 - [...big].reverse().findIndex((e) => !e.r);
  let innerAxis: boolean;
  if (firstKept === -1) innerAxis = true; // everything reduced
  else if (big.slice(firstKept).every((e) => !e.r)) innerAxis = false; // reduced ones all lead
  else if (big.slice(0, lastKept + 1).every((e) => !e.r)) innerAxis = true; // reduced ones all trail
  else return null;
  const reducedSize = size(axes.map((a) => shape[a]));
  const total = size(shape);
  const [outShape] = backend_util.computeOutAndReduceShapes([...shape], axes);
  return {
    outShape: keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape,
    outer: innerAxis ? total / reducedSize : reducedSize,
    inner: innerAxis ? reducedSize : total / reducedSize,
    innerAxis,
  };
}

const REDUCE = { [Sum]: 0, [Mean]: 1, [Max]: 2 } as const;

function reduceKernel(name: keyof typeof REDUCE) {
  return nativeKernel(name, ({ inputs, backend, attrs }: NativeArgs<SumAttrs | MeanAttrs | MaxAttrs>) => {
    const { x } = inputs;
    const xv = f32(backend, x);
    if (!x || !xv) return null;
    const axis = name === Max ? (attrs as MaxAttrs).reductionIndices : (attrs as SumAttrs).axis;
    const plan = planReduce(x.shape, axis, attrs.keepDims);
    if (!plan) return null;
    const out = output(backend, plan.outShape);
    backend.addon.reduce(REDUCE[name], xv, out.values, plan.outer, plan.inner, +plan.innerAxis);
    return out.info;
  });
}

export const sumConfig = reduceKernel(Sum);
export const meanConfig = reduceKernel(Mean);
export const maxConfig = reduceKernel(Max);
