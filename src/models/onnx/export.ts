// ONNX export of a single Lethe network: the functional graph of a TensorFlow.js layers model, walked layer by
// layer from its configuration and weights, into an ONNX ModelProto (opset 13) that onnxruntime or PyTorch runs.
//
// Conventions (also written into the model's metadata_props and doc_string):
// - input "input", float32: images as NCHW [N, C, H, W] (the ONNX/PyTorch convention; Lethe holds them as NHWC
//   [H, W, C] and the export converts: conv kernels HWIO → OIHW, and a Transpose to NHWC before each Flatten of a
//   4-D tensor, so Dense layers see features in Lethe's order); tabular rows as [N, F]. N is dynamic.
// - outputs "probs" [N, K]: softmax of the network's output, what `lethe predict` writes (predictProbs), and
//   "logits" [N, K]: the network's raw output (Lethe's architectures end in a linear Dense layer).
// - 'same' padding: explicit pads computed as TensorFlow does (the extra row or column after, when odd);
//   'valid': none. Batch normalization in its inference form (scale, B, moving mean and variance, epsilon).
//   Dropout and noise layers are left out (identity at inference).
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { initBackend } from '../../engine/backend.ts';
import { loadCheckpoint, readMeta, type Meta } from '../checkpoint.ts';
import type { Model } from '../layers.ts';
import { LETHE_VERSION } from '../version.ts';
import { hwioToOihw, samePads } from './layout.ts';
import { FLOAT, INT64, onnxType } from './proto.ts';

export const OPSET = 13;
export const IR_VERSION = 8;
export const INPUT_NAME = 'input';
export const PROBS_NAME = 'probs';
export const LOGITS_NAME = 'logits';

/** AttributeProto.AttributeType values used here. */
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

type Attr = { name: string; type: number; f?: number; i?: number; s?: Uint8Array; ints?: number[] };
const int = (name: string, i: number): Attr => ({ name, type: ATTR.INT, i });
const ints = (name: string, v: number[]): Attr => ({ name, type: ATTR.INTS, ints: v });
const float = (name: string, f: number): Attr => ({ name, type: ATTR.FLOAT, f });
const str = (name: string, v: string): Attr => ({ name, type: ATTR.STRING, s: new TextEncoder().encode(v) });

/** A tensor of the ONNX graph: its name, its layout and its TF.js shape (batch first, null). */
interface Value {
  name: string;
  /** nchw: a 4-D image tensor held as NCHW (TF.js holds it as NHWC); plain: the same layout as in TF.js. */
  layout: 'nchw' | 'plain';
  shape: (number | null)[];
}

interface LayerConfig {
  name: string;
  className: string;
  config: Record<string, unknown>;
  inboundNodes: [string, number, number, unknown][][];
}

/** The ONNX input's dims and layout for a Lethe input shape (per sample, TF.js order). */
export function onnxInput(inputShape: number[]): { dims: (number | 'N')[]; layout: string } {
  if (inputShape.length === 3) {
    const [h, w, c] = inputShape;
    return { dims: ['N', c, h, w], layout: 'NCHW' };
  }
  return { dims: ['N', ...inputShape], layout: inputShape.length === 1 ? 'NF' : `N${'D'.repeat(inputShape.length)}` };
}


const pair = (v: unknown, what: string, layer: string): [number, number] => {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((x) => Number.isInteger(x))) throw new Error(`layer "${layer}": bad ${what} ${JSON.stringify(v)}`);
  return a as [number, number];
};

