// The native backend under the models: one-step gradients of every architecture against the
// cpu backend and against finite differences, byte-identical training for a fixed seed and
// thread count, and no memory growth across epochs.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset } from '../../data/dataset.ts';
import { synthetic } from '../../data/synthetic.ts';
import type { Model } from '../../models/layers.ts';
import { ARCH_NAMES, buildModel } from '../../models/registry.ts';
import { crossEntropy } from '../../train/loss.ts';
import { forwardTrain, makeOptimizer, trainableVars } from '../../train/step.ts';
import { train } from '../../train/train.ts';
import { registerNative } from './backend.ts';
import { relDiff, uniform } from './test-util.ts';

const load = registerNative();
const INPUT = [12, 12, 1];
const CLASSES = 5;
const BATCH = 6;
const x = uniform([BATCH, ...INPUT], 1, 0, 1);
const labels = Int32Array.from({ length: BATCH }, (_, i) => (i * 3) % CLASSES);

function loss(model: Model): tf.Scalar {
  return crossEntropy(forwardTrain(model, tf.tensor(x, [BATCH, ...INPUT])), tf.tensor1d(labels, 'int32'));
}

/** Gradient of every trainable variable for one batch, on the current backend. */
function gradients(model: Model): Float32Array[] {
  const vars = trainableVars(model);
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(() => loss(model), vars);
    return vars.map((v) => Float32Array.from(grads[v.name].dataSync()));
  });
}

function weightBytes(model: Model): Buffer {
  return Buffer.concat(model.getWeights().map((w) => Buffer.from(Float32Array.from(w.dataSync()).buffer)));
}

