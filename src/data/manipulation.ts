// Manipulations for corrective unlearning (Goel, Prabhu et al., "Corrective Machine Unlearning", TMLR 2024):
// a backdoor patch with a target label, or label swaps between two classes, applied to some train samples,
// with a record of which samples and how, so that a forget spec can name "the identified 10% of them".
// Browser-safe and pure: reading and writing the derived data set is src/data/formats/manipulated.ts.
import { featureSize, idsOfSplit, subset, type Dataset, type DerivedSource, type Subset } from './dataset.ts';
import { rng, shuffle } from '../shared/random.ts';

/** The trigger: a size × size square of one value at rows top.., columns left.. of every channel. */
export interface Patch {
  corner: 'bottom-right';
  size: number;
  top: number;
  left: number;
  /** The data set's maximum feature value over its train split (the reference's `max_val`). */
  value: number;
}

export type ManipulationSpec =
  | { kind: 'poison'; count: number; target: number; seed: number }
  | { kind: 'confuse'; classes: [number, number]; count: number; seed: number };

/** The data set a manipulation was derived from, as `--data` named it, and the content hash it had. */
export type ManipulationSource = DerivedSource;

/** What a manipulated data set records: the spec, the manipulated train ids and each one's label before and after. */
export type Manipulation = ({ kind: 'poison'; target: number; patch: Patch } | { kind: 'confuse'; classes: [number, number] }) & {
  count: number;
  seed: number;
  /** Ascending train ids. */
  ids: number[];
  /** The true label of each id (before manipulation) and the label it was given. */
  trueLabels: number[];
  labels: number[];
  source: ManipulationSource;
};

export const PATCH_SIZE = 3;
const POISON_FORM = 'patch:count=N:target=T[:seed=S]';
const CONFUSE_FORM = 'A,B:count=N[:seed=S]';

function intOf(s: string, what: string, flag: string): number {
  if (!/^-?\d+$/.test(s.trim())) throw new Error(`${flag}: ${what} "${s}" is not an integer`);
  return Number(s);
}

/** `key=value` options after the first field; every key must be one of `keys`, given once. */
function options(parts: string[], keys: string[], flag: string, form: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parts) {
    const m = /^(\w+)=(.*)$/.exec(p);
    if (!m || !keys.includes(m[1])) throw new Error(`${flag}: unknown option "${p}" (form: ${form})`);
    if (m[1] in out) throw new Error(`${flag}: ${m[1]} given twice`);
    out[m[1]] = m[2];
  }
  return out;
}

/** `--poison patch:count=600:target=0:seed=1`; range checks against a data set are `checkSpec`'s. */
export function parsePoison(text: string): ManipulationSpec {
  const flag = '--poison';
  const [kind, ...rest] = text.split(':');
  if (kind !== 'patch') throw new Error(`${flag}: unknown poison kind "${kind}": the one kind is patch (form: ${POISON_FORM})`);
  const o = options(rest, ['count', 'target', 'seed'], flag, POISON_FORM);
  if (o.count === undefined || o.target === undefined) throw new Error(`${flag}: needs count= and target= (form: ${POISON_FORM})`);
  return { kind: 'poison', count: intOf(o.count, 'count', flag), target: intOf(o.target, 'target', flag), seed: o.seed === undefined ? 0 : intOf(o.seed, 'seed', flag) };
}

/** `--confuse 3,5:count=500:seed=1`. */
export function parseConfuse(text: string): ManipulationSpec {
  const flag = '--confuse';
  const [pair, ...rest] = text.split(':');
  const cs = pair.split(',');
  if (cs.length !== 2) throw new Error(`${flag}: "${pair}" is not two classes A,B (form: ${CONFUSE_FORM})`);
  const [a, b] = cs.map((c) => intOf(c, 'class', flag));
  if (a === b) throw new Error(`${flag}: the two classes must differ, got ${a} twice`);
  const o = options(rest, ['count', 'seed'], flag, CONFUSE_FORM);
  if (o.count === undefined) throw new Error(`${flag}: needs count= (form: ${CONFUSE_FORM})`);
  return { kind: 'confuse', classes: [a, b], count: intOf(o.count, 'count', flag), seed: o.seed === undefined ? 0 : intOf(o.seed, 'seed', flag) };
}

