// One typed map of architectures; every list of model names (CLI, API, UI) comes from it.
import { analyticDim, randomFeatures } from './analytic/model.ts';
import { ensembleOf, parseEnsembleArch } from './sharded/ensemble.ts';
import type { Model } from './layers.ts';
import { mlp } from './mlp.ts';
import { resnetMini } from './resnet-mini.ts';
import { smallCnn } from './small-cnn.ts';

export const ARCHS = {
  mlp: { build: mlp, description: 'MLP 784-256-128-K' },
  'small-cnn': { build: smallCnn, description: 'CNN conv32-conv64-dense128' },
  'resnet-mini': { build: resnetMini, description: 'ResNet: stem + 3 residual blocks with batch norm' },
} as const;
export type Arch = keyof typeof ARCHS;
export const ARCH_NAMES = Object.keys(ARCHS) as Arch[];

export function isArch(name: string): name is Arch {
  return Object.hasOwn(ARCHS, name);
}

/** Builds an architecture of the map, an analytic checkpoint's network (`random-features-<dim>`) or a sharded one's (`ensemble-<n>-<arch>`). */
export function buildModel(arch: string, inputShape: number[], numClasses: number, seed: number): Model {
  const dim = analyticDim(arch);
  if (dim !== undefined) return randomFeatures(inputShape, numClasses, seed, dim);
  const ensemble = parseEnsembleArch(arch);
  if (ensemble) {
    const members = Array.from({ length: ensemble.live }, (_, i) => buildModel(ensemble.arch, inputShape, numClasses, seed + i));
    try {
      return ensembleOf(members);
    } finally {
      members.forEach((m) => m.dispose());
    }
  }
  if (!isArch(arch)) throw new Error(`unknown model "${arch}": use one of ${ARCH_NAMES.join(', ')}`);
  return ARCHS[arch].build(inputShape, numClasses, seed);
}

/** Layers whose outputs are compared across models (CKA): everything that computes, not reshapes. */
export function representationLayers(model: Model): string[] {
  return model.layers
    .filter((l) => /^(dense|conv|block|stem|logits|pool\d?$)/.test(l.name) && !/_(conv|bn|relu|proj|add)/.test(l.name))
    .map((l) => l.name);
}