describe.skipIf(!load.ok)(`native backend under the models${load.ok ? '' : ` (skipped: ${load.ok || load.reason})`}`, () => {
  beforeAll(async () => {
    expect(await tf.setBackend('native')).toBe(true);
  });
  afterAll(() => tf.setBackend('native'));

  it.each(ARCH_NAMES)('%s: one-step gradients equal the cpu backend\'s to rounding', async (arch) => {
    await tf.setBackend('cpu');
    const model = buildModel(arch, INPUT, CLASSES, 3);
    const want = gradients(model);
    await tf.setBackend('native');
    const got = gradients(model);
    const names = trainableVars(model).map((v) => v.name);
    model.dispose();
    want.forEach((w, i) => expect(relDiff(got[i], w), names[i]).toBeLessThan(1e-5));
  });

  // Per coordinate, only where the loss is smooth in the weight: the layers after the last
  // ReLU / max-pool, whose kinks a finite step crosses (a conv bias moves hundreds of units).
  // The kernels' own gradients are checked against finite differences in kernels.test.ts.
  const SMOOTH: Record<string, string[]> = { mlp: ['logits'], 'small-cnn': ['logits'], 'resnet-mini': ['logits'] };
  it.each(ARCH_NAMES)('%s: gradients of the last layer match central differences', async (arch) => {
    await tf.setBackend('native');
    const model = buildModel(arch, INPUT, CLASSES, 4);
    const vars = trainableVars(model);
    const grads = gradients(model);
    const at = (v: tf.Variable, values: Float32Array) => {
      v.assign(tf.tensor(values, v.shape));
      return tf.tidy(() => loss(model).dataSync()[0]);
    };
    const h = 1e-2;
    let checked = 0;
    vars.forEach((v, vi) => {
      if (!SMOOTH[arch].some((layer) => v.name.startsWith(`${layer}/`))) return;
      const base = Float32Array.from(v.dataSync());
      for (let j = 0; j < 8; j++) {
        const i = Math.floor(((j + 0.5) * base.length) / 8);
        const plus = base.slice();
        const minus = base.slice();
        plus[i] += h;
        minus[i] -= h;
        const fd = (at(v, plus) - at(v, minus)) / (2 * h);
        // Central differences err by O(h²·f'''): about 1e-5 here, plus float32 rounding of the loss / h.
        expect(Math.abs(fd - grads[vi][i]), `${v.name}[${i}]: fd ${fd}, gradient ${grads[vi][i]}`).toBeLessThan(2e-4 + 1e-3 * Math.abs(grads[vi][i]));
        checked++;
      }
      v.assign(tf.tensor(base, v.shape));
    });
    expect(checked).toBeGreaterThan(0);
    model.dispose();
  });

  it.each(ARCH_NAMES)('%s: one Adam step lands where the cpu backend\'s does', async (arch) => {
    const stepped = async (backend: string) => {
      await tf.setBackend(backend);
      const model = buildModel(arch, INPUT, CLASSES, 5);
      const opt = makeOptimizer({ optimizer: 'adam', lr: 1e-3 });
      tf.tidy(() => {
        opt.minimize(() => loss(model), false, trainableVars(model));
      });
      opt.dispose();
      const w = model.getWeights().map((t) => Float32Array.from(t.dataSync()));
      model.dispose();
      return w;
    };
    const want = await stepped('cpu');
    const got = await stepped('native');
    want.forEach((w, i) => {
      let d = 0;
      for (let j = 0; j < w.length; j++) d = Math.max(d, Math.abs(got[i][j] - w[j]));
      // Adam's first step is lr · g / (|g| + 1e-7): where a gradient is near 1e-7, its rounding
      // moves the step by a visible fraction of lr (1e-3).
      expect(d).toBeLessThan(1e-5);
    });
  });

  const ds = synthetic({ train: 192, test: 16, classes: 4, side: 12, seed: 2 });
  const data = subset(ds, idsOfSplit(ds, 'train'));
  const recipe = { epochs: 2, batchSize: 32, optimizer: 'adam' as const, lr: 1e-3, weightDecay: 0, momentum: 0 };
  const trained = async (arch: string, seed: number) => {
    const model = buildModel(arch, ds.inputShape, ds.numClasses, seed);
    await train(model, data, recipe, { seed });
    const w = weightBytes(model);
    model.dispose();
    return w;
  };

  it.each([[1], [2]])('same seed, same thread count (%d): byte-identical weights after training', async (threads) => {
    await tf.setBackend('native');
    if (!load.ok) return;
    const before = load.addon.blasInfo();
    load.addon.setThreads(threads);
    load.addon.setKernelThreads(threads);
    try {
      for (const arch of ARCH_NAMES) {
        const a = await trained(arch, 7);
        const b = await trained(arch, 7);
        expect(a.equals(b), arch).toBe(true);
        expect(a.equals(await trained(arch, 8)), arch).toBe(false);
      }
    } finally {
      load.addon.setThreads(before.threads);
      load.addon.setKernelThreads(before.kernelThreads);
    }
  });

  it("Lethe's own kernels give the same bits on one thread as on three (each element is summed by one thread)", async () => {
    await tf.setBackend('native');
    if (!load.ok) return;
    const before = load.addon.blasInfo().kernelThreads;
    try {
      for (const arch of ARCH_NAMES) {
        load.addon.setKernelThreads(1);
        const one = await trained(arch, 7);
        load.addon.setKernelThreads(3);
        expect(one.equals(await trained(arch, 7)), arch).toBe(true);
      }
    } finally {
      load.addon.setKernelThreads(before);
    }
  });

  it('tensors and bytes do not grow across epochs', async () => {
    await tf.setBackend('native');
    for (const arch of ['mlp', 'small-cnn']) {
      const model = buildModel(arch, ds.inputShape, ds.numClasses, 1);
      const steps = Math.ceil(data.y.length / recipe.batchSize);
      const atEpochEnd: { numTensors: number; numBytes: number; numDataIds: number }[] = [];
      await train(model, data, { ...recipe, epochs: 3 }, {
        seed: 1,
        onProgress: (p) => {
          if (p.done % steps === 0) {
            const m = tf.memory();
            atEpochEnd.push({ numTensors: m.numTensors, numBytes: m.numBytes, numDataIds: tf.engine().backend.numDataIds() });
          }
        },
      });
      model.dispose();
      expect(atEpochEnd).toHaveLength(3);
      expect(atEpochEnd[2], arch).toEqual(atEpochEnd[0]);
      expect(atEpochEnd[1], arch).toEqual(atEpochEnd[0]);
    }
  });
});
