// Small CNN conv32-conv64-dense128: the benchmark model of DESIGN.md (3x3 convs, 2x2 max-pooling).
import { seededInit, tf, type Model } from './layers.ts';

export function smallCnn(inputShape: number[], numClasses: number, seed: number): Model {
  if (inputShape.length !== 3) throw new Error(`small-cnn needs image data [h,w,c], got input shape [${inputShape.join(',')}]`);
  const init = seededInit(seed);
  const input = tf.input({ shape: inputShape });
  let h = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(), name: 'conv1' }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(), name: 'conv2' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(), name: 'dense1' }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: init(), name: 'logits' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'small_cnn' });
}
