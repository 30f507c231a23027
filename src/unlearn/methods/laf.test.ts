import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Dataset, Subset } from '../../data/dataset.ts';
import { buildModel } from '../../models/registry.ts';
import type { Model } from '../../models/layers.ts';
import { penultimateView } from '../common.ts';
import { loadKit } from '../kit.ts';
import type { UnlearnContext } from '../method.ts';
import { cosineDistance, laf, makeVae, raLoss, reconstructionErrors, ueLoss, vaeLoss } from './laf.ts';
import { accuracyOn, expectClassForgotten, flatWeights, syntheticClassForget } from '../../../test/support/unlearn.ts';

// Forgetting class 1 of the synthetic set (an MLP trained 3 epochs, seed 1).
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await syntheticClassForget();
  await loadKit();
});

/** Every label moved to another class (none kept by chance), by a fixed rule. */
const scrambled = (y: Int32Array, k: number) => Int32Array.from(y, (v, i) => (v + 1 + (i % (k - 1))) % k);

/** The same request on the same samples, every label of the data set (and of its forget and retain sets) scrambled. */
function withScrambledLabels(c: UnlearnContext): UnlearnContext {
  const k = c.dataset.numClasses;
  const dataset: Dataset = { ...c.dataset, y: scrambled(c.dataset.y, k) };
  const relabel = (s: Subset): Subset => ({ ...s, y: Int32Array.from(s.ids, (id) => dataset.y[id]) });
  return { ...c, dataset, forget: relabel(c.forget), retain: relabel(c.retain) };
}

const quick = { steps: 20, vaeSteps: 10 };

