// One typed map of architectures; every list of model names (CLI, API, UI) comes from it.
import { analyticDim, randomFeatures } from './analytic/model.ts';
import { ensembleOf, parseEnsembleArch } from './sharded/ensemble.ts';
import { reinitialised } from './graph.ts';
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

/** An imported model's architecture (`onnx:<file>`, lethe import --onnx): no builder makes it, its checkpoint's graph is the architecture. */
export const isImportedArch = (arch: string) => arch.startsWith('onnx:');

/**
 * Builds an architecture of the map, an analytic checkpoint's network (`random-features-<dim>`) or a sharded one's
 * (`ensemble-<n>-<arch>`); an imported architecture is `like`'s graph (a model of that architecture), re-initialised.
 */
export function buildModel(arch: string, inputShape: number[], numClasses: number, seed: number, like?: Model): Model {
  if (isImportedArch(arch)) {
    if (!like) throw new Error(`model "${arch}" is imported: a fresh one is re-initialised from a model of its graph, and none was given`);
    return reinitialised(like, seed);
  }
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
