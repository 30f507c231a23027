// Test support shared by the methods' behaviour tests: a small trained model and a class-forgetting request.
import { idsOfSplit, subset } from '../data/dataset.ts';
import { resolveForget } from '../data/forget-spec.ts';
import { loadData } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import type { Meta } from '../models/checkpoint.ts';
import type { Model } from '../models/layers.ts';
import { buildModel } from '../models/registry.ts';
import { accuracy } from '../eval/accuracy.ts';
import { predictProbs } from '../train/predict.ts';
import { DEFAULT_RECIPE, train } from '../train/train.ts';
import type { UnlearnContext } from './method.ts';

/** An MLP trained 3 epochs on the synthetic set (seed 1), and the request to forget its class 1. */
export const syntheticClassForget = () => classForget('synthetic', 1);

/** An MLP trained 3 epochs (seed 1) on data set `name`, and the request to forget class `forgotten`. */
export async function classForget(name: 'synthetic' | 'fashion-mnist-mini', forgotten: number): Promise<UnlearnContext> {
  await initBackend();
  const dataset = loadData({ name });
  const sets = resolveForget(dataset, { kind: 'class', classes: [forgotten] });
  const recipe = { ...DEFAULT_RECIPE, epochs: 3 };
  const original = buildModel('mlp', dataset.inputShape, dataset.numClasses, 1);
  await train(original, subset(dataset, idsOfSplit(dataset, 'train')), recipe, { seed: 1 });
  const meta = {
    id: `${name}-mlp`, parent: null, arch: 'mlp', dataset: { name }, inputShape: dataset.inputShape,
    numClasses: dataset.numClasses, seed: 1, trainHash: '', recipe, method: 'train', params: {}, forget: null,
    metrics: {}, created: '', version: '',
  } satisfies Meta;
  return { original, meta, dataset, sets, forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain), seed: 1 };
}

/** Accuracy (percent) of `model` on the samples `ids` of the context's data set. */
export function accuracyOn(ctx: UnlearnContext, model: Model, ids: Int32Array): number {
  const s = subset(ctx.dataset, ids);
  return accuracy(predictProbs(model, s), s.y, s.numClasses);
}