/** Float32 values as little-endian bytes (TensorProto.raw_data). */
function rawFloats(data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

class Graph {
  readonly nodes: object[] = [];
  readonly initializers: object[] = [];
  readonly ops = new Set<string>();
  private readonly names = new Set<string>([INPUT_NAME]);

  private fresh(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX export: two tensors named "${name}" (rename a layer)`);
    this.names.add(name);
    return name;
  }

  node(op: string, inputs: string[], output: string, attribute: Attr[] = []): string {
    this.ops.add(op);
    this.nodes.push({ opType: op, name: output, input: inputs, output: [this.fresh(output)], attribute });
    return output;
  }

  /** An int64 initializer (shapes, pads). */
  int64s(name: string, data: number[]): string {
    this.initializers.push({ name: this.fresh(name), dims: [data.length], dataType: INT64, int64Data: data });
    return name;
  }

  tensor(name: string, dims: number[], data: ArrayLike<number>): string {
    if (dims.reduce((a, b) => a * b, 1) !== data.length) throw new Error(`ONNX export: ${name} has ${data.length} values for dims [${dims.join(',')}]`);
    this.initializers.push({ name: this.fresh(name), dims, dataType: FLOAT, rawData: rawFloats(data) });
    return name;
  }
}

/** A layer's weight by its Keras name (kernel, bias, gamma, …), as float32 data and shape. */
function weight(model: Model, layer: string, key: string): { data: Float32Array; shape: number[] } | undefined {
  const l = model.getLayer(layer);
  const w = l.weights.find((v) => new RegExp(`(^|/)${key}(_\\d+)?$`).test(v.originalName));
  if (!w) return undefined;
  return { data: Float32Array.from(w.read().dataSync() as Float32Array), shape: w.shape as number[] };
}

function needWeight(model: Model, layer: string, key: string) {
  const w = weight(model, layer, key);
  if (!w) throw new Error(`layer "${layer}" has no ${key} weight`);
  return w;
}

/** The TF.js output shape of a layer (one output). */
function outShape(model: Model, layer: string): (number | null)[] {
  const s = model.getLayer(layer).outputShape;
  if (Array.isArray(s[0])) throw new Error(`layer "${layer}" has several outputs: ONNX export takes layers with one`);
  return s as (number | null)[];
}

/** A TF.js axis of a tensor → the ONNX axis of the same tensor as exported. */
function onnxAxis(v: Value, axis: number): number {
  const rank = v.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} is out of range for rank ${rank}`);
  return v.layout === 'nchw' ? [0, 2, 3, 1][a] : a;
}

/**
 * The ONNX model of a single Lethe network, as ModelProto bytes, with the conventions of this file's header.
 * An unsupported layer (or a configuration of one) is a one-line error naming the layer and its class.
 */
export function exportOnnx(model: Model, meta: Meta): Uint8Array {
  return buildOnnx(model, meta).bytes;
}

export interface OnnxExport {
  bytes: Uint8Array;
  opset: number;
  irVersion: number;
  ops: string[];
  input: { name: string; dims: (number | 'N')[]; layout: string };
  outputs: { name: string; dims: (number | 'N')[]; meaning: string }[];
}

/** Why a checkpoint of another kind is not exported (one line). */
export function refusal(meta: Pick<Meta, 'kind'>): string | undefined {
  if (meta.kind === 'single') return undefined;
  if (meta.kind === 'sharded') return 'a sharded model is an ensemble of shard networks whose live slice prefixes change with each deletion, not one network: only single models export to ONNX';
  if (meta.kind === 'analytic') return 'an analytic model\'s prediction is a float64 ridge head (head.bin) on random features, outside the network: only single models export to ONNX';
  return `a ${meta.kind} model is not a single network: only single models export to ONNX`;
}

export function buildOnnx(model: Model, meta: Meta): OnnxExport {
  const refused = refusal(meta);
  if (refused) throw new Error(`cannot export model ${meta.id}: ${refused}`);
  const config = model.getConfig() as unknown as { layers?: LayerConfig[]; inputLayers?: [string, number, number][]; outputLayers?: [string, number, number][] };
  if (!config.layers || !config.inputLayers || !config.outputLayers) throw new Error('ONNX export takes a functional TF.js model (tf.model), not a Sequential one');
  if (config.inputLayers.length !== 1 || config.outputLayers.length !== 1) {
    throw new Error(`ONNX export takes a model with one input and one output, not ${config.inputLayers.length} and ${config.outputLayers.length}`);
  }
  const g = new Graph();
  const values = new Map<string, Value>();
  const inputName = config.inputLayers[0][0];

  for (const l of config.layers) {
    const { name, className } = l;
    const c = l.config;
    const fail = (why: string): never => {
      throw new Error(`cannot export layer "${name}" (${className}): ${why}`);
    };
    if (l.inboundNodes.length > 1) fail('the layer is applied more than once (shared layers are not supported)');
    const inputs = (l.inboundNodes[0] ?? []).map(([from, , tensorIndex]) => {
      const v = values.get(from);
      if (!v || tensorIndex !== 0) fail(`its input "${from}" was not exported`);
      return v!;
    });
    const x = inputs[0];
    const shape = className === 'InputLayer' ? (c.batchInputShape as (number | null)[]) : outShape(model, name);
    const out = (v: string, layout: Value['layout'] = x.layout): Value => ({ name: v, layout, shape });
    const one = () => {
      if (inputs.length !== 1) fail(`expected one input, got ${inputs.length}`);
    };
    const channelsLast = () => {
      if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast') fail(`dataFormat ${String(c.dataFormat)} (only channelsLast)`);
      if (x.layout !== 'nchw' || x.shape.length !== 4) fail(`expected a 4-D image input, got shape [${x.shape.join(',')}]`);
    };
    /** Emits `act` on `v` (a TF.js activation name); linear emits nothing. */
    const activate = (act: string, v: Value, suffix: string): Value => {
      const o = `${name}/${suffix}`;
      switch (act) {
        case 'linear': return v;
        case 'relu': return { ...v, name: g.node('Relu', [v.name], o) };
        case 'relu6': return { ...v, name: g.node('Clip', [v.name, g.tensor(`${o}/min`, [], [0]), g.tensor(`${o}/max`, [], [6])], o) };
        case 'sigmoid': return { ...v, name: g.node('Sigmoid', [v.name], o) };
        case 'tanh': return { ...v, name: g.node('Tanh', [v.name], o) };
        case 'elu': return { ...v, name: g.node('Elu', [v.name], o, [float('alpha', 1)]) };
        case 'selu': return { ...v, name: g.node('Selu', [v.name], o) };
        case 'softplus': return { ...v, name: g.node('Softplus', [v.name], o) };
        case 'softsign': return { ...v, name: g.node('Softsign', [v.name], o) };
        case 'hardSigmoid': return { ...v, name: g.node('HardSigmoid', [v.name], o, [float('alpha', 0.2), float('beta', 0.5)]) };
        case 'softmax': return { ...v, name: g.node('Softmax', [v.name], o, [int('axis', onnxAxis(v, -1))]) };
        case 'swish': return { ...v, name: g.node('Mul', [v.name, g.node('Sigmoid', [v.name], `${o}/sigmoid`)], o) };
        default: return fail(`activation "${act}" is not supported`);
      }
    };

    let result: Value;
    switch (className) {
      case 'InputLayer': {
        if (name !== inputName) fail('a second input');
        if (shape.slice(1).some((d) => d === null)) fail(`the input shape [${shape.slice(1).join(',')}] must be fixed (only the batch is dynamic)`);
        result = { name: INPUT_NAME, layout: shape.length === 4 ? 'nchw' : 'plain', shape };
        break;
      }
      case 'Dense': {
        one();
        if (x.shape.length !== 2) fail(`a Dense layer on a ${x.shape.length}-D tensor (only on flat [N, features] inputs)`);
        const k = needWeight(model, name, 'kernel');
        const b = c.useBias === false ? undefined : needWeight(model, name, 'bias');
        const ins = [x.name, g.tensor(`${name}/kernel`, k.shape, k.data), ...(b ? [g.tensor(`${name}/bias`, b.shape, b.data)] : [])];
        result = activate(String(c.activation ?? 'linear'), out(g.node('Gemm', ins, `${name}/gemm`)), String(c.activation));
        break;
      }
      case 'Conv2D': {
        one();
        channelsLast();
        const [kh, kw] = pair(c.kernelSize, 'kernelSize', name);
        const strides = pair(c.strides ?? 1, 'strides', name);
        const dilations = pair(c.dilationRate ?? 1, 'dilationRate', name);
        if ((c.groups ?? 1) !== 1) fail('grouped convolution');
        const pads = padsOf(c.padding, x.shape, [kh, kw], strides, dilations, fail);
        const k = needWeight(model, name, 'kernel');
        const [h, w, ci, co] = k.shape;
        const b = c.useBias === false ? undefined : needWeight(model, name, 'bias');
        const ins = [x.name, g.tensor(`${name}/kernel`, [co, ci, h, w], hwioToOihw(k.data, [h, w, ci, co])), ...(b ? [g.tensor(`${name}/bias`, b.shape, b.data)] : [])];
        const conv = g.node('Conv', ins, `${name}/conv`, [ints('kernel_shape', [kh, kw]), ints('strides', strides), ints('dilations', dilations), ints('pads', pads), int('group', 1)]);
        checkSpatial(shape, x.shape, [kh, kw], strides, dilations, pads, fail);
        result = activate(String(c.activation ?? 'linear'), out(conv), String(c.activation));
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        one();
        channelsLast();
        const size = pair(c.poolSize ?? 2, 'poolSize', name);
        const strides = pair(c.strides ?? size, 'strides', name);
        const pads = padsOf(c.padding, x.shape, size, strides, [1, 1], fail);
        checkSpatial(shape, x.shape, size, strides, [1, 1], pads, fail);
        const attrs = [ints('kernel_shape', size), ints('strides', strides), ints('pads', pads)];
        // TensorFlow averages over the window's pixels inside the image only.
        result = className === 'MaxPooling2D'
          ? out(g.node('MaxPool', [x.name], `${name}/pool`, attrs))
          : out(g.node('AveragePool', [x.name], `${name}/pool`, [...attrs, int('count_include_pad', 0)]));
        break;
      }
      case 'ZeroPadding2D': {
        one();
        channelsLast();
        const pd = c.padding as number | [number, number] | [[number, number], [number, number]];
        const [[top, bottom], [left, right]] = typeof pd === 'number' ? [[pd, pd], [pd, pd]]
          : typeof pd[0] === 'number' ? [[pd[0], pd[0]], [pd[1] as number, pd[1] as number]] : pd as [[number, number], [number, number]];
        // ONNX Pad: every axis's begin, then every axis's end, in the NCHW tensor's axis order.
        const pads = g.int64s(`${name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
        result = out(g.node('Pad', [x.name, pads], `${name}/pad`, [str('mode', 'constant')]));
        break;
      }
      case 'Permute': {
        one();
        // Channels first before a flatten (how an imported PyTorch graph keeps C,H,W feature order): the ONNX
        // tensor is NCHW already, so only the bookkeeping changes.
        const dims = (c.dims as number[]) ?? [];
        if (x.layout !== 'nchw' || dims.join(',') !== '3,1,2') fail(`dims [${dims.join(',')}] (only [3,1,2] on an image: channels first)`);
        result = { name: x.name, layout: 'plain', shape };
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        one();
        channelsLast();
        if (c.keepDims) fail('keepDims');
        const pooled = g.node(className === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x.name], `${name}/pool`);
        result = out(g.node('Flatten', [pooled], `${name}/flatten`, [int('axis', 1)]), 'plain');
        break;
      }
      case 'Flatten': {
        one();
        if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast') fail(`dataFormat ${String(c.dataFormat)}`);
        if (x.layout === 'nchw') {
          // Back to NHWC first, so the features come in Lethe's order (what its Dense weights expect).
          const nhwc = g.node('Transpose', [x.name], `${name}/nhwc`, [ints('perm', [0, 2, 3, 1])]);
          result = out(g.node('Flatten', [nhwc], `${name}/flatten`, [int('axis', 1)]), 'plain');
        } else {
          result = x.shape.length === 2 ? { ...x, shape } : out(g.node('Flatten', [x.name], `${name}/flatten`, [int('axis', 1)]));
        }
        break;
      }
      case 'BatchNormalization': {
        one();
        const rank = x.shape.length;
        const axis = Array.isArray(c.axis) ? (c.axis.length === 1 ? Number(c.axis[0]) : NaN) : Number(c.axis ?? -1);
        if (!((axis === -1 || axis === rank - 1) && (x.layout === 'nchw' || rank === 2))) {
          fail(`axis ${JSON.stringify(c.axis)} on a ${rank}-D tensor (only the channel axis of images or the features of [N, F])`);
        }
        const mean = needWeight(model, name, 'moving_mean');
        const variance = needWeight(model, name, 'moving_variance');
        const n = mean.data.length;
        const gamma = c.scale === false ? undefined : needWeight(model, name, 'gamma');
        const beta = c.center === false ? undefined : needWeight(model, name, 'beta');
        const ins = [
          x.name,
          g.tensor(`${name}/gamma`, [n], gamma?.data ?? new Float32Array(n).fill(1)),
          g.tensor(`${name}/beta`, [n], beta?.data ?? new Float32Array(n)),
          g.tensor(`${name}/moving_mean`, [n], mean.data),
          g.tensor(`${name}/moving_variance`, [n], variance.data),
        ];
        result = out(g.node('BatchNormalization', ins, `${name}/bn`, [float('epsilon', Number(c.epsilon ?? 1e-3))]));
        break;
      }
      case 'Activation':
        one();
        result = activate(String(c.activation), x, String(c.activation));
        break;
      case 'ReLU': {
        one();
        if (c.maxValue == null) {
          result = out(g.node('Relu', [x.name], `${name}/relu`));
        } else {
          const o = `${name}/relu`;
          result = out(g.node('Clip', [x.name, g.tensor(`${o}/min`, [], [0]), g.tensor(`${o}/max`, [], [Number(c.maxValue)])], o));
        }
        break;
      }
      case 'LeakyReLU':
        one();
        result = out(g.node('LeakyRelu', [x.name], `${name}/leaky_relu`, [float('alpha', Number(c.alpha ?? 0.3))]));
        break;
      case 'ELU':
        one();
        result = out(g.node('Elu', [x.name], `${name}/elu`, [float('alpha', Number(c.alpha ?? 1))]));
        break;
      case 'ThresholdedReLU':
        one();
        result = out(g.node('ThresholdedRelu', [x.name], `${name}/thresholded_relu`, [float('alpha', Number(c.theta ?? 1))]));
        break;
      case 'Softmax': {
        one();
        const axis = Array.isArray(c.axis) ? (c.axis.length === 1 ? Number(c.axis[0]) : fail('several axes')) : Number(c.axis ?? -1);
        result = out(g.node('Softmax', [x.name], `${name}/softmax`, [int('axis', onnxAxis(x, axis))]));
        break;
      }
      case 'Dropout':
      case 'SpatialDropout1D':
      case 'GaussianNoise':
      case 'GaussianDropout':
      case 'AlphaDropout':
        one();
        result = { ...x, shape };
        break;
      case 'Add':
      case 'Subtract':
      case 'Multiply':
      case 'Maximum':
      case 'Minimum':
      case 'Average':
      case 'Concatenate': {
        if (inputs.length < 2) fail('fewer than two inputs');
        if (inputs.some((v) => v.layout !== x.layout || v.shape.length !== x.shape.length)) fail('inputs of different ranks or layouts');
        const names = inputs.map((v) => v.name);
        if (className === 'Concatenate') {
          result = out(g.node('Concat', names, `${name}/concat`, [int('axis', onnxAxis(x, Number(c.axis ?? -1)))]));
          break;
        }
        if (inputs.some((v) => v.shape.join() !== x.shape.join())) fail('inputs of different shapes');
        if (className === 'Subtract' && inputs.length !== 2) fail('Subtract takes two inputs');
        const op = { Add: 'Sum', Subtract: 'Sub', Multiply: 'Mul', Maximum: 'Max', Minimum: 'Min', Average: 'Mean' }[className];
        // Sum and Mul of two are the common Add and Mul.
        const onnxOp = op === 'Sum' && inputs.length === 2 ? 'Add' : op;
        if (onnxOp === 'Mul' && inputs.length > 2) {
          let acc = names[0];
          for (let i = 1; i < names.length; i++) acc = g.node('Mul', [acc, names[i]], `${name}/mul${i}`);
          result = out(acc);
        } else {
          result = out(g.node(onnxOp, names, `${name}/${onnxOp.toLowerCase()}`));
        }
        break;
      }
      default:
        return fail('this layer type has no ONNX export');
    }
    values.set(name, result);
  }

  const last = values.get(config.outputLayers[0][0]);
  if (!last) throw new Error(`ONNX export: the output layer "${config.outputLayers[0][0]}" was not exported`);
  if (last.layout !== 'plain' || last.shape.length !== 2) throw new Error(`ONNX export: the model's output has shape [${last.shape.join(',')}], not [N, classes]`);
  const k = last.shape[1]!;
  const inputShape = (values.get(inputName)!.shape.slice(1)) as number[];
  if (inputShape.join() !== meta.inputShape.join()) throw new Error(`the model takes input [${inputShape.join(',')}], its checkpoint's meta says [${meta.inputShape.join(',')}]`);
  if (k !== meta.numClasses) throw new Error(`the model has ${k} outputs, its checkpoint's meta says ${meta.numClasses} classes`);
  g.node('Identity', [last.name], LOGITS_NAME);
  g.node('Softmax', [LOGITS_NAME], PROBS_NAME, [int('axis', 1)]);

  const input = { name: INPUT_NAME, ...onnxInput(inputShape) };
  const outputs = [
    { name: PROBS_NAME, dims: ['N', k] as (number | 'N')[], meaning: "softmax probabilities, what lethe predict writes" },
    { name: LOGITS_NAME, dims: ['N', k] as (number | 'N')[], meaning: "the network's raw output (logits)" },
  ];
  const valueInfo = (name: string, dims: (number | 'N')[]) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (d === 'N' ? { dimParam: 'N' } : { dimValue: d })) } } },
  });
  const layoutText = input.layout === 'NCHW' ? `NCHW [N,${input.dims.slice(1).join(',')}] (Lethe's [H,W,C] images transposed)` : `${input.layout} [N,${input.dims.slice(1).join(',')}]`;
  const metadata: Record<string, string> = {
    lethe_version: LETHE_VERSION,
    model_id: meta.id,
    parent_id: meta.parent ?? '',
    kind: meta.kind,
    arch: meta.arch,
    dataset: JSON.stringify(meta.dataset),
    method: meta.method,
    created: meta.created,
    num_classes: String(k),
    input_name: INPUT_NAME,
    input_layout: input.layout,
    input_shape: input.dims.join(','),
    lethe_input_shape: meta.inputShape.join(','),
    outputs: `${PROBS_NAME}: ${outputs[0].meaning}; ${LOGITS_NAME}: ${outputs[1].meaning}`,
  };
  const doc = `Lethe ${meta.arch} model ${meta.id} (${meta.dataset.name}, ${k} classes). Input "${INPUT_NAME}": float32 ${layoutText}. `
    + `Outputs "${PROBS_NAME}" [N,${k}] (${outputs[0].meaning}) and "${LOGITS_NAME}" [N,${k}] (${outputs[1].meaning}).`;
  const ModelProto = onnxType('ModelProto');
  const proto = ModelProto.fromObject({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'lethe',
    producerVersion: LETHE_VERSION,
    docString: doc,
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(INPUT_NAME, input.dims)],
      output: outputs.map((o) => valueInfo(o.name, o.dims)),
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return { bytes: ModelProto.encode(proto).finish(), opset: OPSET, irVersion: IR_VERSION, ops: [...g.ops].sort(), input, outputs };
}

