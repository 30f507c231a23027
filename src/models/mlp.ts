// Multilayer perceptron 784-256-128-K (for 28x28 inputs; any input is flattened).
import { flat, seededInit, tf, type Model } from './layers.ts';

export function mlp(inputShape: number[], numClasses: number, seed: number): Model {
  const init = seededInit(seed);
  const input = tf.input({ shape: inputShape });
  let h = flat(input);
  h = tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init(), name: 'dense1' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(), name: 'dense2' }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: init(), name: 'logits' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'mlp' });
}
