// ONNX export checked by running the exported file: onnxruntime (CPU) on NCHW inputs must give Lethe's own
// probabilities (predictProbs on NHWC) to 1e-5, for every built-in architecture, trained briefly on 'synthetic' and
// with perturbed weights on a 3-channel non-square input; a tabular MLP from a CSV file; the layers the built-in
// architectures do not use; the decoded ModelProto (ops, opset, metadata); and the CLI with its refusals.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import type * as Ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../cli/program.ts';
import { idsOfSplit, subset, type Subset } from '../../data/dataset.ts';
import { loadData } from '../../data/registry.ts';
import { synthetic } from '../../data/synthetic.ts';
import { initBackend } from '../../engine/backend.ts';
import { TrainArgs, trainTask } from '../../jobs/train-task.ts';
import { predictProbs } from '../../train/predict.ts';
import { train } from '../../train/train.ts';
import { saveCheckpoint, type Meta } from '../checkpoint.ts';
import { tf, type Model } from '../layers.ts';
import { buildModel } from '../registry.ts';
import { LETHE_VERSION } from '../version.ts';
import { buildOnnx, exportCheckpoint, exportOnnx } from './export.ts';
import { samePads } from './layout.ts';
import { hwioToOihw, nchwToNhwc, nhwcToNchw, oihwToHwio } from './layout.ts';
import { onnxType } from './proto.ts';

const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof Ort;

const root = mkdtempSync(join(tmpdir(), 'lethe-onnx-export-'));
const ds = synthetic();
const test = subset(ds, idsOfSplit(ds, 'test'));
const RECIPE = { epochs: 1, batchSize: 32, optimizer: 'adam' as const, lr: 0.01, weightDecay: 0, momentum: 0.9 };
/** Max abs difference of probabilities per case, printed at the end for the record. */
const measured: Record<string, number> = {};

beforeAll(async () => {
  process.env.LETHE_HOME = join(root, 'home');
  await initBackend();
});
afterAll(() => {
  console.log('max |p_onnx - p_lethe|:', measured);
  rmSync(root, { recursive: true, force: true });
});

function metaOf(arch: string, inputShape: number[], numClasses: number, extra: Partial<Meta> = {}): Meta {
  return {
    id: `test-${arch}`, parent: null, kind: 'single', arch, dataset: { name: 'synthetic' }, inputShape, task: 'classification', numClasses, seed: 1,
    trainHash: '', recipe: RECIPE, method: 'train', params: {}, forget: null, metrics: {}, created: '2026-01-01T00:00:00.000Z',
    version: LETHE_VERSION, ...extra,
  };
}

/** Runs ONNX bytes on Lethe's (NHWC) data, transposed here to NCHW; returns both outputs. */
async function runOnnx(bytes: Uint8Array, data: Subset) {
  const n = data.y.length;
  const shape = data.inputShape;
  const [x, dims] = shape.length === 3
    ? [nhwcToNchw(data.x, [n, shape[0], shape[1], shape[2]]), [n, shape[2], shape[0], shape[1]]]
    : [data.x, [n, ...shape]];
  const session = await ort.InferenceSession.create(bytes);
  try {
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['probs', 'logits']);
    const out = await session.run({ input: new ort.Tensor('float32', x, dims) });
    expect(out.probs.dims).toEqual([n, data.numClasses]);
    return { probs: out.probs.data as Float32Array, logits: out.logits.data as Float32Array };
  } finally {
    await session.release();
  }
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

/** Lethe's output and the ONNX model's agree: probabilities to 1e-5, logits too (relative to their scale). */
async function expectSame(model: Model, bytes: Uint8Array, data: Subset, label: string) {
  const want = predictProbs(model, data);
  const got = await runOnnx(bytes, data);
  const d = maxDiff(got.probs, want);
  measured[label] = d;
  expect(d, label).toBeLessThan(1e-5);
  const logits = tfc.tidy(() => (model.apply(tfc.tensor(data.x, [data.y.length, ...data.inputShape]), { training: false }) as tfc.Tensor).dataSync());
  const scale = Math.max(1, ...Array.from(logits, Math.abs));
  expect(maxDiff(got.logits, logits) / scale, label).toBeLessThan(1e-5);
}