const isImage = (shape: readonly number[]) => shape.length === 3 && shape[0] >= PATCH_SIZE && shape[1] >= PATCH_SIZE;

const trainOfClass = (ds: Dataset, train: Int32Array, c: number) => Array.from(train).filter((i) => ds.y[i] === c);

/** Every way a spec cannot apply to a data set, as one error; the train ids it may choose from otherwise. */
function checkSpec(ds: Dataset, spec: ManipulationSpec): Int32Array {
  const flag = spec.kind === 'poison' ? '--poison' : '--confuse';
  if (ds.manipulation) throw new Error(`${flag}: ${ds.name} is already manipulated (${describeManipulation(ds.manipulation)}): manipulate its source, ${ds.manipulation.source.name}`);
  const train = idsOfSplit(ds, 'train');
  if (spec.count < 1) throw new Error(`${flag}: count must be at least 1, got ${spec.count}`);
  const classRange = `${ds.name} has classes 0..${ds.numClasses - 1}`;
  if (spec.kind === 'poison') {
    if (!isImage(ds.inputShape)) {
      throw new Error(`--poison: a patch needs images (height × width × channels of at least ${PATCH_SIZE}×${PATCH_SIZE}); ${ds.name} is ${ds.inputShape.length === 1 ? `tabular (${ds.inputShape[0]} features)` : ds.inputShape.join('x')}: use --confuse A,B for label swaps instead`);
    }
    if (spec.target < 0 || spec.target >= ds.numClasses) throw new Error(`--poison: target ${spec.target} is out of range: ${classRange}`);
    if (spec.count > train.length) throw new Error(`--poison: count ${spec.count} is more than the ${train.length} train samples of ${ds.name}`);
    return train;
  }
  for (const c of spec.classes) if (c < 0 || c >= ds.numClasses) throw new Error(`--confuse: class ${c} is out of range: ${classRange}`);
  if (spec.count % 2 !== 0) throw new Error(`--confuse: count ${spec.count} must be even (count/2 samples of each class are swapped)`);
  for (const c of spec.classes) {
    const have = trainOfClass(ds, train, c).length;
    if (spec.count / 2 > have) throw new Error(`--confuse: count/2 = ${spec.count / 2} is more than the ${have} train samples of class ${c} in ${ds.name}`);
  }
  return train;
}

/** The patch of a data set: bottom-right corner, the maximum train feature value. */
export function patchOf(ds: Dataset): Patch {
  const [h, w] = ds.inputShape;
  const d = featureSize(ds.inputShape);
  let value = -Infinity;
  for (let i = 0; i < ds.size; i++) {
    if (ds.split[i] !== 0) continue;
    for (let j = i * d; j < (i + 1) * d; j++) if (ds.x[j] > value) value = ds.x[j];
  }
  return { corner: 'bottom-right', size: PATCH_SIZE, top: h - PATCH_SIZE, left: w - PATCH_SIZE, value };
}

/** Stamps the patch on row `row` of `x` (features of shape [h, w, c], row-major), in place. */
export function stamp(x: Float32Array, row: number, shape: readonly number[], p: Patch) {
  const [, w, c] = shape;
  const base = row * featureSize(shape);
  for (let r = p.top; r < p.top + p.size; r++) {
    for (let col = p.left; col < p.left + p.size; col++) x.fill(p.value, base + (r * w + col) * c, base + (r * w + col + 1) * c);
  }
}