/** ONNX pads [top, left, bottom, right] of a window op on an NHWC-shaped input (TF.js shape). */
function padsOf(padding: unknown, x: (number | null)[], k: [number, number], s: [number, number], d: [number, number], fail: (why: string) => never): number[] {
  if (padding === 'valid' || padding === undefined) return [0, 0, 0, 0];
  if (padding !== 'same') return fail(`padding "${String(padding)}"`);
  const [top, bottom] = samePads(x[1]!, k[0], s[0], d[0]);
  const [left, right] = samePads(x[2]!, k[1], s[1], d[1]);
  return [top, left, bottom, right];
}

/** The ONNX output size (floor mode, explicit pads) must be TF.js's: a guard against a convention slip. */
function checkSpatial(out: (number | null)[], x: (number | null)[], k: [number, number], s: [number, number], d: [number, number], pads: number[], fail: (why: string) => never) {
  for (const axis of [0, 1]) {
    const size = x[axis + 1]! + pads[axis] + pads[axis + 2];
    const got = Math.floor((size - ((k[axis] - 1) * d[axis] + 1)) / s[axis]) + 1;
    if (got !== out[axis + 1]) fail(`the ONNX output size ${got} differs from TF.js's ${out[axis + 1]} (axis ${axis === 0 ? 'H' : 'W'})`);
  }
}

