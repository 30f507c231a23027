// Fitting and deleting through the network: features from its random layer, the float64 algebra of ./ridge.ts.
import type { Subset } from '../../data/dataset.ts';
import { checkpointAbort, type OnProgress } from '../../train/progress.ts';
import type { Model } from '../layers.ts';
import { featureMap, setHeadWeights } from './model.ts';
import { directDowndate, oneHot, ridgeFit, unlearn, type Head } from './ridge.ts';
import { attachHead } from './state.ts';

/** Rows per batch: keeps the b×p feature block and the b×b system small. */
export const ROWS_PER_BATCH = 256;

export interface AnalyticRun {
  signal?: AbortSignal;
  onProgress?: OnProgress;
  phase?: string;
}

/** Feeds `data` in row batches of features and one-hot labels to `use`, reporting progress and stopping on abort. */
async function eachBatch(model: Model, data: Subset, run: AnalyticRun, phase: string, use: (f: Float64Array, y: Float64Array, rows: number) => void) {
  const n = data.y.length;
  const total = Math.max(1, Math.ceil(n / ROWS_PER_BATCH));
  const featureRows = featureMap(model);
  for (let i = 0; i < total; i++) {
    await checkpointAbort(run.signal, phase);
    const from = i * ROWS_PER_BATCH;
    const to = Math.min(n, from + ROWS_PER_BATCH);
    if (to > from) use(featureRows(data, from, to), oneHot(data.y.subarray(from, to), data.numClasses), to - from);
    run.onProgress?.({ phase, done: i + 1, total });
  }
}

/** Fits the head from scratch on `data` (the network's random layer is fixed); writes it into `model` and attaches it. */
export async function fitHead(model: Model, data: Subset, dim: number, gamma: number, run: AnalyticRun = {}, { classStats = false } = {}): Promise<Head> {
  const fit = ridgeFit(dim + 1, data.numClasses, gamma, { classStats });
  await eachBatch(model, data, run, run.phase ?? 'analytic fit', (f, y, rows) => fit.add(f, y, rows));
  const head = fit.finish();
  setHeadWeights(model, head);
  attachHead(model, head);
  return head;
}

const countOf = (y: Int32Array, k: number) => y.reduce((n, v) => n + (v === k ? 1 : 0), 0);

/**
 * The classes a request deletes entirely, for a head that keeps per-class statistics: those whose every learned row
 * it names. A class's learned rows are counted by the bias feature (always 1) in B's column for it.
 */
function wholeClasses(head: Head, data: Subset): Set<number> {
  const whole = new Set<number>();
  if (!head.G || !head.B) return whole;
  for (const k of new Set(data.y)) if (head.B[(head.p - 1) * head.c + k] === countOf(data.y, k)) whole.add(k);
  return whole;
}

/** The rows of `data` whose class is not in `classes`. */
function rowsOutside(data: Subset, classes: Set<number>): Subset {
  const keep = Array.from(data.y.keys()).filter((i) => !classes.has(data.y[i]));
  const d = data.x.length / Math.max(1, data.y.length);
  const x = new Float32Array(keep.length * d);
  keep.forEach((i, r) => x.set(data.x.subarray(i * d, (i + 1) * d), r * d));
  return { ...data, ids: Int32Array.from(keep, (i) => data.ids[i]), x, y: Int32Array.from(keep, (i) => data.y[i]) };
}

/**
 * Above this many rows (for feature dimension p) a deletion takes the direct path; see `directThreshold` below.
 */
export const DIRECT_ROWS_PER_DIM = 0.25;

/**
 * The deletion size from which the direct downdate (subtract F_uᵀF_u from A, one p×p Cholesky and inverse) is
 * cheaper than Woodbury in row batches: per row Woodbury costs about p² (F·R) + p²/2 (the R update) multiply-adds,
 * the direct path p²/2 (the Gram update, which Woodbury also pays to keep A current), and the direct path's one-off
 * factorisation and inverse about p³/2 (a bit over p³/3 multiply-adds, the rest memory traffic): break-even near
 * b = p/3 to p/2. Measured at p = 2049, see the report: the threshold p/4 errs towards the direct path.
 */
export const directThreshold = (p: number) => Math.floor(DIRECT_ROWS_PER_DIM * p);

/**
 * Deletes `data`'s rows from `head` in place, batch by batch. A head with per-class statistics deletes a whole class
 * (every row it learned of that class) by subtracting the class's Gram, reading none of its rows. Large deletions (over `directThreshold`) of a head that
 * keeps A and B take the direct path, changing the head only at the end; the rest take the Woodbury downdate, each
 * batch exact, so they compose. Either way the result is the ridge fit on what remains.
 */
export async function forgetRows(model: Model, head: Head, data: Subset, run: AnalyticRun = {}): Promise<void> {
  const phase = run.phase ?? 'analytic';
  const whole = wholeClasses(head, data);
  if (head.A && head.B && (whole.size || data.y.length > directThreshold(head.p))) {
    const down = directDowndate(head);
    for (const k of whole) down.dropClass(k, countOf(data.y, k));
    const rest = whole.size ? rowsOutside(data, whole) : data;
    await eachBatch(model, rest, run, phase, (f, y, rows) => down.add(f, y, rows));
    await checkpointAbort(run.signal, phase);
    down.finish();
    return;
  }
  await eachBatch(model, data, run, phase, (f, y, rows) => unlearn(head, f, y, rows));
}