/** Every weight moved by seeded noise (batch-norm variances drawn positive), so no weight is at a trivial init. */
function perturb(model: Model, seed: number) {
  model.weights.forEach((w, i) => {
    const t = w.read();
    const variance = /moving_variance/.test(w.originalName);
    const noise = tfc.randomUniform(t.shape, variance ? 0.5 : -0.3, variance ? 1.5 : 0.3, 'float32', seed + i);
    w.write(variance ? noise : tfc.add(t, noise));
  });
}

function decode(bytes: Uint8Array) {
  const M = onnxType('ModelProto');
  return M.toObject(M.decode(bytes), { longs: Number, defaults: false }) as {
    irVersion: number; producerName: string; producerVersion: string; opsetImport: { domain?: string; version: number }[];
    metadataProps: { key: string; value: string }[];
    graph: { node: { opType: string; attribute?: { name: string; ints?: number[] }[] }[]; input: { name: string; type: { tensorType: { shape: { dim: { dimParam?: string; dimValue?: number }[] } } } }[]; output: { name: string }[] };
  };
}

const dimsOf = (v: { type: { tensorType: { shape: { dim: { dimParam?: string; dimValue?: number }[] } } } }) =>
  v.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue);

describe('layout helpers', () => {
  it('transpose NHWC ↔ NCHW and HWIO ↔ OIHW, and pad like TensorFlow', () => {
    // [1, 2, 3, 2] NHWC: value = 100h + 10w + c
    const nhwc = Float32Array.from({ length: 12 }, (_, i) => 100 * Math.floor(i / 6) + 10 * (Math.floor(i / 2) % 3) + (i % 2));
    const nchw = nhwcToNchw(nhwc, [1, 2, 3, 2]);
    expect(Array.from(nchw)).toEqual([0, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121]);
    expect(Array.from(nchwToNhwc(nchw, [1, 2, 2, 3]))).toEqual(Array.from(nhwc));
    const hwio = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
    const oihw = hwioToOihw(hwio, [2, 3, 4, 5]);
    // OIHW[o][i][h][w] = HWIO[h][w][i][o]
    expect(oihw[((1 * 4 + 2) * 2 + 1) * 3 + 2]).toBe(hwio[((1 * 3 + 2) * 4 + 2) * 5 + 1]);
    expect(Array.from(oihwToHwio(oihw, [5, 4, 2, 3]))).toEqual(Array.from(hwio));
    expect(samePads(8, 3, 1)).toEqual([1, 1]);
    expect(samePads(8, 3, 2)).toEqual([0, 1]);
    expect(samePads(7, 3, 2)).toEqual([1, 1]);
    expect(samePads(14, 1, 2)).toEqual([0, 0]);
    expect(samePads(7, 2, 2)).toEqual([0, 1]);
    expect(samePads(9, 3, 1, 2)).toEqual([2, 2]);
  });
});

