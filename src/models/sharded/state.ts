// A sharded checkpoint's state beside its ensemble network: shards.json (the plan: ids per shard and slice, the slice
// orders, each order's valid depth) and one weights file per trained prefix, stage-s<shard>-o<order>-k<stage>.bin
// (the constituent's weights after training stages 0..k of that order, float32 in getWeights order).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel } from '../registry.ts';
import type { Model } from '../layers.ts';
import * as tfc from '@tensorflow/tfjs-core';
import { ensembleArch, ensembleOf } from './ensemble.ts';
import { liveOf, PlanSchema, type Plan } from './plan.ts';

export const PLAN_FILE = 'shards.json';
export const stageFile = (s: number, b: number, k: number) => `stage-s${s}-o${b}-k${k}.bin`;

export interface ShardState {
  plan: Plan;
  /** Stage weights trained in this process, by file name. */
  fresh: Map<string, Float32Array>;
  /** The checkpoint folder the other stages are read from. */
  dir?: string;
}

/** The weights of stage k of order b in shard s: trained here, or read from the checkpoint folder. */
export function stageWeights(st: ShardState, s: number, b: number, k: number): Float32Array {
  const name = stageFile(s, b, k);
  const fresh = st.fresh.get(name);
  if (fresh) return fresh;
  const path = st.dir ? join(st.dir, name) : '';
  if (!st.dir || !existsSync(path)) throw new Error(`sharded checkpoint ${st.dir ?? '(in memory)'}: missing ${name} (stage ${k} of order ${b} of shard ${s})`);
  const buf = readFileSync(path);
  if (buf.length % 4) throw new Error(`sharded checkpoint ${st.dir}: ${name} is corrupt (${buf.length} bytes is not whole float32 values)`);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
}

/** A model's weights as one flat float32 array, in getWeights order. */
export function flatWeights(model: Model): Float32Array {
  const ws = model.getWeights();
  const out = new Float32Array(ws.reduce((n, w) => n + w.size, 0));
  let at = 0;
  for (const w of ws) {
    out.set(w.dataSync() as Float32Array, at);
    at += w.size;
  }
  return out;
}

/** Writes flat weights into a model of the matching architecture; a size mismatch is an error naming both. */
export function setFlatWeights(model: Model, flat: Float32Array, what: string) {
  const ws = model.getWeights();
  const need = ws.reduce((n, w) => n + w.size, 0);
  if (need !== flat.length) throw new Error(`${what} holds ${flat.length} weights, the architecture needs ${need}`);
  let at = 0;
  const ts = ws.map((w) => {
    const t = tfc.tensor(flat.subarray(at, at + w.size), w.shape, 'float32');
    at += w.size;
    return t;
  });
  model.setWeights(ts);
  ts.forEach((t) => t.dispose());
}

/** The constituent of shard s after stage k of order b. */
export function constituent(st: ShardState, s: number, b: number, k: number, inputShape: number[], numClasses: number): Model {
  const m = buildModel(st.plan.arch, inputShape, numClasses, st.plan.shards[s].seed);
  try {
    setFlatWeights(m, stageWeights(st, s, b, k), `${stageFile(s, b, k)}`);
    return m;
  } catch (e) {
    m.dispose();
    throw e;
  }
}

/** The architecture name of the ensemble a plan serves: its live constituents' count and architecture. */
export const servedArch = (plan: Plan) => ensembleArch(plan.shards.filter((_, s) => liveOf(plan, s)).length, plan.arch);

/** The served ensemble: each shard's live constituent (its deepest valid prefix); shards with none are left out. */
export function assemble(st: ShardState, inputShape: number[], numClasses: number): { model: Model; arch: string } {
  const members: Model[] = [];
  try {
    st.plan.shards.forEach((_, s) => {
      const live = liveOf(st.plan, s);
      if (live) members.push(constituent(st, s, live.order, live.depth - 1, inputShape, numClasses));
    });
    if (!members.length) throw new Error('no shard has a live model left: retrain (e.g. --method sisa with mode=retrain)');
    return { model: ensembleOf(members), arch: servedArch(st.plan) };
  } finally {
    members.forEach((m) => m.dispose());
  }
}

/** The checkpoint files of a state: the plan and every valid stage. */
export function shardFiles(st: ShardState): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = { [PLAN_FILE]: new TextEncoder().encode(JSON.stringify(st.plan)) };
  st.plan.shards.forEach((sh, s) => sh.depth.forEach((d, b) => {
    for (let k = 0; k < d; k++) {
      const w = stageWeights(st, s, b, k);
      files[stageFile(s, b, k)] = new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
    }
  }));
  return files;
}

/** Reads shards.json; a missing or malformed plan, or a stage file that is missing, is an error naming it. */
export function readShards(dir: string): ShardState {
  const path = join(dir, PLAN_FILE);
  if (!existsSync(path)) throw new Error(`checkpoint ${dir}: missing ${PLAN_FILE} (a sharded checkpoint keeps its plan there)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`checkpoint ${dir}: ${PLAN_FILE} is corrupt (${(e as Error).message})`);
  }
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`checkpoint ${dir}: ${PLAN_FILE} is invalid (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  const plan = parsed.data;
  plan.shards.forEach((sh, s) => sh.depth.forEach((d, b) => {
    for (let k = 0; k < d; k++) if (!existsSync(join(dir, stageFile(s, b, k)))) throw new Error(`checkpoint ${dir}: missing ${stageFile(s, b, k)}`);
  }));
  return { plan, fresh: new Map(), dir };
}

// As with analytic heads (../analytic/state.ts): a method's result carries its new state to the task that saves it.
const STATES = new WeakMap<Model, ShardState>();
export function attachShards(model: Model, st: ShardState): Model {
  STATES.set(model, st);
  return model;
}
export const shardsOf = (model: Model): ShardState | undefined => STATES.get(model);
