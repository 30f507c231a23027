// What the method files run with: TensorFlow.js and the training building blocks, bound on first use. A method file
// imports its run-time values from here (types as `import type`), so that reading the method map (`lethe methods`,
// a policy's check, the API's method list) loads no TensorFlow.js. `defineMethod` loads the kit before a method
// runs; code that calls a method's helpers directly (its tests) awaits `loadKit()` first.
import type * as Tfc from '@tensorflow/tfjs-core';
import type * as Common from './common.ts';
import type * as Step from '../train/step.ts';
import type * as Loss from '../train/loss.ts';
import type * as Batches from '../train/batches.ts';
import type * as Models from '../models/registry.ts';
import type * as Predict from '../train/predict.ts';

export let tfc: typeof Tfc;
/** The tfjs-core types the method files name (`tfc.Tensor` and so on), beside the value bound at load. */
export declare namespace tfc {
  type Tensor = Tfc.Tensor;
  type Tensor1D = Tfc.Tensor1D;
  type Tensor2D = Tfc.Tensor2D;
  type Scalar = Tfc.Scalar;
  type Variable = Tfc.Variable;
  type Optimizer = Tfc.Optimizer;
}
export let batchStream: typeof Common.batchStream;
export let cloneModel: typeof Common.cloneModel;
export let distillKL: typeof Common.distillKL;
export let editCopy: typeof Common.editCopy;
export let hiddenView: typeof Common.hiddenView;
export let loop: typeof Common.loop;
export let methodRng: typeof Common.methodRng;
export let penultimateView: typeof Common.penultimateView;
export let randomOtherLabels: typeof Common.randomOtherLabels;
export let softTargets: typeof Common.softTargets;
export let stepsFor: typeof Common.stepsFor;
export let tuneCopy: typeof Common.tuneCopy;
export let forwardTrain: typeof Step.forwardTrain;
export let step: typeof Step.step;
export let samStep: typeof Step.samStep;
export let makeOptimizer: typeof Step.makeOptimizer;
export let trainableVars: typeof Step.trainableVars;
export let crossEntropy: typeof Loss.crossEntropy;
export let fitLoss: typeof Loss.fitLoss;
export let absoluteError: typeof Loss.absoluteError;
export let batchIndices: typeof Batches.batchIndices;
export let epochOrder: typeof Batches.epochOrder;
export let makeBatch: typeof Batches.makeBatch;
export let buildModel: typeof Models.buildModel;
export let predictLogits: typeof Predict.predictLogits;

let loading: Promise<void> | undefined;

/** Binds every export above (once; later calls wait for the first). */
export function loadKit(): Promise<void> {
  return (loading ??= (async () => {
    const [t, common, stepM, loss, batches, models, predict] = await Promise.all([
      import('@tensorflow/tfjs-core'), import('./common.ts'), import('../train/step.ts'), import('../train/loss.ts'),
      import('../train/batches.ts'), import('../models/registry.ts'), import('../train/predict.ts'),
    ]);
    tfc = t;
    ({ batchStream, cloneModel, distillKL, editCopy, hiddenView, loop, methodRng, penultimateView, randomOtherLabels, softTargets, stepsFor, tuneCopy } = common);
    ({ forwardTrain, makeOptimizer, samStep, step, trainableVars } = stepM);
    ({ absoluteError, crossEntropy, fitLoss } = loss);
    ({ batchIndices, epochOrder, makeBatch } = batches);
    ({ buildModel } = models);
    ({ predictLogits } = predict);
  })());
}