describe('exportOnnx runs in onnxruntime as Lethe predicts', () => {
  const OPS = {
    mlp: ['Flatten', 'Gemm', 'Identity', 'Relu', 'Softmax', 'Transpose'],
    'small-cnn': ['Conv', 'Flatten', 'Gemm', 'Identity', 'MaxPool', 'Relu', 'Softmax', 'Transpose'],
    'resnet-mini': ['Add', 'BatchNormalization', 'Conv', 'Flatten', 'Gemm', 'GlobalAveragePool', 'Identity', 'Relu', 'Softmax'],
  };

  it.each(Object.keys(OPS) as (keyof typeof OPS)[])('%s, trained on synthetic: the test split, ops, opset and metadata', async (arch) => {
    const model = buildModel(arch, ds.inputShape, ds.numClasses, 3);
    try {
      await train(model, subset(ds, idsOfSplit(ds, 'train').subarray(0, 128)), RECIPE, { seed: 3 });
      const meta = metaOf(arch, ds.inputShape, ds.numClasses, { id: `id-${arch}`, parent: 'parent-0' });
      const bytes = exportOnnx(model, meta);
      await expectSame(model, bytes, test, `${arch} synthetic`);

      const m = decode(bytes);
      expect(m.irVersion).toBe(8);
      expect(m.opsetImport).toEqual([{ domain: '', version: 13 }]);
      expect(m.producerName).toBe('lethe');
      expect(m.producerVersion).toBe(LETHE_VERSION);
      expect([...new Set(m.graph.node.map((n) => n.opType))].sort()).toEqual(OPS[arch]);
      expect(m.graph.input.map((v) => [v.name, dimsOf(v)])).toEqual([['input', ['N', 1, 8, 8]]]);
      expect(m.graph.output.map((v) => v.name)).toEqual(['probs', 'logits']);
      const props = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
      expect(props).toMatchObject({
        lethe_version: LETHE_VERSION, model_id: `id-${arch}`, parent_id: 'parent-0', kind: 'single', arch, dataset: '{"name":"synthetic"}',
        input_name: 'input', input_layout: 'NCHW', input_shape: 'N,1,8,8', lethe_input_shape: '8,8,1', num_classes: '4',
      });
      expect(props.outputs).toMatch(/probs: softmax.*logits/);
      // The CNN's Flatten goes back to NHWC first (Lethe's feature order); the ResNet has no Flatten of a 4-D tensor.
      const transposes = m.graph.node.filter((n) => n.opType === 'Transpose');
      for (const t of transposes) expect(t.attribute).toEqual([{ name: 'perm', type: 7, ints: [0, 2, 3, 1] }]);
      if (arch === 'resnet-mini') {
        // 8 → 4 with a 3x3 stride-2 'same' conv: TensorFlow pads 0 before and 1 after.
        const conv = m.graph.node.find((n) => n.opType === 'Conv' && n.attribute?.some((a) => a.name === 'strides' && a.ints?.[0] === 2) && n.attribute.some((a) => a.name === 'kernel_shape' && a.ints?.[0] === 3));
        expect(conv?.attribute?.find((a) => a.name === 'pads')?.ints).toEqual([0, 0, 1, 1]);
      }
    } finally {
      model.dispose();
    }
  });

  it.each(Object.keys(OPS))('%s with perturbed weights on a 3-channel 9x7 input', async (arch) => {
    const shape = [9, 7, 3];
    const model = buildModel(arch, shape, 5, 4);
    try {
      perturb(model, 11);
      const n = 32;
      const random = tfc.randomUniform([n * 9 * 7 * 3], 0, 1, 'float32', 5);
      const data: Subset = { ids: new Int32Array(n), x: random.dataSync() as Float32Array, y: new Int32Array(n), inputShape: shape, numClasses: 5 };
      random.dispose();
      await expectSame(model, exportOnnx(model, metaOf(arch, shape, 5)), data, `${arch} 9x7x3 perturbed`);
      expect(decode(exportOnnx(model, metaOf(arch, shape, 5))).graph.input.map(dimsOf)).toEqual([['N', 3, 9, 7]]);
    } finally {
      model.dispose();
    }
  });

  it('a tabular MLP trained on a CSV file takes [N, F] rows', async () => {
    const csv = join(root, 'table.csv');
    const lines = ['f0,f1,f2,f3,f4,f5,label'];
    for (let i = 0; i < 300; i++) {
      const c = i % 3;
      const row = Array.from({ length: 6 }, (_, j) => (Math.sin(i * 7.1 + j * 3.3) + (j === c ? 1.5 : 0)).toFixed(4));
      lines.push(`${row.join(',')},${c}`);
    }
    writeFileSync(csv, lines.join('\n') + '\n');
    const table = loadData({ name: csv, labelColumn: 'label' });
    expect(table.inputShape).toEqual([6]);
    const model = buildModel('mlp', table.inputShape, table.numClasses, 2);
    try {
      await train(model, subset(table, idsOfSplit(table, 'train')), RECIPE, { seed: 2 });
      const bytes = exportOnnx(model, metaOf('mlp', table.inputShape, table.numClasses, { dataset: { name: csv, labelColumn: 'label' } }));
      await expectSame(model, bytes, subset(table, idsOfSplit(table, 'test')), 'mlp tabular csv');
      const m = decode(bytes);
      expect(m.graph.input.map(dimsOf)).toEqual([['N', 6]]);
      expect([...new Set(m.graph.node.map((n) => n.opType))].sort()).toEqual(['Gemm', 'Identity', 'Relu', 'Softmax']);
      expect(Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]))).toMatchObject({ input_layout: 'NF', input_shape: 'N,6' });
    } finally {
      model.dispose();
    }
  });

  it('the layers the built-in architectures do not use: pooling with same padding, dilation, merges, activations, 1-D batch norm', async () => {
    type T = tf.SymbolicTensor;
    const input = tf.input({ shape: [9, 7, 3] });
    let h = tf.layers.conv2d({ filters: 6, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'elu', name: 'c1' }).apply(input) as T;
    h = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'avg' }).apply(h) as T;
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu6', name: 'c2' }).apply(h) as T;
    const b = tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'max' }).apply(tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'c3' }).apply(h) as T) as T;
    h = tf.layers.concatenate({ name: 'cat' }).apply([
      tf.layers.leakyReLU({ alpha: 0.2, name: 'leaky' }).apply(a) as T,
      tf.layers.reLU({ maxValue: 1, name: 'relu1' }).apply(b) as T,
    ]) as T;
    h = tf.layers.batchNormalization({ name: 'bn', epsilon: 0.01 }).apply(h) as T;
    h = tf.layers.multiply({ name: 'mul' }).apply([h, tf.layers.activation({ activation: 'sigmoid', name: 'gate' }).apply(h) as T]) as T;
    const pooled = tf.layers.globalMaxPooling2d({ name: 'gmax' }).apply(h) as T;
    h = tf.layers.dropout({ rate: 0.5, name: 'drop' }).apply(tf.layers.flatten({ name: 'flat' }).apply(h) as T) as T;
    h = tf.layers.concatenate({ name: 'cat2' }).apply([h, pooled]) as T;
    h = tf.layers.dense({ units: 8, activation: 'tanh', name: 'd1' }).apply(h) as T;
    h = tf.layers.batchNormalization({ name: 'bn1d', center: false }).apply(h) as T;
    h = tf.layers.softmax({ name: 'soft' }).apply(tf.layers.dense({ units: 3, name: 'd2' }).apply(h) as T) as T;
    const model = tf.model({ inputs: input, outputs: h, name: 'extras' });
    try {
      perturb(model, 21);
      const n = 16;
      const random = tfc.randomUniform([n * 9 * 7 * 3], 0, 1, 'float32', 9);
      const data: Subset = { ids: new Int32Array(n), x: random.dataSync() as Float32Array, y: new Int32Array(n), inputShape: [9, 7, 3], numClasses: 3 };
      random.dispose();
      const r = buildOnnx(model, metaOf('extras', [9, 7, 3], 3));
      expect(r.ops).toEqual(expect.arrayContaining(['AveragePool', 'BatchNormalization', 'Clip', 'Concat', 'Elu', 'GlobalMaxPool', 'LeakyRelu', 'MaxPool', 'Mul', 'Sigmoid', 'Tanh']));
      expect(r.ops).not.toContain('Dropout');
      await expectSame(model, r.bytes, data, 'extra layers');
    } finally {
      model.dispose();
    }
  });

  it('an unsupported layer, or a layer setting, is a one-line error naming the layer and its class', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const up = tf.layers.upSampling2d({ size: [2, 2], name: 'up' }).apply(input) as tf.SymbolicTensor;
    const m1 = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 4 }).apply(tf.layers.flatten().apply(up)) as tf.SymbolicTensor });
    expect(() => exportOnnx(m1, metaOf('x', [8, 8, 1], 4))).toThrow(/^cannot export layer "up" \(UpSampling2D\): this layer type has no ONNX export$/);
    const gelu = tf.layers.dense({ units: 4, activation: 'gelu', name: 'g' }).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor;
    expect(() => exportOnnx(tf.model({ inputs: input, outputs: gelu }), metaOf('x', [8, 8, 1], 4))).toThrow(/^cannot export layer "g" \(Dense\): activation "gelu" is not supported$/);
    const dense4d = tf.layers.dense({ units: 4, name: 'd4' }).apply(input) as tf.SymbolicTensor;
    expect(() => exportOnnx(tf.model({ inputs: input, outputs: dense4d }), metaOf('x', [8, 8, 1], 4))).toThrow(/^cannot export layer "d4" \(Dense\): a Dense layer on a 4-D tensor/);
    m1.dispose();
  });
});

