// Shared helpers for model builders: seeded initialisers, so the same seed gives the same weights.
import * as tf from '@tensorflow/tfjs-layers';
import { subSeed } from '../shared/random.ts';

export { tf };
export type Model = tf.LayersModel;

/** The input as a flat vector: images are flattened, tabular rows (already flat) pass as they are (Flatten needs rank 3+). */
export function flat(input: tf.SymbolicTensor): tf.SymbolicTensor {
  return input.shape.length > 2 ? (tf.layers.flatten({ name: 'flatten' }).apply(input) as tf.SymbolicTensor) : input;
}

export function seededInit(seed: number) {
  let n = 0;
  // A distinct stream per layer, so layers of the same shape do not start identical.
  return () => tf.initializers.glorotUniform({ seed: subSeed(seed, `layer${n++}`) });
}