describe('laf never reads a label', () => {
  test('every label scrambled: the weights are identical to the last bit', async () => {
    const other = withScrambledLabels(ctx);
    expect(Array.from(other.retain.y)).not.toEqual(Array.from(ctx.retain.y));
    expect(other.retain.y.every((v, i) => v !== ctx.retain.y[i])).toBe(true);
    const a = await laf.run(ctx, laf.params.parse(quick));
    const b = await laf.run(other, laf.params.parse(quick));
    try {
      const wa = flatWeights(a);
      expect(flatWeights(b)).toEqual(wa);
      // Not a no-op: the feature layers moved, and the output layer (which an embedding loss cannot reach) did not.
      expect(wa).not.toEqual(flatWeights(ctx.original));
      const head = (m: Model) => m.outputLayers[0].getWeights().flatMap((w) => Array.from(w.dataSync()));
      expect(head(a)).toEqual(head(ctx.original));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('the test can fail: the semi-supervised repair reads retain labels, and then scrambling changes the weights', async () => {
    const p = laf.params.parse({ ...quick, repairSteps: 5 });
    const a = await laf.run(ctx, p);
    const b = await laf.run(withScrambledLabels(ctx), p);
    try {
      expect(flatWeights(b)).not.toEqual(flatWeights(a));
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

test('laf: class 1 test accuracy collapses, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => laf.run(ctx, laf.params.parse({})), {}, (m) => {
    expect(accuracyOn(ctx, m, ctx.sets.forget)).toBeLessThan(30);
    expect(accuracyOn(ctx, m, ctx.sets.retain)).toBeGreaterThan(90);
  }));

describe('the formulas, against hand-computed values', () => {
  const close = (t: tfc.Tensor, want: number[], digits = 5) => Array.from(t.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], digits));

  test('r(e) sums the squared reconstruction error over the dimensions, per row', () => {
    tfc.tidy(() => close(reconstructionErrors(tfc.tensor2d([[1, 2], [0, 0.5]]), tfc.tensor2d([[0, 0], [1, 1]])), [5, 1.25]));
  });

  test('VAE loss = Σ(ê − e)²/B + 0.025·(−½ Σ(log(σ² + 1e-8) + 1 − μ² − σ²))/B', () => {
    tfc.tidy(() => {
      // Row 1: squared error 0.25 + 0.25; μ = 1, σ = 2: −½(ln 4 + 1 − 1 − 4) = 1.3068528.
      // Row 2: squared error 0 + 1; μ = 0, σ = 1: −½(0 + 1 − 0 − 1) = 0.
      // (0.5 + 1)/2 + 0.025·1.3068528/2 = 0.75 + 0.01633566.
      const loss = vaeLoss(tfc.tensor2d([[0.5, 0.5], [0, 1]]), tfc.tensor2d([[1, 0], [0, 0]]), tfc.tensor2d([[1], [0]]), tfc.tensor2d([[2], [1]]));
      close(loss, [0.76633566]);
    });
  });

  test('L_UE = Σ_remain exp(r/(r+1)) − Σ_forget exp(r/(r+1))', () => {
    tfc.tidy(() => {
      // e^0 + e^0.5 − e^0.75 = 1 + 1.6487213 − 2.1170000
      close(ueLoss(tfc.tensor1d([0, 1]), tfc.tensor1d([3])), [0.5317213]);
    });
  });

  test('c = 1 − cos(e, e_teacher), as PyTorch\'s CosineEmbeddingLoss with target 1', () => {
    tfc.tidy(() => close(cosineDistance(tfc.tensor2d([[1, 0], [1, 1], [3, 4]]), tfc.tensor2d([[0, 1], [2, 2], [4, 3]])), [1, 0, 0.04]));
  });

  test('L_RA = Σ_remain log(exp(c_i) / Σ_forget exp(c_j/T)), also where exp(c/T) overflows float32', () => {
    tfc.tidy(() => {
      // T = 2: Σ_j exp(c_j/2) = e^0.5 + e^1 = 4.3670031, log = 1.4740769; (0.5 − 1.4740769) + (1 − 1.4740769).
      close(raLoss(tfc.tensor1d([0.5, 1]), tfc.tensor1d([1, 2]), 2), [-1.4481538]);
      // T = 0.01: exp(200) is beyond float32; log(e^100 + e^200) = 200 to float precision: 1.5 − 2·200.
      close(raLoss(tfc.tensor1d([0.5, 1]), tfc.tensor1d([1, 2]), 0.01), [-398.5], 3);
    });
  });

  test('the VAE has the authors\' widths for their 256-d embedding: 256→128→32→latent and back', () => {
    let s = 1;
    const v = makeVae(256, 8, () => ((s = (s * 16807) % 2147483647) / 2147483647));
    try {
      expect(v.layers.map((l) => l.w.shape)).toEqual([[256, 128], [128, 32], [32, 8], [32, 8], [8, 32], [32, 128], [128, 256]]);
      // nn.Linear's initialisation: uniform within ±1/√fan_in.
      expect(Math.max(...Array.from(v.layers[0].w.dataSync(), Math.abs))).toBeLessThanOrEqual(1 / 16);
    } finally {
      v.layers.forEach((l) => (l.w.dispose(), l.b.dispose()));
    }
  });
});

describe('the embedding is the layer feeding the output layer', () => {
  test.each([['mlp', 128], ['small-cnn', 128], ['resnet-mini', 64]] as const)('%s: %i-d, and the output layer applied to it gives the logits', (arch, dim) => {
    const model = buildModel(arch, [8, 8, 1], 3, 5);
    try {
      tfc.tidy(() => {
        const x = tfc.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 3);
        const e = penultimateView(model).apply(x, { training: false }) as tfc.Tensor;
        expect(e.shape).toEqual([4, dim]);
        const [w, b] = model.outputLayers[0].getWeights();
        const logits = tfc.add(tfc.matMul(e as tfc.Tensor2D, w as tfc.Tensor2D), b);
        const want = model.apply(x, { training: false }) as tfc.Tensor;
        Array.from(logits.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want.dataSync()[i], 5));
      });
    } finally {
      model.dispose();
    }
  });
});
