// ONNX → a trainable TensorFlow.js layers model (functional API) of the layer types Lethe's own models use, so an
// imported network can be evaluated, unlearned and retrained like one Lethe trained.
//
// Layout: ONNX image models take NCHW, Lethe feeds NHWC. The imported model takes NHWC and every 4-d value is held
// channels-last; ops are translated to their channels-last forms (kernels OIHW → HWIO, batch norm on the last axis).
// A Flatten (or flattening Reshape) of a C×H×W value flattens the channels-last tensor, as Lethe's own CNNs do, and
// the rows of the Gemm (or MatMul) that reads it are permuted from PyTorch's C,H,W feature order to H,W,C; when no
// dense layer reads it, a Permute to channels-first comes before the Flatten instead. Explicit paddings become a
// ZeroPadding2D layer and a 'valid' convolution or pooling unless they are exactly TensorFlow's 'same' (which,
// unlike PyTorch, puts the odd pixel at the end). A trailing Softmax (or LogSoftmax) is dropped: Lethe's models
// output logits. A Relu that is the only reader of a Conv or Gemm becomes that layer's activation.
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import type { Meta } from '../checkpoint.ts';
import { tf, type Model } from '../layers.ts';
import { oihwToHwio, samePads } from './layout.ts';
import { FLOAT, INT64, onnxType } from './proto.ts';

/** Where an imported model came from, as its checkpoint's meta.source records it. */
export type OnnxSource = NonNullable<Meta['source']>;

export interface ImportedOnnx {
  model: Model;
  source: OnnxSource;
  /** ONNX nodes read (Constant nodes included). */
  nodes: number;
}

export interface ImportOptions {
  /** The file's name, for messages and meta (its base name names the architecture). */
  file: string;
  /** The data set's per-sample shape ([h, w, c] images, [d] rows) and class count: the model must fit them. */
  inputShape: number[];
  numClasses: number;
  /** The data set's name, for messages. */
  dataName?: string;
}

/** The operators Lethe imports; the first node of any other is the error. */
export const SUPPORTED_OPS = [
  'Conv', 'Gemm', 'MatMul', 'Add', 'Relu', 'BatchNormalization', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool',
  'Flatten', 'Reshape', 'Pad', 'Softmax', 'LogSoftmax', 'Identity', 'Dropout', 'Constant',
  // Shape arithmetic, folded at import: PyTorch's x.view(x.size(0), -1) exports as Shape-Gather-Unsqueeze-Concat-Reshape.
  'Shape', 'Gather', 'Unsqueeze', 'Concat', 'Cast',
] as const;

export class OnnxImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxImportError';
  }
}

/** The architecture name of an imported model: `onnx:<file base name>`. */
export const onnxArch = (file: string) => `onnx:${basename(file, extname(file)) || 'model'}`;

// ---- decoded protobuf (toObject with longs as numbers, enums as names) ----

interface TensorP {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int64Data?: number[];
  int32Data?: number[];
  dataLocation?: string;
  externalData?: unknown[];
}
interface AttrP { name: string; type?: string; f?: number; i?: number; s?: Uint8Array; t?: TensorP; floats?: number[]; ints?: number[] }
interface NodeP { name?: string; opType: string; domain?: string; input?: string[]; output?: string[]; attribute?: AttrP[] }
interface DimP { dimValue?: number; dimParam?: string }
interface ValueInfoP { name: string; type?: { tensorType?: { elemType?: number; shape?: { dim?: DimP[] } } } }
interface GraphP { name?: string; node?: NodeP[]; initializer?: TensorP[]; input?: ValueInfoP[]; output?: ValueInfoP[] }
interface ModelP { irVersion?: number; producerName?: string; producerVersion?: string; opsetImport?: { domain?: string; version?: number }[]; graph?: GraphP }

const TYPE_NAMES: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL',
  10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16',
};
const typeName = (t: number | undefined) => TYPE_NAMES[t ?? 0] ?? `type ${t}`;

// ---- values while building ----

/** A tensor computed by the model. `nchw`: an ONNX N,C,H,W value held as N,H,W,C; `nc11`: ONNX N,C,1,1 held as N,C. */
interface Act {
  kind: 'act';
  t: tf.SymbolicTensor;
  layout: 'nchw' | 'flat' | 'nc11';
  /** Known to be ≥ 0 (after a ReLU): zero padding is then as good as −∞ padding for max pooling. */
  nonneg: boolean;
  /** Flat features of an H×W×C value in TensorFlow.js's H,W,C order where ONNX has C,H,W: the next dense layer permutes its rows. */
  hwc?: [number, number, number];
}
/** A constant (initializer or Constant node): float weights, or int64 shapes and pads. */
interface Const {
  kind: 'const';
  name: string;
  dims: number[];
  type: number;
  data: Float32Array | number[];
}
/**
 * Integers computed from a shape (Shape, Gather, Unsqueeze, Concat), folded while importing. `null` is the batch
 * size, known only when the model runs; a scalar has `scalar` set.
 */
