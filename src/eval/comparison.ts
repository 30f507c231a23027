// A comparison from measured runs: every model's metrics against the retrained model of its seed, the two
// reference rows (the original, and retrain against retrain), and the table. Pure code over plain arrays.
import type { EvaluatedModel, ModelRole, RelearnPoint, TableRow } from '../shared/contract.ts';
import { details, type Measured, type ProbeSamples } from './details.ts';
import { computeMetrics, type ModelMetrics } from './metrics.ts';
import { buildTable } from './table.ts';

/** One trained or unlearned model, measured. */
export interface MeasuredRun {
  modelId: string;
  method: string;
  seed: number;
  params: Record<string, unknown>;
  checkpoint: string;
  /** Wall time of the training or unlearning itself. */
  seconds: number;
  measured: Measured;
  /** Relearning attack on this model with its own seed (src/measure/relearn.ts). */
  relearnAcc: number;
  /** Forget accuracy along the same attack, at each step count of RELEARN_CURVE_STEPS. */
  relearnCurve?: RelearnPoint[];
}

export interface ComparisonRuns {
  /** The do-nothing model; it is attacked with each retrain's seed, so it has one relearnAcc per seed. */
  original: Omit<MeasuredRun, 'relearnAcc'> & { relearnAcc: number[] };
  /** One retrained reference per seed, in seed order. */
  retrains: MeasuredRun[];
  /** Per approximate method, one run per seed, in the same seed order as `retrains` (the n-th run against the n-th retrain). */
  methods: { method: string; runs: MeasuredRun[] }[];
  probe: ProbeSamples;
  classNames: string[];
}

type Ref = { x: Measured['evidence']; v: ModelMetrics; seconds: number };

/** Metrics of `x` against `ref` (the reference's own metrics already known). */
function against(run: { measured: Measured; seconds: number }, relearnAcc: number, seed: number, ref: Ref, originalGap?: number): ModelMetrics {
  return computeMetrics({ x: run.measured.evidence, seed, seconds: run.seconds, relearnAcc, ref, originalGap });
}

/**
 * `onModel(done, total)` is awaited after each model's metrics and views (the views' embedding takes about a
 * second a model), so a caller can report progress and stop a cancelled evaluation by throwing.
 */
export async function evaluateComparison(c: ComparisonRuns, onModel?: (done: number, total: number) => void | Promise<void>): Promise<{ models: EvaluatedModel[]; table: TableRow[] }> {
  const seeds = c.retrains.map((r) => r.seed);
  // The references' own metrics (accuracies, MIA) first: every gap is measured against them.
  const refs: Ref[] = c.retrains.map((r) => ({
    x: r.measured.evidence, seconds: r.seconds,
    v: computeMetrics({ x: r.measured.evidence, seed: r.seed, seconds: r.seconds, relearnAcc: NaN }),
  }));
  const orig = { ...c.original, seconds: 0 };
  // The original measured against each seed's retrain (its metric sampling uses the first seed throughout).
  const origRows = refs.map((ref, i) => {
    const gap = against(orig, NaN, seeds[0], ref).avgGap!;
    return against(orig, c.original.relearnAcc[i], seeds[0], ref, gap);
  });
  const originalGaps = origRows.map((m) => m.avgGap!);
  const models: EvaluatedModel[] = [];
  const total = 1 + c.retrains.length + c.methods.reduce((n, m) => n + m.runs.length, 0);
  const record = async (run: Omit<MeasuredRun, 'relearnAcc'>, role: ModelRole, referenceId: string | null, metrics: ModelMetrics, refIndex: number) => {
    models.push({
      modelId: run.modelId, role, method: run.method, seed: run.seed, params: run.params, checkpoint: run.checkpoint, referenceId, metrics,
      ...(run.relearnCurve ? { relearnCurve: run.relearnCurve } : {}),
      details: details(run.measured, c.original.measured.probe?.activations, c.retrains[refIndex].measured.probe?.activations, c.probe, c.classNames),
    });
    await onModel?.(models.length, total);
  };
  await record(c.original, 'original', c.retrains[0].modelId, origRows[0], 0);

  // The noise floor: each retrain against the next seed's retrain (with one seed, against itself, and no floor row).
  const floorRows: ModelMetrics[] = [];
  for (const [i, r] of c.retrains.entries()) {
    const j = (i + 1) % refs.length;
    const m = against(r, r.relearnAcc, r.seed, refs[j], originalGaps[j]);
    if (refs.length > 1) floorRows.push(m);
    await record(r, 'retrain', refs.length > 1 ? c.retrains[j].modelId : null, m, j);
  }

  const methodRows: { method: string; rows: ModelMetrics[] }[] = [];
  for (const { method, runs } of c.methods) {
    const rows: ModelMetrics[] = [];
    for (const [n, r] of runs.entries()) {
      // A method's n-th run is measured against the n-th retrain (more runs than retrains wrap around).
      const i = n % refs.length;
      rows.push(against(r, r.relearnAcc, seeds[i], refs[i], originalGaps[i]));
      await record(r, 'method', c.retrains[i].modelId, rows[n], i);
    }
    methodRows.push({ method, rows });
  }
  return { models, table: buildTable(origRows, floorRows, methodRows) };
}
