// The architectures' builders, keyed by the map of names in ./archs.ts (every list of model names comes from there).
import { ARCH_INFO, ARCH_NAMES, type Arch } from './archs.ts';
import { analyticDim, randomFeatures } from './analytic/model.ts';
import { ensembleOf, parseEnsembleArch } from './sharded/ensemble.ts';
import { reinitialised } from './graph.ts';
import type { Model } from './layers.ts';
import { mlp } from './mlp.ts';
import { resnetMini } from './resnet-mini.ts';
import { smallCnn } from './small-cnn.ts';

const BUILDERS = { mlp, 'small-cnn': smallCnn, 'resnet-mini': resnetMini } satisfies Record<Arch, unknown>;
export const ARCHS = Object.fromEntries(ARCH_NAMES.map((a) => [a, { ...ARCH_INFO[a], build: BUILDERS[a] }])) as {
  [A in Arch]: (typeof ARCH_INFO)[A] & { build: (typeof BUILDERS)[A] };
};
export { ARCH_NAMES, type Arch };

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
