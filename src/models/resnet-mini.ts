// A small ResNet (He et al. 2016): a stem and three residual blocks (16, 32, 64 channels) with batch norm.
import { seededInit, tf, type Model } from './layers.ts';

type T = tf.SymbolicTensor;

export function resnetMini(inputShape: number[], numClasses: number, seed: number): Model {
  if (inputShape.length !== 3) throw new Error(`resnet-mini needs image data [h,w,c], got input shape [${inputShape.join(',')}]`);
  const init = seededInit(seed);
  const conv = (x: T, filters: number, strides: number, name: string, kernelSize = 3) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: init(), name }).apply(x) as T;
  const bn = (x: T, name: string) => tf.layers.batchNormalization({ name }).apply(x) as T;
  const relu = (x: T, name: string) => tf.layers.activation({ activation: 'relu', name }).apply(x) as T;

  const block = (x: T, filters: number, strides: number, name: string): T => {
    let h = relu(bn(conv(x, filters, strides, `${name}_conv1`), `${name}_bn1`), `${name}_relu1`);
    h = bn(conv(h, filters, 1, `${name}_conv2`), `${name}_bn2`);
    const inChannels = x.shape[x.shape.length - 1];
    const shortcut = strides === 1 && inChannels === filters ? x : bn(conv(x, filters, strides, `${name}_proj`, 1), `${name}_proj_bn`);
    return relu(tf.layers.add({ name: `${name}_add` }).apply([h, shortcut]) as T, name);
  };

  const input = tf.input({ shape: inputShape });
  let h = relu(bn(conv(input, 16, 1, 'stem_conv'), 'stem_bn'), 'stem');
  h = block(h, 16, 1, 'block1');
  h = block(h, 32, 2, 'block2');
  h = block(h, 64, 2, 'block3');
  h = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(h) as T;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: init(), name: 'logits' }).apply(h) as T;
  return tf.model({ inputs: input, outputs: logits, name: 'resnet_mini' });
}
