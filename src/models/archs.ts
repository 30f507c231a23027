// The architectures by name and description: light (no TensorFlow.js), for the commands that list them
// (`lethe info`, help texts). Their builders are in ./registry.ts, keyed by this map and checked complete by the type.
export const ARCH_INFO = {
  mlp: { description: 'MLP 784-256-128-K' },
  'small-cnn': { description: 'CNN conv32-conv64-dense128' },
  'resnet-mini': { description: 'ResNet: stem + 3 residual blocks with batch norm' },
} as const;
export type Arch = keyof typeof ARCH_INFO;
export const ARCH_NAMES = Object.keys(ARCH_INFO) as Arch[];
