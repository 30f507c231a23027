// The data contract between evaluation (which computes and stores), the HTTP API and the UI (which only read).
// Plain JSON types: no tensors, no classes, so the browser can import this file.

export type ModelRole = 'original' | 'retrain' | 'method';

/** The numbers of one model, keyed by the metric map (src/eval/metrics.ts): percentages 0..100 unless the map says otherwise. */
export type { MetricKey, ModelMetrics } from '../eval/metrics.ts';
import type { MetricKey, ModelMetrics } from '../eval/metrics.ts';
import type { ForgetSpec } from '../data/forget/index.ts';
import type { TaskName } from '../data/tasks.ts';

/** What the comparison views draw for one model. */
export interface ModelDetails {
  classNames: string[];
  /** Per-class accuracy (NaN as null) on the train set the model's parent saw, and on the test set. */
  perClass: { train: (number | null)[]; test: (number | null)[] };
  /** Prediction matrices, row = true class, column = predicted, counts, row-major k*k. */
  confusion: { train: number[]; test: number[] };
  /** Linear CKA per layer, against the original and against the retrained model of the same seed. */
  cka: { layers: string[]; vsOriginal: number[]; vsRetrain: number[] };
  /** 2-D UMAP of penultimate-layer features on a fixed sample (same ids for every model of a comparison). */
  embedding: { ids: number[]; x: number[]; y: number[]; label: number[]; pred: number[]; forget: boolean[] };
  /**
   * A regressor's predictions on the comparison's fixed probe (forget, retain and test samples), in the target's
   * units, beside the true targets: the scatter of predictions against retraining's pairs them with its reference's.
   * Absent for classifiers; a regressor's class-wise fields are empty.
   */
  regression?: { ids: number[]; target: number[]; pred: number[]; forget: boolean[] };
  /** Per forget sample (a fixed sample of at most a few hundred): prediction and attack features. */
  forgetSamples: {
    ids: number[]; label: number[]; pred: number[]; confidence: number[]; trueConfidence: number[]; entropy: number[];
    /** The privacy attack's own features (src/eval/privacy.ts): entropy at temperature 2 and top-class log-odds. */
    attackEntropy: number[]; attackConfidence: number[];
  };
}

export interface EvaluatedModel {
  modelId: string;
  role: ModelRole;
  method: string;
  seed: number;
  params: Record<string, unknown>;
  checkpoint: string;
  /** The retrained model this one was measured against. */
  referenceId: string | null;
  metrics: ModelMetrics;
  details: ModelDetails;
  /**
   * Forget accuracy (%) along the relearning attack (fine-tuning on 32 forget samples, the same batch each step) after
   * 0, 1, 2, 5, 10, 20 and 50 steps; the point at 10 is relearnAcc. The original's is its first seed's attack.
   */
  relearnCurve?: RelearnPoint[];
}

export interface RelearnPoint {
  steps: number;
  forgetAcc: number;
}

export interface Stat {
  mean: number;
  std: number;
}

/** One row of the table papers print: mean ± std over seeds of every metric the rows have. */
export interface TableRow {
  label: string;
  method: string;
  role: ModelRole | 'noise-floor';
  n: number;
  stats: { [K in MetricKey]?: Stat };
}

export interface Comparison {
  id: string;
  created: string;
  /** What the models predict (src/data/tasks.ts); comparisons from before regression are of classifiers. */
  task?: TaskName;
  /** A regressor's target column ("progression"): what its predictions are, in that column's units. */
  target?: string;
  originalId: string;
  dataset: string;
  arch: string;
  /** The deletion request as its structured spec, and its short text ("class:3", "random:0.1:seed=1", "ids:186"). */
  forget: ForgetSpec;
  forgetText: string;
  forgetCount: number;
  /** False where the samples cannot be drawn (a comparison imported from predictions of data Lethe does not have). */
  sampleImages?: boolean;
  methods: string[];
  seeds: number[];
  table: TableRow[];
  models: EvaluatedModel[];
  /**
   * `lethe compare --tuned`: the tuning used (GET /api/tunings/:id), the methods it tuned and, per method it changed, the parameters of
   * the method's second row, labelled `<method> (tuned)` beside the row at the defaults.
   */
  tuning?: { id: string; methods: string[]; params: Record<string, Record<string, unknown>> };
}

/** The label of a method's row run with the parameters `lethe tune` chose. */
export const tunedLabel = (method: string) => `${method} (tuned)`;

/** A comparison's task: stored since regression, classification before. */
export const comparisonTask = (c: { task?: TaskName }): TaskName => c.task ?? 'classification';
