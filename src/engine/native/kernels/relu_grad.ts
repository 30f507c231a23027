// ReLU's gradient in one pass. tfjs computes it as mul(dy, cast(step(x))): two passes over
// every activation and a fresh array for step(x). The gradient below runs the fused kernel on
// backends that have it (native) and tfjs's own ops elsewhere; both give the same floats.
import { cast, engine, getBackend, getKernel, mul, Relu, step, type GradConfig, type KernelConfig, type KernelFunc, type Tensor } from '@tensorflow/tfjs-core';
import { f32, NATIVE, output, type NativeArgs } from './util.ts';

export const RELU_GRAD_KERNEL = 'LetheReluGrad';

function reluGrad({ inputs, backend }: NativeArgs) {
  const { dy, x } = inputs;
  const dyv = f32(backend, dy);
  const xv = f32(backend, x);
  if (!dy || !x || !dyv || !xv || dyv.length !== xv.length) throw new Error(`${RELU_GRAD_KERNEL}: needs float32 dy and x of one size`);
  const out = output(backend, [...x.shape]);
  backend.addon.reluGrad(dyv, xv, out.values, xv.length);
  return out.info;
}

export const reluGradKernelConfig: KernelConfig = { kernelName: RELU_GRAD_KERNEL, backendName: NATIVE, kernelFunc: reluGrad as unknown as KernelFunc };

/**
 * Replaces tfjs's gradient of Relu (registered by registerNative). It reads Relu's output y
 * rather than its input x: step(y) = step(x) everywhere (y > 0 exactly where x > 0, y is NaN
 * exactly where x is), so the floats are the same, and y is the array the layer above (a
 * max-pool's gradient, say) has just read, still in cache, where x was last touched in the
 * forward pass.
 */
export const reluGradientConfig: GradConfig = {
  kernelName: Relu,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [y] = saved;
    const d = dy as Tensor;
    const fused = y.dtype === 'float32' && d.dtype === 'float32' && getKernel(RELU_GRAD_KERNEL, getBackend()) != null;
    return { x: () => (fused ? (engine().runKernel(RELU_GRAD_KERNEL, { dy: d, x: y }) as Tensor) : mul(d, cast(step(y), 'float32'))) };
  },
};
