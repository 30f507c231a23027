// The round trip: PyTorch-made ONNX models (test/fixtures/onnx: an MLP and a CNN with batch norm) imported into
// Lethe, unlearned with salun, exported with exportOnnx and run by onnxruntime, whose probabilities must be Lethe's
// own to 1e-5. Before unlearning, the exported model must still give PyTorch's logits (PyTorch → Lethe → ONNX).
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset, type Subset } from '../src/data/dataset.ts';
import { importOnnxTask, ImportOnnxArgs } from '../src/jobs/import-task.ts';
import { loadCheckpoint } from '../src/models/checkpoint.ts';
import { exportOnnx } from '../src/models/onnx/export.ts';
import { nhwcToNchw } from '../src/models/onnx/layout.ts';
import { predictProbs } from '../src/train/predict.ts';
import { prepareContext, runMethod } from '../src/unlearn/run.ts';

const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof Ort;
const FIXTURES = fileURLToPath(new URL('./fixtures/onnx/', import.meta.url));
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as { images: number; models: Record<string, { logits: number[][] }> };
const root = mkdtempSync(join(tmpdir(), 'lethe-onnx-roundtrip-'));
const measured: Record<string, number> = {};

afterAll(() => {
  console.log('max |p_onnxruntime - p_lethe| after salun; max |logit_onnxruntime - logit_pytorch| before:', measured);
  rmSync(root, { recursive: true, force: true });
});

/** The exported model run by onnxruntime on Lethe's NHWC images, given as NCHW (the export's input layout). */
async function runOnnx(bytes: Uint8Array, data: Subset) {
  const n = data.y.length;
  const [h, w, c] = data.inputShape;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', nhwcToNchw(data.x, [n, h, w, c]), [n, c, h, w]) });
    return { probs: out.probs.data as Float32Array, logits: out.logits.data as Float32Array };
  } finally {
    await session.release();
  }
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe.each(['mlp', 'cnn', 'resnet'])('%s.onnx: PyTorch → lethe import → salun → exportOnnx → onnxruntime', (name) => {
  let dir: string;
  beforeAll(async () => {
    dir = join(root, name);
    await importOnnxTask(ImportOnnxArgs.parse({ onnx: join(FIXTURES, `${name}.onnx`), data: 'fashion-mnist-mini' }), { out: dir });
  });

  it('gives Lethe\'s probabilities to 1e-5 after unlearning, and PyTorch\'s logits before', async () => {
    const original = await loadCheckpoint(dir);
    const ctx = prepareContext(original, { kind: 'class', classes: [1] }, 3);
    const { model } = await runMethod(ctx, 'salun', { steps: 10 });
    try {
      const test = subset(ctx.dataset, idsOfSplit(ctx.dataset, 'test'));
      const first = subset(ctx.dataset, idsOfSplit(ctx.dataset, 'test').subarray(0, reference.images));
      const before = await runOnnx(exportOnnx(original.model, original.meta), first);
      measured[`${name} before (vs PyTorch)`] = maxDiff(before.logits, reference.models[name].logits.flat());
      expect(measured[`${name} before (vs PyTorch)`]).toBeLessThan(1e-4);

      const after = await runOnnx(exportOnnx(model, { ...original.meta, method: 'salun', parent: original.meta.id }), test);
      const lethe = predictProbs(model, test);
      measured[`${name} after salun`] = maxDiff(after.probs, lethe);
      expect(measured[`${name} after salun`]).toBeLessThan(1e-5);
      // Unlearning changed the model: its exported predictions are not the original's.
      expect(maxDiff(after.probs, predictProbs(original.model, test))).toBeGreaterThan(0.1);
    } finally {
      model.dispose();
      original.model.dispose();
    }
  });
});
