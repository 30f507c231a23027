// Element-wise kernels on float32: the binary ones for every broadcast a training step makes
// (same shape, scalar, bias over trailing axes, per-row over leading axes) and the unary ones
// of the models and their gradients.
import {
  Add, backend_util, Exp, Log, Multiply, Neg, RealDiv, Relu, Rsqrt, Sqrt, Square, Step, Sub,
  type StepAttrs,
} from '@tensorflow/tfjs-core';
import { f32, nativeKernel, output, size, type NativeArgs } from './util.ts';

/** How an operand is indexed over an [outer, inner] output: lethe::binary's modes. */
export const MODE = { full: 0, scalar: 1, row: 2, column: 3 } as const;
export type Mode = (typeof MODE)[keyof typeof MODE];

export interface BinaryPlan {
  outShape: number[];
  outer: number;
  inner: number;
  aMode: Mode;
  bMode: Mode;
}

/**
 * Splits the broadcast of a and b into [outer, inner] so that each operand is whole, one
 * value, one row (repeated over outer) or one column (repeated over inner); null when no
 * split does (e.g. [m,1,k] against [1,n,1]).
 */
export function planBinary(aShape: readonly number[], bShape: readonly number[]): BinaryPlan | null {
  let outShape: number[];
  try {
    outShape = backend_util.assertAndGetBroadcastShape([...aShape], [...bShape]);
  } catch {
    return null;
  }
  const total = size(outShape);
  const r = outShape.length;
  // Per operand, which output axes it spans (true) or is broadcast over (false); axes where
  // the output is 1 do not matter either way and are dropped.
  const spans = (shape: readonly number[]) => {
    const padded = [...new Array(r - shape.length).fill(1), ...shape];
    return outShape.flatMap((d, i) => (d === 1 ? [] : [padded[i] === d]));
  };
  const dims = outShape.filter((d) => d !== 1);
  const sa = spans(aShape);
  const sb = spans(bShape);
  // Candidate split points t: axes [0, t) are outer, [t, end) inner.
  const kind = (s: boolean[], t: number): Mode | null => {
    const lead = s.slice(0, t);
    const tail = s.slice(t);
    const all = (v: boolean[], x: boolean) => v.every((e) => e === x);
    if (all(s, true)) return MODE.full;
    if (all(s, false)) return MODE.scalar;
    if (all(lead, false) && all(tail, true)) return MODE.row;
    if (all(lead, true) && all(tail, false)) return MODE.column;
    return null;
  };
  for (let t = 0; t <= dims.length; t++) {
    const aMode = kind(sa, t);
    const bMode = kind(sb, t);
    if (aMode === null || bMode === null) continue;
    const inner = size(dims.slice(t));
    return { outShape, outer: inner === 0 ? 0 : total / inner, inner, aMode, bMode };
  }
  return null;
}

const BINARY = { [Add]: 0, [Sub]: 1, [Multiply]: 2, [RealDiv]: 3 } as const;

function binaryKernel(name: keyof typeof BINARY) {
  return nativeKernel(name, ({ inputs, backend }: NativeArgs) => {
    const { a, b } = inputs;
    const av = f32(backend, a);
    const bv = f32(backend, b);
    if (!a || !b || !av || !bv) return null;
    const plan = planBinary(a.shape, b.shape);
    if (!plan || plan.outer * plan.inner === 0) return null;
    const out = output(backend, plan.outShape);
    backend.addon.binary(BINARY[name], av, plan.aMode, bv, plan.bMode, out.values, plan.outer, plan.inner);
    return out.info;
  });
}

export const addConfig = binaryKernel(Add);
export const subConfig = binaryKernel(Sub);
export const multiplyConfig = binaryKernel(Multiply);
export const realDivConfig = binaryKernel(RealDiv);

const UNARY = { [Relu]: 0, [Step]: 1, [Sqrt]: 2, [Square]: 3, [Neg]: 4, [Exp]: 5, [Log]: 6, [Rsqrt]: 7 } as const;

function unaryKernel(name: keyof typeof UNARY) {
  return nativeKernel(name, ({ inputs, backend, attrs }: NativeArgs) => {
    const { x } = inputs;
    const xv = f32(backend, x);
    if (!x || !xv) return null;
    const out = output(backend, [...x.shape]);
    const alpha = name === Step ? (attrs as unknown as StepAttrs).alpha ?? 0 : 0;
    backend.addon.unary(UNARY[name], xv, out.values, xv.length, alpha);
    return out.info;
  });
}

export const reluConfig = unaryKernel(Relu);
export const stepConfig = unaryKernel(Step);
export const sqrtConfig = unaryKernel(Sqrt);
export const squareConfig = unaryKernel(Square);
export const negConfig = unaryKernel(Neg);
export const expConfig = unaryKernel(Exp);
export const logConfig = unaryKernel(Log);
export const rsqrtConfig = unaryKernel(Rsqrt);
