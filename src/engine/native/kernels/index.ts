// The kernels the native backend runs in the addon; every other kernel is the cpu backend's.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig, conv2DConfig, fusedConv2DConfig } from './conv.ts';
import {
  addConfig, expConfig, logConfig, multiplyConfig, negConfig, realDivConfig, reluConfig, rsqrtConfig, sqrtConfig,
  squareConfig, stepConfig, subConfig,
} from './elementwise.ts';
import { batchMatMulConfig, fusedMatMulConfig } from './matmul.ts';
import { maxPoolConfig, maxPoolGradConfig } from './pool.ts';
import { fusedBatchNormConfig, tileConfig } from './norm.ts';
import { maxConfig, meanConfig, sumConfig } from './reduce.ts';
import { adamConfig } from './adam.ts';
import { reluGradKernelConfig } from './relu_grad.ts';

export const NATIVE_KERNELS: readonly KernelConfig[] = [
  batchMatMulConfig, fusedMatMulConfig,
  conv2DConfig, fusedConv2DConfig, conv2DBackpropInputConfig, conv2DBackpropFilterConfig,
  maxPoolConfig, maxPoolGradConfig,
  addConfig, subConfig, multiplyConfig, realDivConfig,
  reluConfig, stepConfig, sqrtConfig, squareConfig, negConfig, expConfig, logConfig, rsqrtConfig,
  sumConfig, meanConfig, maxConfig,
  fusedBatchNormConfig, tileConfig,
  adamConfig, reluGradKernelConfig,
];
