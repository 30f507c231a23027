// ONNX import checked against PyTorch itself: the fixtures of test/fixtures/onnx (made by make_fixtures.py: an MLP
// ending in Softmax with a MatMul+Add layer, a CNN with batch norm and a padding=1 conv, a small ResNet with a
// stride-2 padding=1 conv, a residual Add and a zero-padded AveragePool) must give PyTorch's logits on the first 64
// test images of fashion-mnist-mini to 1e-4. Measured: at most 3.8e-6 (native backend), 7.6e-6 (wasm).
// Models built here as ModelProtos check what the fixtures do not (several input channels, both flatten orders,
// Gemm's alpha/beta/transB=0, zero-padded max pooling) against a plain NCHW evaluation, and every refusal. The
// imported checkpoint is unlearned with salun and retrained from a seeded re-initialisation of its graph.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tfc from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsOfSplit, subset, type Dataset, type Subset } from '../../data/dataset.ts';
import { loadData } from '../../data/registry.ts';
import { initBackend } from '../../engine/backend.ts';
import { importOnnxTask, ImportOnnxArgs } from '../../jobs/import-task.ts';
import { predictProbs } from '../../train/predict.ts';
import { prepareContext, runMethod } from '../../unlearn/run.ts';
import { accuracyOn } from '../../../test/support/unlearn.ts';
import { loadCheckpoint } from '../checkpoint.ts';
import { reinitialised } from '../graph.ts';
import type { Model } from '../layers.ts';
import { buildModel } from '../registry.ts';
import { importOnnx } from './import.ts';
import { FLOAT, INT64, onnxType } from './proto.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/onnx/', import.meta.url));
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.onnx`));
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as {
  images: number;
  models: Record<string, { sha256: string; logits: number[][]; probs: number[][] }>;
};
const root = mkdtempSync(join(tmpdir(), 'lethe-onnx-import-'));
let mini: Dataset;
let first64: Subset;
/** Max |Lethe − PyTorch| per fixture, printed at the end for the record. */
const measured: Record<string, number> = {};

beforeAll(async () => {
  await initBackend();
  mini = loadData({ name: 'fashion-mnist-mini' });
  first64 = subset(mini, idsOfSplit(mini, 'test').subarray(0, reference.images));
});
afterAll(() => {
  console.log('max |logit_lethe - logit_pytorch|:', measured);
  rmSync(root, { recursive: true, force: true });
});

const importFixture = (name: string, ds: Pick<Dataset, 'inputShape' | 'numClasses' | 'name'> = mini) =>
  importOnnx(fixture(name), { file: `${name}.onnx`, inputShape: ds.inputShape, numClasses: ds.numClasses, dataName: ds.name });

function outputs(model: Model, x: Float32Array, shape: number[]): Float32Array {
  return tfc.tidy(() => (model.predict(tfc.tensor(x, shape)) as tfc.Tensor).dataSync() as Float32Array);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const refLogits = (name: string) => Float32Array.from(reference.models[name].logits.flat());
const logitsOf = (model: Model) => outputs(model, first64.x, [first64.y.length, ...mini.inputShape]);

describe('PyTorch fixtures', () => {
  it.each(['mlp', 'cnn', 'resnet', 'cnn_view'])('%s.onnx gives PyTorch\'s logits on 64 test images to 1e-4', (name) => {
    const { model, source } = importFixture(name);
    try {
      const d = maxDiff(logitsOf(model), refLogits(name));
      measured[name] = d;
      expect(d).toBeLessThan(1e-4);
      expect(source).toMatchObject({ format: 'onnx', file: `${name}.onnx`, sha256: reference.models[name].sha256, producer: 'pytorch', opset: 13 });
      // Lethe's convention: the network outputs logits, predict applies the softmax.
      expect(maxDiff(predictProbs(model, first64), Float32Array.from(reference.models[name].probs.flat()))).toBeLessThan(1e-5);
    } finally {
      model.dispose();
    }
  });

  it('drops a final Softmax (the MLP outputs probabilities in ONNX, logits in Lethe) and reads MatMul+Add as one dense layer', () => {
    const { model, source } = importFixture('mlp');
    try {
      expect(source.softmaxDropped).toBe(true);
      expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Flatten', 'Dense', 'Dense']);
      expect(model.layers.map((l) => l.name)).toEqual(['input', 'flatten1', 'dense1', 'logits']);
    } finally {
      model.dispose();
    }
  });

  it('the CNN flattens channels-last with the dense rows permuted from C,H,W; without that permutation its logits are wrong', () => {
    const { model } = importFixture('cnn');
    try {
      expect(model.layers.map((l) => l.getClassName())).toEqual([
        'InputLayer', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense',
      ]);
      // Batch norm keeps the exported statistics, epsilon and momentum (ONNX's momentum is Keras's: 1 − PyTorch's 0.1).
      const bn = model.getLayer('bn1').getConfig();
      expect(bn.momentum).toBeCloseTo(0.9, 6);
      expect(bn.epsilon).toBeCloseTo(1e-5, 9);
      // The dense layer with PyTorch's row order (C,H,W features) instead: what a missing layout step would give.
      const dense = model.getLayer('dense1');
      const [kernel, bias] = dense.getWeights();
      const k = kernel.dataSync() as Float32Array;
      const [h, w, c, units] = [6, 6, 16, 32];
      const chw = new Float32Array(k.length);
      for (let ci = 0; ci < c; ci++) for (let p = 0; p < h * w; p++) chw.set(k.subarray((p * c + ci) * units, (p * c + ci + 1) * units), (ci * h * w + p) * units);
      const right = logitsOf(model);
      const pytorchOrder = tfc.tensor(chw, kernel.shape);
      dense.setWeights([pytorchOrder, bias]);
      pytorchOrder.dispose();
      const wrong = logitsOf(model);
      expect(maxDiff(right, refLogits('cnn'))).toBeLessThan(1e-4);
      expect(maxDiff(wrong, refLogits('cnn'))).toBeGreaterThan(0.5);
    } finally {
      model.dispose();
    }
  });

  it('a PyTorch padding=1 stride-2 conv is zero padding and a valid conv (TensorFlow\'s "same" would pad 0 before, 1 after)', () => {
    const { model } = importFixture('resnet');
    try {
      const names = model.layers.map((l) => `${l.getClassName()}:${l.name}`);
      expect(names.slice(0, 3)).toEqual(['InputLayer:input', 'ZeroPadding2D:pad1', 'Conv2D:conv1']);
      expect(model.getLayer('conv1').getConfig().padding).toBe('valid');
      // The stride-1 padding=1 convs are exactly 'same'.
      expect(model.getLayer('conv2').getConfig().padding).toBe('same');
      // count_include_pad AveragePool (Pad + AveragePool in ONNX): zero padding and a valid pool.
      expect(names).toContain('AveragePooling2D:pool1');
      expect(model.getLayer('bn2').getConfig().momentum).toBeCloseTo(0.8, 6);
      expect(model.getLayer('bn2').getConfig().epsilon).toBeCloseTo(1e-3, 9);
    } finally {
      model.dispose();
    }
  });

  it('names the first unsupported operator and its node, in one line', () => {
    expect(() => importFixture('unsupported')).toThrow(/^unsupported\.onnx: unsupported operator Sigmoid \(node "\/Sigmoid"\): Lethe imports Conv, Gemm, [^\n]*$/);
  });

  it('refuses a data set of another shape or class count, in one line', () => {
    const synthetic = loadData({ name: 'synthetic' });
    expect(() => importFixture('cnn', synthetic)).toThrow(/^cnn\.onnx: input "x" \[n,1,28,28\] takes 1x28x28 images \(channels x height x width\), but synthetic has 8x8x1 images/);
    expect(() => importFixture('mlp', { inputShape: [784], numClasses: 10, name: 'rows.csv' })).toThrow(/takes images \(N,C,H,W\), but rows\.csv has 784 features/);
    expect(() => importFixture('cnn', { inputShape: [28, 28, 3], numClasses: 10, name: 'rgb' })).toThrow(/takes 1x28x28 images .* but rgb has 28x28x3 images/);
    expect(() => importFixture('cnn', { inputShape: [28, 28, 1], numClasses: 4, name: 'four' })).toThrow(/^cnn\.onnx: the model gives 10 class scores, but four has 4 classes$/);
    expect(() => importOnnx(Uint8Array.from([1, 2, 3, 4, 5]), { file: 'junk.onnx', inputShape: [28, 28, 1], numClasses: 10 })).toThrow(/^junk\.onnx: not an ONNX model/);
  });
});

// ---- models written here, checked against a plain NCHW evaluation of the same ONNX semantics ----

type AttrV = { i: number } | { f: number } | { ints: number[] } | { s: string };
const I = (i: number): AttrV => ({ i });
const F = (f: number): AttrV => ({ f });
const Is = (ints: number[]): AttrV => ({ ints });
interface NodeSpec { op: string; in: string[]; out: string; attrs?: Record<string, AttrV>; name?: string }
interface Init { dims: number[]; data: ArrayLike<number>; type?: number; raw?: boolean }

const ATTR_TYPE = (v: AttrV) => ('i' in v ? 'INT' : 'f' in v ? 'FLOAT' : 'ints' in v ? 'INTS' : 'STRING');

function onnxBytes(inputDims: (number | string)[], nodes: NodeSpec[], inits: Record<string, Init>, { opset = 13, output = 'y' } = {}): Uint8Array {
  const M = onnxType('ModelProto');
  const tensor = (name: string, t: Init) => {
    const type = t.type ?? FLOAT;
    if (t.raw) return { name, dims: t.dims, dataType: type, rawData: new Uint8Array(Float32Array.from(t.data).buffer) };
    return type === INT64 ? { name, dims: t.dims, dataType: type, int64Data: Array.from(t.data) } : type === FLOAT
      ? { name, dims: t.dims, dataType: type, floatData: Array.from(t.data) }
      : { name, dims: t.dims, dataType: type, doubleData: Array.from(t.data) };
  };
  const msg = M.fromObject({
    irVersion: 8, producerName: 'lethe-test', producerVersion: '0', opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'g',
      node: nodes.map((n, k) => ({
        name: n.name ?? `n${k}`, opType: n.op, input: n.in, output: [n.out],
        attribute: Object.entries(n.attrs ?? {}).map(([name, v]) => ({ name, type: ATTR_TYPE(v), ...('s' in v ? { s: new TextEncoder().encode(v.s) } : v) })),
      })),
      initializer: Object.entries(inits).map(([name, t]) => tensor(name, t)),
      input: [{ name: 'x', type: { tensorType: { elemType: FLOAT, shape: { dim: inputDims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } }],
      output: [{ name: output, type: { tensorType: { elemType: FLOAT } } }],
    },
  });
  return M.encode(msg).finish();
}

/** Seeded uniform values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** A value of the reference evaluation: data and ONNX shape (NCHW for images). */
type Ref = { d: Float32Array; s: number[] };

const nchw = {
  conv(x: Ref, w: Ref, b: Float32Array | undefined, [pt, pl, pb, pr]: number[], [sh, sw]: number[]): Ref {
    const [n, c, h, wd] = x.s;
    const [o, , kh, kw] = w.s;
    const oh = Math.floor((h + pt + pb - kh) / sh) + 1;
    const ow = Math.floor((wd + pl + pr - kw) / sw) + 1;
    const d = new Float32Array(n * o * oh * ow);
    for (let a = 0; a < n; a++) for (let f = 0; f < o; f++) for (let y = 0; y < oh; y++) for (let z = 0; z < ow; z++) {
      let sum = b ? b[f] : 0;
      for (let ci = 0; ci < c; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const yy = y * sh + i - pt;
        const zz = z * sw + j - pl;
        if (yy >= 0 && yy < h && zz >= 0 && zz < wd) sum += x.d[((a * c + ci) * h + yy) * wd + zz] * w.d[((f * c + ci) * kh + i) * kw + j];
      }
      d[((a * o + f) * oh + y) * ow + z] = sum;
    }
    return { d, s: [n, o, oh, ow] };
  },
  maxPool(x: Ref, k: number, st: number, p: number): Ref {
    const [n, c, h, w] = x.s;
    const oh = Math.floor((h + 2 * p - k) / st) + 1;
    const ow = Math.floor((w + 2 * p - k) / st) + 1;
    const d = new Float32Array(n * c * oh * ow);
    for (let a = 0; a < n * c; a++) for (let y = 0; y < oh; y++) for (let z = 0; z < ow; z++) {
      let m = -Infinity;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
        const yy = y * st + i - p;
        const zz = z * st + j - p;
        if (yy >= 0 && yy < h && zz >= 0 && zz < w) m = Math.max(m, x.d[(a * h + yy) * w + zz]);
      }
      d[(a * oh + y) * ow + z] = m;
    }
    return { d, s: [n, c, oh, ow] };
  },
  relu: (x: Ref): Ref => ({ d: x.d.map((v) => Math.max(v, 0)), s: x.s }),
  flatten: (x: Ref): Ref => ({ d: x.d, s: [x.s[0], x.d.length / x.s[0]] }),
  /** alpha·x·B' + beta·C, B' = transB ? Bᵀ : B. */
  gemm(x: Ref, b: Ref, c: Float32Array | undefined, transB: boolean, alpha = 1, beta = 1): Ref {
    const [n, k] = x.s;
    const units = transB ? b.s[0] : b.s[1];
    const d = new Float32Array(n * units);
    for (let a = 0; a < n; a++) for (let u = 0; u < units; u++) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += x.d[a * k + i] * (transB ? b.d[u * k + i] : b.d[i * units + u]);
      d[a * units + u] = alpha * sum + (c ? beta * c[u] : 0);
    }
    return { d, s: [n, units] };
  },
};

const init = (r: Ref): Init => ({ dims: r.s, data: r.d });

/** NCHW data → Lethe's NHWC. */
function toNhwc(x: Ref): Float32Array {
  const [n, c, h, w] = x.s;
  const out = new Float32Array(x.d.length);
  for (let a = 0; a < n; a++) for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let z = 0; z < w; z++) out[((a * h + y) * w + z) * c + ci] = x.d[((a * c + ci) * h + y) * w + z];
  return out;
}

function runImported(bytes: Uint8Array, x: Ref, numClasses: number) {
  const [n, c, h, w] = x.s;
  const { model } = importOnnx(bytes, { file: 'made.onnx', inputShape: [h, w, c], numClasses });
  try {
    return { out: outputs(model, toNhwc(x), [n, h, w, c]), layers: model.layers.map((l) => l.getClassName()) };
  } finally {
    model.dispose();
  }
}

describe('models built here, against a plain NCHW evaluation', () => {
  it('3 input channels, a stride-2 pad-1 conv, zero-padded max pooling after a ReLU, a 1x1 conv, Flatten, Gemm with alpha, beta and transB=0', () => {
    // On 8x6, PyTorch's pads (1,1) are not TensorFlow's 'same' (0,1), for the conv and the pool alike.
    const x: Ref = { d: values(3 * 3 * 8 * 6, 1), s: [3, 3, 8, 6] };
    const w1: Ref = { d: values(4 * 3 * 3 * 3, 2), s: [4, 3, 3, 3] };
    const b1 = values(4, 3);
    const w2: Ref = { d: values(2 * 4, 4), s: [2, 4, 1, 1] };
    // 8x6 → conv s2 p1 → 4x3 → maxpool k3 s2 p1 → 2x2 → 1x1 conv (2 channels) → 8 features → 5 classes.
    const g: Ref = { d: values(8 * 5, 5), s: [8, 5] };
    const gc = values(5, 6);
    const bytes = onnxBytes(['n', 3, 8, 6], [
      { op: 'Conv', in: ['x', 'w1', 'b1'], out: 'c1', attrs: { kernel_shape: Is([3, 3]), pads: Is([1, 1, 1, 1]), strides: Is([2, 2]) } },
      { op: 'Relu', in: ['c1'], out: 'r1' },
      { op: 'MaxPool', in: ['r1'], out: 'p1', attrs: { kernel_shape: Is([3, 3]), pads: Is([1, 1, 1, 1]), strides: Is([2, 2]) } },
      { op: 'Conv', in: ['p1', 'w2'], out: 'c2', attrs: { kernel_shape: Is([1, 1]) } },
      { op: 'Flatten', in: ['c2'], out: 'f' },
      { op: 'Dropout', in: ['f'], out: 'fd' },
      { op: 'Gemm', in: ['fd', 'g', 'gc'], out: 'y', attrs: { alpha: F(0.5), beta: F(2) } },
    ], { w1: { ...init(w1), raw: true }, b1: { dims: [4], data: b1 }, w2: init(w2), g: init(g), gc: { dims: [5], data: gc } });
    const want = nchw.gemm(nchw.flatten(nchw.conv(nchw.maxPool(nchw.relu(nchw.conv(x, w1, b1, [1, 1, 1, 1], [2, 2])), 3, 2, 1), w2, undefined, [0, 0, 0, 0], [1, 1])), g, gc, false, 0.5, 2);
    const { out, layers } = runImported(bytes, x, 5);
    expect(maxDiff(out, want.d)).toBeLessThan(1e-5);
    expect(layers).toEqual(['InputLayer', 'ZeroPadding2D', 'Conv2D', 'ZeroPadding2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense']);
  });

  it('a Flatten that no dense layer reads is permuted to C,H,W first; a flat-feature model of image data flattens as PyTorch does', () => {
    const w: Ref = { d: values(2 * 3, 7), s: [2, 3, 1, 1] };
    const small: Ref = { d: values(2 * 3 * 2 * 2, 8), s: [2, 3, 2, 2] };
    const flat = onnxBytes(['n', 3, 2, 2], [
      { op: 'Conv', in: ['x', 'w'], out: 'c', attrs: { kernel_shape: Is([1, 1]) } },
      { op: 'Reshape', in: ['c', 'shape'], out: 'f' },
      { op: 'Identity', in: ['f'], out: 'y' },
    ], { w: init(w), shape: { dims: [2], data: [0, -1], type: INT64 } });
    const got = runImported(flat, small, 8);
    expect(got.layers).toEqual(['InputLayer', 'Conv2D', 'Permute', 'Flatten']);
    expect(maxDiff(got.out, nchw.flatten(nchw.conv(small, w, undefined, [0, 0, 0, 0], [1, 1])).d)).toBeLessThan(1e-6);

    // An [N, 12] input fed 2x2x3 images: flattened C,H,W (by the dense rows), then MatMul without a bias, Softmax.
    const m: Ref = { d: values(12 * 4, 9), s: [12, 4] };
    const rows = onnxBytes(['n', 12], [
      { op: 'MatMul', in: ['x', 'm'], out: 'z' },
      { op: 'Softmax', in: ['z'], out: 'y', attrs: { axis: I(1) } },
    ], { m: init(m) });
    const viaRows = runImported(rows, small, 4);
    expect(viaRows.layers).toEqual(['InputLayer', 'Flatten', 'Dense']);
    expect(maxDiff(viaRows.out, nchw.gemm(nchw.flatten(small), m, undefined, false).d)).toBeLessThan(1e-5);
  });

  const conv = (attrs: Record<string, AttrV>, w: Init = { dims: [2, 3, 3, 3], data: values(54, 10) }) => onnxBytes(['n', 3, 9, 7], [
    { op: 'Conv', in: ['x', 'w'], out: 'c', attrs: { kernel_shape: Is([3, 3]), ...attrs }, name: 'the_conv' },
    { op: 'GlobalAveragePool', in: ['c'], out: 'p' },
    { op: 'Flatten', in: ['p'], out: 'y' },
  ], { w });
  const fails = (bytes: Uint8Array, classes = 2, inputShape = [9, 7, 3]) => () => importOnnx(bytes, { file: 'made.onnx', inputShape, numClasses: classes });

  it('refuses what it cannot build exactly, naming the node', () => {
    expect(fails(conv({ group: I(3) }, { dims: [3, 1, 3, 3], data: values(27, 11) }))).toThrow(/^made\.onnx: node "the_conv" \(Conv\): group=3 \(grouped or depthwise convolution\) is not supported$/);
    expect(fails(conv({}, { dims: [2, 3, 3, 3], data: values(54, 10), type: 11 } as Init))).toThrow(/initializer "w" is DOUBLE: Lethe imports float32 weights only/);
    expect(fails(conv({}), 5)).toThrow(/the model gives 2 class scores, but the data set has 5 classes/);
    // Max pooling with pads that are not TensorFlow's 'same', on values that may be negative (−∞ padding matters).
    expect(fails(onnxBytes(['n', 3, 8, 8], [
      { op: 'MaxPool', in: ['x'], out: 'p', attrs: { kernel_shape: Is([2, 2]), strides: Is([2, 2]), pads: Is([1, 1, 1, 1]) }, name: 'pool' },
      { op: 'GlobalMaxPool', in: ['p'], out: 'g' },
      { op: 'Flatten', in: ['g'], out: 'y' },
    ], {}), 3, [8, 8, 3])).toThrow(/^made\.onnx: node "pool" \(MaxPool\): pads \[1,1,1,1\] on a 8x8 input: TensorFlow\.js pools only/);
    expect(fails(onnxBytes(['n', 3, 9, 7], [
      { op: 'Flatten', in: ['x'], out: 'f' },
      { op: 'Softmax', in: ['f'], out: 's', name: 'mid' },
      { op: 'Gemm', in: ['s', 'g'], out: 'y' },
    ], { g: { dims: [189, 2], data: values(378, 12) } }))).toThrow(/node "mid" \(Softmax\): Softmax is imported only as the model's last operation/);
    expect(fails(onnxBytes(['n', 3, 9, 7], [{ op: 'LSTM', in: ['x'], out: 'y', name: 'rnn' }], {}))).toThrow(/^made\.onnx: unsupported operator LSTM \(node "rnn"\)/);
    // Shape arithmetic is folded; integer math on the model's values is not.
    expect(fails(onnxBytes(['n', 3, 9, 7], [
      { op: 'Flatten', in: ['x'], out: 'f' },
      { op: 'Gather', in: ['f', 'i'], out: 'y', name: 'lookup' },
    ], { i: { dims: [1], data: [0], type: INT64 } }))).toThrow(/^made\.onnx: node "lookup" \(Gather\): its data must be integers computed from a shape or given as constants: Lethe folds shape arithmetic only/);
    expect(fails(onnxBytes(['n', 3, 9, 7], [
      { op: 'Shape', in: ['x'], out: 's' },
      { op: 'Gather', in: ['s', 'i'], out: 'g', name: 'far' },
      { op: 'Flatten', in: ['x'], out: 'y' },
    ], { i: { dims: [], data: [4], type: INT64 } }))).toThrow(/node "far" \(Gather\): index 4 is outside the shape \[n,3,9,7\]/);
  });
});

// ---- the imported checkpoint under Lethe's methods ----

describe('an imported checkpoint', () => {
  let dir: string;

  beforeAll(async () => {
    dir = join(root, 'cnn');
    const args = ImportOnnxArgs.parse({ onnx: join(FIXTURES, 'cnn.onnx'), data: 'fashion-mnist-mini', seed: 3, epochs: 1 });
    const r = await importOnnxTask(args, { out: dir });
    expect(r).toMatchObject({ arch: 'onnx:cnn', dataset: 'fashion-mnist-mini', trainSamples: 3000 });
  });

  it('records where it came from and the training split as its manifest; loads to the same outputs', async () => {
    const ck = await loadCheckpoint(dir);
    try {
      expect(ck.meta).toMatchObject({
        kind: 'single', arch: 'onnx:cnn', method: 'import', parent: null, seed: 3, dataset: { name: 'fashion-mnist-mini' },
        inputShape: [28, 28, 1], numClasses: 10, manifest: { count: 3000 },
        recipe: { epochs: 1, batchSize: 128, optimizer: 'adam', lr: 1e-3 },
        source: { file: 'cnn.onnx', sha256: reference.models.cnn.sha256, producer: 'pytorch', producerVersion: '1.13.0', opset: 13, softmaxDropped: false },
      });
      expect(maxDiff(logitsOf(ck.model), refLogits('cnn'))).toBeLessThan(1e-4);
    } finally {
      ck.model.dispose();
    }
  });

  it('unlearns a class with salun and retrains from a seeded re-initialisation of its own graph', async () => {
    const ck = await loadCheckpoint(dir);
    const ctx = prepareContext(ck, { kind: 'class', classes: [1] }, 7);
    const before = accuracyOn(ctx, ck.model, ctx.sets.forgetTest!);
    expect(before).toBeGreaterThan(80);
    const salun = await runMethod(ctx, 'salun', { steps: 20 });
    const retrain = await runMethod(ctx, 'retrain', {});
    try {
      expect(accuracyOn(ctx, salun.model, ctx.sets.forgetTest!)).toBeLessThan(20);
      expect(accuracyOn(ctx, salun.model, ctx.sets.retainTest!)).toBeGreaterThan(60);
      // The same graph, trained from scratch on the retain set (one epoch, the recipe given at import).
      expect(retrain.model.layers.map((l) => l.getClassName())).toEqual(ck.model.layers.map((l) => l.getClassName()));
      expect(accuracyOn(ctx, retrain.model, ctx.sets.forgetTest!)).toBe(0);
      expect(accuracyOn(ctx, retrain.model, ctx.sets.retainTest!)).toBeGreaterThan(40);
    } finally {
      [ck.model, salun.model, retrain.model].forEach((m) => m.dispose());
    }
  });

  it('the re-initialisation is seeded: kernels Glorot from the seed, biases and batch-norm statistics reset', async () => {
    const ck = await loadCheckpoint(dir);
    const [a, b, c] = [reinitialised(ck.model, 5), buildModel('onnx:cnn', [28, 28, 1], 10, 5, ck.model), reinitialised(ck.model, 6)];
    try {
      const flat = (m: Model) => Float32Array.from(m.getWeights().flatMap((w) => Array.from(w.dataSync())));
      expect(flat(a)).toEqual(flat(b));
      expect(flat(a)).not.toEqual(flat(c));
      expect(flat(a)).not.toEqual(flat(ck.model));
      const [gamma, beta, mean, variance] = a.getLayer('bn1').getWeights().map((w) => Array.from(w.dataSync()));
      expect([gamma, beta, mean, variance]).toEqual([Array(8).fill(1), Array(8).fill(0), Array(8).fill(0), Array(8).fill(1)]);
      expect(() => buildModel('onnx:cnn', [28, 28, 1], 10, 5)).toThrow(/imported/);
    } finally {
      [ck.model, a, b, c].forEach((m) => m.dispose());
    }
  });
});