interface Dims {
  kind: 'dims';
  data: (number | null)[];
  scalar: boolean;
}
type Val = Act | Const | Dims;

const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);
const show = (a: readonly (number | string | null)[]) => `[${a.join(',')}]`;

function tensorOf(t: TensorP, what: string, fail: (m: string) => never): Const {
  const dims = (t.dims ?? []).map(Number);
  const n = prod(dims);
  const name = t.name ?? what;
  if (t.dataLocation === 'EXTERNAL' || (t.externalData && t.externalData.length)) fail(`${what} "${name}" is stored outside the .onnx file (external data): save the model with its weights inside`);
  const type = t.dataType ?? 0;
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  let data: Float32Array | number[];
  if (type === FLOAT) {
    if (raw) {
      if (raw.length !== n * 4) fail(`${what} "${name}" has ${raw.length} bytes of data, its shape ${show(dims)} needs ${n * 4}`);
      const bytes = new Uint8Array(raw); // a copy, aligned for the Float32Array view
      data = new Float32Array(bytes.buffer, 0, n);
    } else {
      data = Float32Array.from(t.floatData ?? []);
    }
  } else if (type === INT64 || type === 6) {
    if (raw) {
      const width = type === INT64 ? 8 : 4;
      if (raw.length !== n * width) fail(`${what} "${name}" has ${raw.length} bytes of data, its shape ${show(dims)} needs ${n * width}`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      data = Array.from({ length: n }, (_, i) => (type === INT64 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true)));
    } else {
      data = (type === INT64 ? t.int64Data : t.int32Data ?? []) ?? [];
      data = data.map(Number);
    }
  } else {
    fail(`${what} "${name}" is ${typeName(type)}: Lethe imports float32 weights only (convert the model to float32 first)`);
  }
  if (data.length !== n) fail(`${what} "${name}" has ${data.length} values, its shape ${show(dims)} needs ${n}`);
  return { kind: 'const', name, dims, type, data };
}

function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

/** Per spatial axis: [begin, end] padding, input and kernel (dilated) sizes, stride. */
interface Axis { before: number; after: number; size: number; kernel: number; stride: number }

/** Which TensorFlow.js padding mode computes exactly these pads (and output size), if any. */
function tfPadding(axes: Axis[]): 'valid' | 'same' | null {
  if (axes.every((a) => a.before === 0 && a.after === 0)) return 'valid';
  const same = axes.every((a) => {
    const [b, e] = samePads(a.size, a.kernel, a.stride);
    const onnxOut = Math.floor((a.size + a.before + a.after - a.kernel) / a.stride) + 1;
    return b === a.before && e === a.after && onnxOut === Math.ceil(a.size / a.stride);
  });
  return same ? 'same' : null;
}

/**
 * Reads an ONNX model and builds its TensorFlow.js equivalent taking NHWC inputs of `opts.inputShape`.
 * Every problem is one OnnxImportError line that names the file (and the node).
 */