/**
 * Which train samples a spec manipulates and the label each gets. Poison: `count` seeded random train samples
 * (of any class, as the reference does), relabelled to the target. Confuse: count/2 seeded random train samples of
 * each class, given the other's label (the reference takes the first count/2 of each; a seed lets runs differ).
 */
export function chooseManipulated(ds: Dataset, spec: ManipulationSpec): { ids: number[]; labels: number[] } {
  const train = checkSpec(ds, spec);
  const random = rng(spec.seed);
  const chosen = new Map<number, number>();
  if (spec.kind === 'poison') {
    for (const id of shuffle(Array.from(train), random).slice(0, spec.count)) chosen.set(id, spec.target);
  } else {
    const [a, b] = spec.classes;
    for (const [from, to] of [[a, b], [b, a]]) {
      for (const id of shuffle(trainOfClass(ds, train, from), random).slice(0, spec.count / 2)) chosen.set(id, to);
    }
  }
  const ids = [...chosen.keys()].sort((x, y) => x - y);
  return { ids, labels: ids.map((id) => chosen.get(id)!) };
}

/** The record of a spec applied to `ds` (whose source and hash the caller knows). */
export function manipulationOf(ds: Dataset, spec: ManipulationSpec, source: ManipulationSource): Manipulation {
  const { ids, labels } = chooseManipulated(ds, spec);
  const common = { count: spec.count, seed: spec.seed, ids, trueLabels: ids.map((id) => ds.y[id]), labels, source };
  return spec.kind === 'poison'
    ? { kind: 'poison', target: spec.target, patch: patchOf(ds), ...common }
    : { kind: 'confuse', classes: spec.classes, ...common };
}

/**
 * The derived data set: the recorded labels and (poison) the patch on the recorded ids, everything else the
 * source's, and the record itself. Checks that the record fits the source: the ids are its train samples and
 * their labels before are the source's.
 */
export function applyManipulation(ds: Dataset, m: Manipulation, name: string): Dataset {
  const where = `the manipulation of ${m.source.name}`;
  m.ids.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= ds.size || ds.split[id] !== 0) throw new Error(`${where}: id ${id} is not a train sample of the source`);
    if (i > 0 && id <= m.ids[i - 1]) throw new Error(`${where}: ids must be ascending and distinct (at ${id})`);
    if (ds.y[id] !== m.trueLabels[i]) throw new Error(`${where}: sample ${id} has label ${ds.y[id]} in the source, but the record says ${m.trueLabels[i]}`);
    if (!Number.isInteger(m.labels[i]) || m.labels[i] < 0 || m.labels[i] >= ds.numClasses) throw new Error(`${where}: label ${m.labels[i]} of sample ${id} is out of range 0..${ds.numClasses - 1}`);
  });
  const y = Int32Array.from(ds.y);
  m.ids.forEach((id, i) => (y[id] = m.labels[i]));
  let x = ds.x;
  if (m.kind === 'poison') {
    if (!isImage(ds.inputShape)) throw new Error(`${where}: a patch needs images, the source is ${ds.inputShape.join('x')}`);
    x = Float32Array.from(ds.x);
    for (const id of m.ids) stamp(x, id, ds.inputShape, m.patch);
  }
  return { ...ds, name, x, y, manipulation: m };
}

/** Poison only: the test samples whose true label is not the target, with the trigger stamped, and their true labels. */
export function triggeredTest(ds: Dataset, test: ArrayLike<number>): Subset | undefined {
  const m = ds.manipulation;
  if (m?.kind !== 'poison') return undefined;
  const s = subset(ds, Array.from(test).filter((id) => ds.y[id] !== m.target));
  for (let i = 0; i < s.ids.length; i++) stamp(s.x, i, s.inputShape, m.patch);
  return s;
}

export function describeManipulation(m: Manipulation): string {
  return m.kind === 'poison'
    ? `patch:count=${m.count}:target=${m.target}:seed=${m.seed}`
    : `confuse ${m.classes.join(',')}:count=${m.count}:seed=${m.seed}`;
}