describe('lethe export', () => {
  const dirs = { single: join(root, 'single'), sharded: join(root, 'sharded'), analytic: join(root, 'analytic') };
  let model: Model;

  beforeAll(async () => {
    model = buildModel('small-cnn', ds.inputShape, ds.numClasses, 5);
    perturb(model, 31);
    const { id: _id, created: _c, version: _v, kind: _k, manifest: _m, ...meta } = metaOf('small-cnn', ds.inputShape, ds.numClasses);
    await saveCheckpoint(dirs.single, model, meta);
    const base = { data: 'synthetic', model: 'mlp', epochs: 1, seed: 1 };
    await trainTask(TrainArgs.parse({ ...base, recipe: 'sharded:shards=2,slices=2' }), { out: dirs.sharded });
    await trainTask(TrainArgs.parse({ ...base, recipe: 'analytic:dim=32' }), { out: dirs.analytic });
  });
  afterAll(() => model.dispose());

  /** Runs `lethe …args` in this process; its stdout, or the error it throws. */
  async function lethe(...args: string[]): Promise<string> {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await (await buildProgram(['node', 'lethe', ...args])).parseAsync(['node', 'lethe', ...args]);
      return write.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      write.mockRestore();
    }
  }

  it('writes the file atomically and prints one line; --json prints the details', async () => {
    const file = join(root, 'out', 'cnn.onnx');
    mkdirSync(join(root, 'out'));
    const line = await lethe('export', '--model', dirs.single, '--onnx', file);
    expect(line).toMatch(/^wrote .*cnn\.onnx \(\d+\.\d kB, ONNX opset 13\): input "input" float32 \[N,1,8,8\] NCHW, outputs "probs" \[N,4\] and "logits" \[N,4\] \(softmax probabilities and logits\)\n$/);
    expect(readdirSync(join(root, 'out'))).toEqual(['cnn.onnx']);
    await expectSame(model, new Uint8Array(readFileSync(file)), test, 'small-cnn via lethe export');
    const json = JSON.parse(await lethe('export', '--model', dirs.single, '--onnx', file, '--json'));
    expect(json).toMatchObject({ file, opset: 13, irVersion: 8, arch: 'small-cnn', input: { name: 'input', dims: ['N', 1, 8, 8], layout: 'NCHW' } });
    expect(json.bytes).toBe(readFileSync(file).length);
    expect(json.outputs.map((o: { name: string }) => o.name)).toEqual(['probs', 'logits']);
    expect(readdirSync(join(root, 'out'))).toEqual(['cnn.onnx']);
  });

  it('refuses sharded and analytic models, a missing checkpoint and an unwritable path, each in one line', async () => {
    const file = join(root, 'refused.onnx');
    await expect(exportCheckpoint(dirs.sharded, file)).rejects.toThrow(/^cannot export .*sharded: a sharded model is an ensemble of shard networks.*only single models export to ONNX$/);
    await expect(exportCheckpoint(dirs.analytic, file)).rejects.toThrow(/^cannot export .*analytic: an analytic model's prediction is a float64 ridge head .*only single models export to ONNX$/);
    await expect(lethe('export', '--model', dirs.sharded, '--onnx', file)).rejects.toThrow(/sharded model/);
    expect(existsSync(file)).toBe(false);
    await expect(exportCheckpoint(join(root, 'nope'), file)).rejects.toThrow(/^no checkpoint at /);
    await expect(exportCheckpoint(dirs.single, join(root, 'no-such-folder', 'm.onnx'))).rejects.toThrow(/m\.onnx: cannot write \(no folder .*no-such-folder\)$/);
    await expect(exportCheckpoint(dirs.single, join(root, 'out'))).rejects.toThrow(/cannot write \(it is a folder\)$/);
    for (const dir of [dirs.sharded, dirs.analytic]) expect(await exportCheckpoint(dir, file).catch((x: Error) => x.message)).not.toContain('\n');
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