export function importOnnx(bytes: Uint8Array, opts: ImportOptions): ImportedOnnx {
  const file = basename(opts.file);
  const fail = (m: string): never => {
    throw new OnnxImportError(`${file}: ${m}`);
  };
  const dataName = opts.dataName ?? 'the data set';
  let proto: ModelP;
  try {
    const type = onnxType('ModelProto');
    proto = type.toObject(type.decode(bytes), { longs: Number, enums: String }) as ModelP;
  } catch (e) {
    return fail(`not an ONNX model (${(e as Error).message})`);
  }
  const graph = proto.graph;
  if (!graph || !graph.node?.length) return fail('not an ONNX model (no graph, or a graph without nodes)');
  const opset = proto.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0;
  if (opset < 7) fail(`operator set ${opset || '(none)'} is too old: Lethe imports opset 7 and later (re-export with a newer opset)`);
  const nodes = graph.node;
  const nodeName = (n: NodeP, i: number) => n.name || `#${i} (${n.opType})`;

  // The first operator Lethe cannot build, before any work.
  nodes.forEach((n, i) => {
    if ((n.domain && n.domain !== 'ai.onnx') || !(SUPPORTED_OPS as readonly string[]).includes(n.opType)) {
      fail(`unsupported operator ${n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.` : ''}${n.opType} (node "${nodeName(n, i)}"): Lethe imports ${SUPPORTED_OPS.filter((o) => o !== 'Constant').join(', ')}`);
    }
  });

  const values = new Map<string, Val>();
  for (const t of graph.initializer ?? []) values.set(t.name ?? '', tensorOf(t, 'initializer', fail));
  const inputs = (graph.input ?? []).filter((v) => !values.has(v.name));
  if (inputs.length !== 1) fail(`the model has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ') || 'none'}): Lethe imports models with one input`);
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) fail(`the model has ${outputs.length} outputs (${outputs.map((v) => v.name).join(', ')}): Lethe imports models with one output, the class scores`);
  const inputInfo = inputs[0];
  const outputName = outputs[0].name;
  const elem = inputInfo.type?.tensorType?.elemType;
  if (elem !== undefined && elem !== FLOAT) fail(`input "${inputInfo.name}" is ${typeName(elem)}: Lethe feeds float32 inputs`);

  // ---- helpers over the graph ----
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => (n.input ?? []).forEach((name) => name && consumers.set(name, [...(consumers.get(name) ?? []), i])));
  /** The one node reading `name`, when nothing else (the graph output included) does. */
  const sole = (name: string): number | undefined => {
    const c = consumers.get(name);
    return c && c.length === 1 && name !== outputName ? c[0] : undefined;
  };
  // ---- the input, checked against the data set ----
  const ds = opts.inputShape;
  const dsText = ds.length === 3 ? `${ds.join('x')} images (height x width x channels)` : `${prod(ds)} features`;
  const dims = inputInfo.type?.tensorType?.shape?.dim?.map((d) => (d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : null));
  const dimsText = dims ? show(dims.map((d, i) => d ?? (i === 0 ? 'n' : '?'))) : '';
  const refuse = (what: string): never => fail(`input "${inputInfo.name}" ${dimsText} takes ${what}, but ${dataName} has ${dsText}`);
  let input: tf.SymbolicTensor;
  let first: Act;
  const rank = dims?.length ?? (ds.length === 3 ? 4 : 2);
  if (rank === 4) {
    if (ds.length !== 3) refuse('images (N,C,H,W)');
    const [, c, h, w] = dims ?? [null, null, null, null];
    const [dh, dw, dc] = ds;
    if ((c !== null && c !== dc) || (h !== null && h !== dh) || (w !== null && w !== dw)) {
      refuse(`${c ?? '?'}x${h ?? '?'}x${w ?? '?'} images (channels x height x width)`);
    }
    input = tf.input({ shape: [dh, dw, dc], name: 'input' });
    first = { kind: 'act', t: input, layout: 'nchw', nonneg: false };
  } else if (rank === 2) {
    const d = dims?.[1] ?? null;
    if (d !== null && d !== prod(ds)) refuse(`${d} features`);
    input = tf.input({ shape: ds, name: 'input' });
    // Image data into a model of flat features: flattened as PyTorch would (C,H,W), like a Flatten node.
    first = ds.length === 3 ? { kind: 'act', t: input, layout: 'nchw', nonneg: false } : { kind: 'act', t: input, layout: 'flat', nonneg: false };
    if (ds.length === 3) first = flatten(first, 'flatten', inputInfo.name);
  } else {
    return refuse(`rank-${rank} tensors (Lethe imports N,C,H,W image models and N,D feature models)`);
  }
  values.set(inputInfo.name, first);

  const done = new Set<number>();
  const counters: Record<string, number> = {};
  const nameFor = (kind: string) => `${kind}${(counters[kind] = (counters[kind] ?? 0) + 1)}`;
  const pending: { layer: tf.layers.Layer; weights: { data: Float32Array; shape: number[] }[] }[] = [];
  let softmaxDropped = false;

  // The value the class scores come from: the graph output, before any trailing softmax or identity.
  let logitsName = outputName;
  for (;;) {
    const p = nodes.find((n) => n.output?.includes(logitsName));
    if (!p || !['Softmax', 'LogSoftmax', 'Identity', 'Dropout'].includes(p.opType) || !p.input?.[0]) break;
    logitsName = p.input[0];
  }

  /** Whether the value `name` goes only into dense layers (through element-wise ops), whose rows can take any order. */
  function feedsDense(name: string): boolean {
    const c = sole(name);
    if (c === undefined) return false;
    const n = nodes[c];
    if ((n.opType === 'Gemm' || n.opType === 'MatMul') && n.input?.[0] === name) return true;
    return ['Relu', 'Identity', 'Dropout'].includes(n.opType) && n.input?.[0] === name && !!n.output?.[0] && feedsDense(n.output[0]);
  }

  /** ONNX's Flatten of a value (into `out`): C,H,W order, by the next dense layer's rows or by a Permute. */
  function flatten(v: Act, name: string, out: string): Act {
    if (v.layout !== 'nchw') return { ...v, layout: 'flat' };
    const [, h, w, c] = v.t.shape as number[];
    // One channel, or 1x1: the orders are the same.
    const reorder = c > 1 && h * w > 1;
    let t = v.t;
    if (reorder && !feedsDense(out)) t = tf.layers.permute({ dims: [3, 1, 2], name: `${name}_nchw` }).apply(t) as tf.SymbolicTensor;
    t = tf.layers.flatten({ name }).apply(t) as tf.SymbolicTensor;
    return { kind: 'act', t, layout: 'flat', nonneg: v.nonneg, ...(reorder && feedsDense(out) ? { hwc: [h, w, c] as [number, number, number] } : {}) };
  }

  /** Dense rows in ONNX's C,H,W feature order → TensorFlow.js's H,W,C (a kernel [h·w·c, units]). */
  function chwRowsToHwc(kernel: Float32Array, [h, w, c]: [number, number, number], units: number): Float32Array {
    const out = new Float32Array(kernel.length);
    for (let ci = 0; ci < c; ci++)
      for (let p = 0; p < h * w; p++) out.set(kernel.subarray((ci * h * w + p) * units, (ci * h * w + p + 1) * units), (p * c + ci) * units);
    return out;
  }

  function apply<L extends tf.layers.Layer>(layer: L, x: tf.SymbolicTensor | tf.SymbolicTensor[], weights?: { data: Float32Array; shape: number[] }[]) {
    if (weights) pending.push({ layer, weights });
    return layer.apply(x) as tf.SymbolicTensor;
  }

  nodes.forEach((node, i) => {
    if (done.has(i)) return;
    const where = `node "${nodeName(node, i)}" (${node.opType})`;
    const bad = (m: string): never => fail(`${where}: ${m}`);
    const attrs = new Map((node.attribute ?? []).map((a) => [a.name, a]));
    const int = (k: string, d: number) => Number(attrs.get(k)?.i ?? d);
    const float = (k: string, d: number) => Number(attrs.get(k)?.f ?? d);
    const ints = (k: string, d: number[]) => attrs.get(k)?.ints?.map(Number) ?? d;
    const str = (k: string, d: string) => {
      const s = attrs.get(k)?.s;
      return s ? new TextDecoder().decode(s) : d;
    };
    const ins = node.input ?? [];
    const outs = (node.output ?? []).filter(Boolean);
    const get = (k: number): Val | undefined => {
      const name = ins[k];
      if (!name) return undefined;
      const v = values.get(name);
      if (!v) bad(`reads "${name}", which no earlier node makes`);
      return v;
    };
    const act = (k: number): Act => {
      const v = get(k);
      if (!v || v.kind !== 'act') return bad(`input ${k + 1} must be computed from the model's input, not a constant`);
      return v;
    };
    const constant = (k: number, what: string): Const => {
      const v = get(k);
      if (!v || v.kind !== 'const') return bad(`its ${what} must be a constant (an initializer), not computed`);
      return v;
    };
    /** Integers (a shape, indices, axes): folded shape arithmetic or an int constant. */
    const dimsOf = (k: number, what: string): Dims => {
      const v = get(k);
      if (v?.kind === 'dims') return v;
      if (v?.kind === 'const' && v.type !== FLOAT) return { kind: 'dims', data: v.data as number[], scalar: v.dims.length === 0 };
      return bad(`its ${what} must be integers computed from a shape or given as constants${v?.kind === 'act' ? ': Lethe folds shape arithmetic only (as in x.view(x.size(0), -1)), not integer math on the model\'s values' : ''}`);
    };
    const floats = (c: Const, what: string) => {
      if (c.type !== FLOAT) bad(`its ${what} "${c.name}" is ${typeName(c.type)}: Lethe imports float32 weights only`);
      return c.data as Float32Array;
    };
    const only = (...used: number[]) => {
      outs.forEach((o, k) => {
        if (!used.includes(k) && consumers.has(o)) bad(`its output ${k + 1} ("${o}") is used, which Lethe does not build`);
      });
    };
    const set = (v: Val, name = outs[0]) => values.set(name, v);
    /** A Relu that is the sole reader of `name`: folded into the layer as its activation. Returns the value name after it. */
    const fuseRelu = (name: string): { relu: boolean; out: string } => {
      const c = sole(name);
      if (c !== undefined && nodes[c].opType === 'Relu' && !done.has(c)) {
        done.add(c);
        return { relu: true, out: nodes[c].output![0] };
      }
      return { relu: false, out: name };
    };
    const spatial = (x: Act) => {
      if (x.layout !== 'nchw') bad(`needs an N,C,H,W input, got ${x.layout === 'flat' ? 'N,D features' : 'an N,C,1,1 pooled value'}`);
      const [, h, w, c] = x.t.shape as number[];
      return { h, w, c };
    };
    /** The pads [top, left, bottom, right] of a conv or pool node, from pads or auto_pad. */
    const padsOf = (h: number, w: number, kernel: number[], strides: number[]): Axis[] => {
      const auto = str('auto_pad', 'NOTSET');
      const sizes = [h, w];
      let pads = ints('pads', [0, 0, 0, 0]);
      if (pads.length !== 4) bad(`pads ${show(pads)}: Lethe imports 2-d convolutions and pooling only`);
      if (auto === 'VALID') pads = [0, 0, 0, 0];
      else if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
        const p = sizes.map((s, d) => samePads(s, kernel[d], strides[d]));
        pads = auto === 'SAME_UPPER' ? [p[0][0], p[1][0], p[0][1], p[1][1]] : [p[0][1], p[1][1], p[0][0], p[1][0]];
      } else if (auto !== 'NOTSET') bad(`auto_pad ${auto} is not an ONNX padding mode`);
      if (pads.some((p) => p < 0)) bad(`negative pads ${show(pads)} (cropping) are not supported`);
      return sizes.map((size, d) => ({ before: pads[d], after: pads[d + 2], size, kernel: kernel[d], stride: strides[d] }));
    };
    const zeroPad = (x: Act, axes: Axis[]): Act => ({
      ...x,
      t: apply(tf.layers.zeroPadding2d({ padding: [[axes[0].before, axes[0].after], [axes[1].before, axes[1].after]], name: nameFor('pad') }), x.t),
    });

    switch (node.opType) {
      case 'Constant': {
        const t = attrs.get('value')?.t;
        if (t) return set(tensorOf(t, 'constant', fail));
        const a = attrs.get('value_float') ?? attrs.get('value_floats');
        if (a) return set({ kind: 'const', name: outs[0], dims: a.floats ? [a.floats.length] : [], type: FLOAT, data: Float32Array.from(a.floats ?? [a.f ?? 0]) });
        const b = attrs.get('value_int') ?? attrs.get('value_ints');
        if (b) return set({ kind: 'const', name: outs[0], dims: b.ints ? [b.ints.length] : [], type: INT64, data: (b.ints ?? [b.i ?? 0]).map(Number) });
        return bad('has no tensor, float or int value');
      }
      case 'Identity':
        return set(get(0)!);
      case 'Dropout': {
        only(0);
        return set(act(0));
      }
      case 'Relu': {
        const x = act(0);
        return set({ ...x, nonneg: true, t: apply(tf.layers.activation({ activation: 'relu', name: nameFor('relu') }), x.t) });
      }
      case 'Softmax':
      case 'LogSoftmax': {
        const x = act(0);
        if (outs[0] !== outputName) bad(`${node.opType} is imported only as the model's last operation (Lethe's models output logits)`);
        const axis = int('axis', opset >= 13 ? -1 : 1);
        if (x.layout === 'nchw' || (axis !== 1 && axis !== -1)) bad(`${node.opType} over axis ${axis} is not over the class scores`);
        softmaxDropped = true;
        return set(x);
      }
      case 'Flatten': {
        const axis = int('axis', 1);
        if (axis !== 1) bad(`Flatten axis ${axis}: Lethe imports Flatten(axis=1) only (batch, then features)`);
        return set(flatten(act(0), nameFor('flatten'), outs[0]));
      }
      case 'Shape': {
        const x = act(0);
        const [, a, b, c] = x.t.shape as number[];
        const shape = x.layout === 'nchw' ? [null, c, a, b] : x.layout === 'nc11' ? [null, a, 1, 1] : [null, a];
        const norm = (k: number) => (k < 0 ? k + shape.length : k);
        const start = norm(int('start', 0));
        const end = attrs.has('end') ? norm(int('end', shape.length)) : shape.length;
        return set({ kind: 'dims', data: shape.slice(start, end), scalar: false });
      }
      case 'Gather': {
        const v = dimsOf(0, 'data');
        if (v.scalar || int('axis', 0) !== 0) bad('Lethe imports Gather only of entries of a shape (axis 0), as in x.size(0)');
        const idx = dimsOf(1, 'indices');
        const data = idx.data.map((k) => {
          const at = k === null ? NaN : k < 0 ? k + v.data.length : k;
          if (!(at >= 0 && at < v.data.length)) bad(`index ${k} is outside the shape ${show(v.data.map((d) => d ?? 'n'))}`);
          return v.data[at];
        });
        return set({ kind: 'dims', data, scalar: idx.scalar });
      }
      case 'Unsqueeze': {
        const v = dimsOf(0, 'data');
        const axes = ins[1] ? dimsOf(1, 'axes').data : ints('axes', []);
        if (!v.scalar || axes.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)) bad('Lethe imports Unsqueeze only of a scalar taken from a shape (into a one-entry list)');
        return set({ kind: 'dims', data: v.data, scalar: false });
      }
      case 'Concat': {
        const parts = ins.map((_, k) => dimsOf(k, `input ${k + 1}`));
        if (parts.some((p) => p.scalar)) bad('Concat of scalars: Lethe imports Concat only of one-dimensional integer lists (a shape)');
        return set({ kind: 'dims', data: parts.flatMap((p) => p.data), scalar: false });
      }
      case 'Cast': {
        const to = int('to', 0);
        if (to !== INT64 && to !== 6) bad(`Cast to ${typeName(to)}: Lethe imports Cast only of integers computed from a shape, to int32 or int64`);
        return set(dimsOf(0, 'input'));
      }
      case 'Reshape': {
        const x = act(0);
        // A batch size read from the input's shape is the same as 0 (keep that dimension).
        const shape = dimsOf(1, 'target shape').data.map((d) => d ?? 0);
        const size = x.layout === 'nchw' ? prod((x.t.shape as number[]).slice(1)) : (x.t.shape[1] as number);
        // [N or 0 or -1, size] and [N or 0, -1] keep the batch and flatten the rest.
        const flatLike = shape.length === 2 && (shape[1] === size || (shape[1] === -1 && shape[0] !== -1));
        if (!flatLike) bad(`Reshape to ${show(shape)}: Lethe imports a Reshape only as a flatten (to [N, ${size}] or [-1, ${size}])`);
        return set(flatten(x, nameFor('flatten'), outs[0]));
      }
      case 'Pad': {
        const x = act(0);
        const mode = str('mode', 'constant');
        if (mode !== 'constant') bad(`Pad mode ${mode}: Lethe imports zero padding only`);
        const pads = ins[1] ? (constant(1, 'pads').data as number[]) : ints('pads', []);
        const value = ins[2] ? floats(constant(2, 'padding value'), 'padding value')[0] : float('value', 0);
        if (value !== 0) bad(`padding with ${value}: Lethe imports zero padding only`);
        const { h, w } = spatial(x);
        if (pads.length !== 8 || pads[0] || pads[1] || pads[4] || pads[5] || pads.some((p) => p < 0)) {
          bad(`pads ${show(pads)}: Lethe imports non-negative padding of the height and width only`);
        }
        const axes = [{ before: pads[2], after: pads[6], size: h, kernel: 1, stride: 1 }, { before: pads[3], after: pads[7], size: w, kernel: 1, stride: 1 }];
        return set(zeroPad(x, axes));
      }
      case 'Conv': {
        let x = act(0);
        const { h, w, c } = spatial(x);
        const wt = constant(1, 'weight');
        const kernel = floats(wt, 'weight');
        if (wt.dims.length !== 4) bad(`weight of shape ${show(wt.dims)}: Lethe imports 2-d convolutions only`);
        const group = int('group', 1);
        if (group !== 1) bad(`group=${group} (grouped or depthwise convolution) is not supported`);
        const [o, ci, kh, kw] = wt.dims;
        if (ci !== c) bad(`weight ${show(wt.dims)} expects ${ci} input channels, the input has ${c}`);
        const dil = ints('dilations', [1, 1]);
        const strides = ints('strides', [1, 1]);
        if (dil.some((d) => d !== 1) && strides.some((s) => s !== 1)) bad('strides and dilations both above 1 are not supported by TensorFlow.js');
        const axes = padsOf(h, w, [(kh - 1) * dil[0] + 1, (kw - 1) * dil[1] + 1], strides);
        let padding = tfPadding(axes);
        if (!padding) {
          x = zeroPad(x, axes);
          padding = 'valid';
        }
        const b = ins[2] ? floats(constant(2, 'bias'), 'bias') : undefined;
        if (b && b.length !== o) bad(`bias of ${b.length} values for ${o} filters`);
        const { relu, out } = fuseRelu(outs[0]);
        const weights = [{ data: oihwToHwio(kernel, wt.dims as [number, number, number, number]), shape: [kh, kw, ci, o] }, ...(b ? [{ data: b, shape: [o] }] : [])];
        const t = apply(tf.layers.conv2d({
          filters: o, kernelSize: [kh, kw], strides: strides as [number, number], dilationRate: dil as [number, number], padding, useBias: !!b, ...(relu ? { activation: 'relu' } : {}),
          name: nameFor('conv'),
        }), x.t, weights);
        return set({ kind: 'act', t, layout: 'nchw', nonneg: relu }, out);
      }
      case 'Gemm':
      case 'MatMul': {
        const x = act(0);
        if (x.layout === 'nchw') bad(`needs N,D features, got an N,C,H,W value (a Flatten is missing before it)`);
        const d = x.t.shape[1] as number;
        const wt = constant(1, 'weight');
        let kernel = floats(wt, 'weight');
        if (wt.dims.length !== 2) bad(`weight of shape ${show(wt.dims)}: Lethe imports 2-d weight matrices only`);
        let k: number, units: number;
        let bias: Float32Array | undefined;
        let out = outs[0];
        if (node.opType === 'Gemm') {
          if (int('transA', 0)) bad('transA=1 (a transposed input) is not supported');
          const alpha = float('alpha', 1);
          const beta = float('beta', 1);
          [k, units] = int('transB', 0) ? [wt.dims[1], wt.dims[0]] : wt.dims;
          if (int('transB', 0)) kernel = transpose2d(kernel, units, k);
          if (alpha !== 1) kernel = kernel.map((v) => v * alpha);
          if (ins[2]) {
            const cv = constant(2, 'bias');
            const c = floats(cv, 'bias');
            if (c.length !== 1 && c.length !== units) bad(`bias of shape ${show(cv.dims)} for ${units} outputs`);
            bias = Float32Array.from({ length: units }, (_, j) => beta * c[c.length === 1 ? 0 : j]);
          }
        } else {
          [k, units] = wt.dims;
          // MatMul then Add of a constant row: a dense layer with a bias.
          const a = sole(out);
          const an = a === undefined ? undefined : nodes[a];
          if (an?.opType === 'Add') {
            const other = an.input!.find((n) => n !== out);
            const c = other ? values.get(other) : undefined;
            if (c?.kind === 'const' && c.type === FLOAT && c.data.length === units && prod(c.dims) === units) {
              bias = c.data as Float32Array;
              done.add(a!);
              out = an.output![0];
            }
          }
        }
        if (k !== d) bad(`weight ${show(wt.dims)} takes ${k} features, the input has ${d}`);
        if (x.hwc) kernel = chwRowsToHwc(kernel, x.hwc, units);
        const fused = fuseRelu(out);
        const weights = [{ data: kernel, shape: [k, units] }, ...(bias ? [{ data: bias, shape: [units] }] : [])];
        const name = fused.out === logitsName ? 'logits' : nameFor('dense');
        const t = apply(tf.layers.dense({ units, useBias: !!bias, ...(fused.relu ? { activation: 'relu' } : {}), name }), x.t, weights);
        return set({ kind: 'act', t, layout: 'flat', nonneg: fused.relu }, fused.out);
      }
      case 'Add': {
        const [a, b] = [get(0), get(1)];
        if (a?.kind !== 'act' || b?.kind !== 'act') bad('Add of a constant is imported only as the bias after a MatMul');
        const [x, y] = [a as Act, b as Act];
        if (x.layout !== y.layout || x.t.shape.join() !== y.t.shape.join()) {
          bad(`adds values of different shapes (${show(x.t.shape)} and ${show(y.t.shape)}, channels last): broadcasting is not supported`);
        }
        return set({ kind: 'act', t: apply(tf.layers.add({ name: nameFor('add') }), [x.t, y.t]), layout: x.layout, nonneg: x.nonneg && y.nonneg });
      }
      case 'BatchNormalization': {
        only(0);
        const x = act(0);
        if (int('training_mode', 0)) bad('training_mode=1: export the model in inference mode (model.eval())');
        if (opset < 9 && int('spatial', 1) !== 1) bad('spatial=0 (per-activation batch norm) is not supported');
        const channels = x.t.shape[x.t.shape.length - 1] as number;
        const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((j, n) => {
          const v = floats(constant(j, ['scale', 'bias', 'mean', 'variance'][n]), ['scale', 'bias', 'mean', 'variance'][n]);
          if (v.length !== channels) bad(`${['scale', 'bias', 'mean', 'variance'][n]} has ${v.length} values for ${channels} channels`);
          return v;
        });
        const weights = [gamma, beta, mean, variance].map((data) => ({ data, shape: [channels] }));
        // ONNX's momentum is Keras's: running = running·momentum + batch·(1 − momentum) (PyTorch's is 1 − this).
        const layer = tf.layers.batchNormalization({ axis: -1, epsilon: float('epsilon', 1e-5), momentum: float('momentum', 0.9), name: nameFor('bn') });
        return set({ ...x, nonneg: false, t: apply(layer, x.t, weights) });
      }
      case 'MaxPool':
      case 'AveragePool': {
        only(0);
        let x = act(0);
        const { h, w } = spatial(x);
        const kernel = ints('kernel_shape', []);
        if (kernel.length !== 2) bad(`kernel_shape ${show(kernel)}: Lethe imports 2-d pooling only`);
        const strides = ints('strides', [1, 1]);
        if (ints('dilations', [1, 1]).some((d) => d !== 1)) bad('dilated pooling is not supported');
        const axes = padsOf(h, w, kernel, strides);
        if (int('ceil_mode', 0)) {
          const changes = axes.some((a) => Math.ceil((a.size + a.before + a.after - a.kernel) / a.stride) !== Math.floor((a.size + a.before + a.after - a.kernel) / a.stride));
          if (changes) bad(`ceil_mode=1 changes the output size here (${h}x${w} input): not supported (use ceil_mode=0 or pad the input)`);
        }
        const max = node.opType === 'MaxPool';
        // TensorFlow's 'same' pooling leaves the padding out: −∞ for MaxPool, not counted by AveragePool (count_include_pad=0).
        // Zero padding is what count_include_pad=1 counts, and as good as −∞ for max pooling of values ≥ 0.
        const includePad = !max && int('count_include_pad', 0) === 1;
        let padding = includePad && axes.some((a) => a.before || a.after) ? null : tfPadding(axes);
        if (!padding && (includePad || (max && x.nonneg))) {
          x = zeroPad(x, axes);
          padding = 'valid';
        }
        if (!padding) {
          bad(`pads ${show(axes.flatMap((a) => [a.before, a.after]))} on a ${h}x${w} input: TensorFlow.js pools only without padding or with its own 'same' padding`
            + (max ? ' (or, after a Relu, with zero padding)' : ''));
        }
        const args = { poolSize: kernel as [number, number], strides: strides as [number, number], padding: padding as 'valid' | 'same', name: nameFor('pool') };
        const t = apply(max ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args), x.t);
        return set({ ...x, t });
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        const x = act(0);
        spatial(x);
        const name = nameFor('pool');
        const layer = node.opType === 'GlobalAveragePool' ? tf.layers.globalAveragePooling2d({ name }) : tf.layers.globalMaxPooling2d({ name });
        return set({ ...x, layout: 'nc11', t: apply(layer, x.t) });
      }
    }
  });

  const out = values.get(outputName);
  if (!out || out.kind !== 'act') return fail(`the output "${outputName}" is not computed from the input`);
  if (out.layout === 'nchw') fail(`the output is an N,C,H,W value ${show((out.t.shape as number[]).slice(1))} (channels last), not class scores`);
  const units = out.t.shape[1] as number;
  if (units !== opts.numClasses) fail(`the model gives ${units} class scores, but ${dataName} has ${opts.numClasses} classes`);
  if (out.t === input) fail('the output is the input: the model computes nothing');

  const model = tf.model({ inputs: input, outputs: out.t, name: `onnx_${onnxArch(file).slice(5).replace(/\W/g, '_')}` });
  for (const { layer, weights } of pending) {
    const ts = weights.map((w) => tfc.tensor(w.data, w.shape, 'float32'));
    try {
      layer.setWeights(ts);
    } finally {
      tfc.dispose(ts);
    }
  }
  const source: OnnxSource = {
    format: 'onnx', file, sha256: createHash('sha256').update(bytes).digest('hex'),
    producer: proto.producerName ?? '', producerVersion: proto.producerVersion ?? '', opset, irVersion: Number(proto.irVersion ?? 0),
    input: inputInfo.name, output: outputName, softmaxDropped,
  };
  return { model, source, nodes: nodes.length };
}