export interface ExportResult {
  file: string;
  bytes: number;
  opset: number;
  irVersion: number;
  modelId: string;
  arch: string;
  ops: string[];
  input: OnnxExport['input'];
  outputs: OnnxExport['outputs'];
}

/** Writes `bytes` to `file` through a temporary file in the same folder and a rename: never half a file. */
export function writeAtomically(file: string, bytes: Uint8Array) {
  const target = resolve(file);
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${file}: cannot write (no folder ${dir})`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new Error(`${file}: cannot write (it is a folder)`);
  const tmp = join(dir, `.${basename(target)}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`);
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** `lethe export`: a single-model checkpoint folder → an ONNX file, written atomically. */
export async function exportCheckpoint(dir: string, file: string): Promise<ExportResult> {
  // Cheap refusals first: the kind is in meta.json, no need to load the weights.
  const meta = readMeta(dir);
  const refused = refusal(meta);
  if (refused) throw new Error(`cannot export ${dir}: ${refused}`);
  await initBackend();
  const ckpt = await loadCheckpoint(dir);
  try {
    const onnx = buildOnnx(ckpt.model, ckpt.meta);
    writeAtomically(file, onnx.bytes);
    return {
      file, bytes: onnx.bytes.length, opset: onnx.opset, irVersion: onnx.irVersion, modelId: ckpt.meta.id, arch: ckpt.meta.arch,
      ops: onnx.ops, input: onnx.input, outputs: onnx.outputs,
    };
  } finally {
    ckpt.model.dispose();
  }
}
