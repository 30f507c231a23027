// The metric map: every number Lethe reports about a model, declared once. The CLI tables (Markdown, CSV,
// JSON), the API, the UI's tables and the README's metric table all iterate it. Entries are computed in
// map order, so an entry may read the values of the entries above it (`i.v`).
// Adding a metric: one entry here and its pure function (with its test) in a file of its own.
import { accuracy } from './accuracy.ts';
import { accCorr, cleanAcc, type CorrectiveEvidence } from './corrective.ts';
import { meanJS, meanKL } from './divergence.ts';
import { entropy, trueClassConfidence } from './features.ts';
import { avgGap, gapClosed, speedup } from './gap.ts';
import { miaEfficacy, type SetOutputs } from './mia.ts';
import { lossAttackAccuracy, nomus, sampleLosses } from './nomus.ts';
import { privacyFeatures, privacyScore } from './privacy.ts';
import { l1, rmse, scaledErrors, wasserstein1 } from './regression.ts';
import { subSeed } from '../shared/random.ts';
import { CLASSIFICATION_ONLY, EVERY_TASK, taskOf, type TaskName } from '../data/tasks.ts';

/** A model's softmax outputs on the sets every metric reads (src/measure makes them), as plain arrays. */
export interface Evidence {
  numClasses: number;
  forget: SetOutputs;
  retain: SetOutputs;
  test: SetOutputs;
  /** Class forgetting only: the classes the request removes. */
  forgottenClasses?: number[];
  /** A data set that records a manipulation (corrective unlearning) only: what accCorr reads. */
  corrective?: CorrectiveEvidence;
  /** Requests whose kind splits the test set (a regression's target range): the outputs on each part. */
  forgetTest?: SetOutputs;
  retainTest?: SetOutputs;
  /** Regression only: the target's train sd, the unit of the membership attack's loss feature. */
  targetSd?: number;
}

/** Values by metric key; a metric that does not apply (or needs what is missing) is absent. */
export type Values = Readonly<Record<string, number | undefined>>;

export interface MetricInput {
  x: Evidence;
  /** This model's metrics computed so far (every entry above the current one). */
  v: Values;
  /** Seeds every subsample a metric draws (the MIA shadow sets). */
  seed: number;
  /** Wall time of the unlearning itself (0 for the original, NaN when unknown). */
  seconds: number;
  /** forgetAcc after the relearning attack (src/measure/relearn.ts); NaN when not measured. */
  relearnAcc: number;
  /** The retrained reference this model is measured against, with its own metrics; absent for a model on its own. */
  ref?: { x: Evidence; v: Values; seconds: number };
  /** avgGap of the original (do-nothing) model against the same reference, for gapClosed. */
  originalGap?: number;
}

export interface Metric {
  /** Column header (CLI and UI). */
  label: string;
  unit: '%' | 'points' | 'fraction' | 's' | '×' | 'nats' | 'score' | 'target';
  /** Which way is better; 'reference' = the closer to the retrained model, the better. */
  better: 'high' | 'low' | 'reference';
  digits: number;
  /** Shown value = stored value × scale (gapClosed is stored as a fraction and shown in percent). */
  scale?: number;
  /** Shown by default in the comparison tables, or on request (`--columns all`, the UI's "all metrics"). */
  column: 'default' | 'more';
  /** The tasks whose models it measures (src/data/tasks.ts); classification only when absent. */
  tasks?: readonly TaskName[];
  /** What the original's row shows instead of a number, where the value is a definition, not a measurement. */
  original?: string;
  meaning: string;
  paper: string;
  compute(i: MetricInput): number | undefined;
}

const acc = (s: SetOutputs, k: number) => accuracy(s.probs, s.labels, k);

/** Accuracy on the test samples whose class passes `keep`. */
function testAccWhere(x: Evidence, keep: (label: number) => boolean): number {
  const k = x.numClasses;
  const rows: number[] = [];
  for (let i = 0; i < x.test.labels.length; i++) if (keep(x.test.labels[i])) rows.push(i);
  const p = new Float32Array(rows.length * k);
  rows.forEach((r, j) => p.set(x.test.probs.subarray(r * k, (r + 1) * k), j * k));
  return accuracy(p, Int32Array.from(rows, (r) => x.test.labels[r]), k);
}

const forgotten = (x: Evidence, inClass: boolean) => {
  const cs = x.forgottenClasses && new Set(x.forgottenClasses);
  return cs ? testAccWhere(x, (c) => cs.has(c) === inClass) : undefined;
};

/** MIA-efficacy on one feature of the model's outputs, with the shadow samples the seed picks (the same for both features). */
const mia = (i: MetricInput, feature: (s: SetOutputs) => ArrayLike<number>) =>
  miaEfficacy({ retain: feature(i.x.retain), test: feature(i.x.test), forget: feature(i.x.forget) }, { seed: subSeed(i.seed, 'mia') }).mia;

const gapValues = (v: Values) => ({ UA: v.UA!, RA: v.RA!, TA: v.TA!, MIA: v.mia! });

const finite = (...xs: (number | undefined)[]) => xs.every((x) => x !== undefined && Number.isFinite(x));

const UNLEARN_SPARSE = 'Jia et al., "Model Sparsity Can Simplify Machine Unlearning", NeurIPS 2023';
const SALUN = 'Fan et al., "SalUn", ICLR 2024';

/** Accuracy on one of the sets (shown on request: UA, RA and TA are the columns papers print). */
function accuracyOn(set: 'forget' | 'retain' | 'test', label: string, better: Metric['better'], meaning: string): Metric {
  return { label, unit: '%', better, digits: 2, column: 'more', meaning, paper: UNLEARN_SPARSE, compute: (i) => acc(i.x[set], i.x.numClasses) };
}

/** A divergence of the model's softmax outputs from the reference's on one set. */
function divergence(label: string, fn: (ref: Float32Array, model: Float32Array, k: number) => number, set: 'forget' | 'test', column: Metric['column'], meaning: string, paper: string): Metric {
  return { label, unit: 'nats', better: 'low', digits: 4, column, meaning, paper, compute: (i) => i.ref && fn(i.ref.x[set].probs, i.x[set].probs, i.x.numClasses) };
}

const BLINDSPOT = 'Tarun, Chundawat, Mandal & Kankanhalli, "Deep Regression Unlearning", ICML 2023';
const REGRESSION: readonly TaskName[] = ['regression'];

/** An error (L1 or RMSE) of a regressor on one set, in the target's units. */
function errorOn(set: 'forget' | 'retain' | 'test' | 'forgetTest' | 'retainTest', fn: typeof l1, label: string, better: Metric['better'], column: Metric['column'], meaning: string): Metric {
  return {
    label, unit: 'target', better, digits: 2, column, tasks: REGRESSION, meaning, paper: BLINDSPOT,
    compute: (i) => { const o = i.x[set]; return o ? fn(o.probs, o.target!) : undefined; },
  };
}

/** Mean |x − x_ref| over the three regression errors: the regression counterpart of avgGap, in the target's units. */
const L1_GAP_KEYS = ['forgetL1', 'retainL1', 'testL1'] as const;

export const METRICS = {
  forgetAcc: accuracyOn('forget', 'forget acc', 'reference', 'accuracy on the forget set'),
  retainAcc: accuracyOn('retain', 'retain acc', 'high', 'accuracy on the retain set (the training data that stays)'),
  testAcc: accuracyOn('test', 'test acc', 'high', 'accuracy on the test set'),
  forgetTestAcc: {
    label: 'forget-test acc', unit: '%', better: 'low', digits: 2, column: 'default',
    meaning: 'class forgetting only: test accuracy on the forgotten classes', paper: 'Chundawat et al., AAAI 2023; Lee et al., Unlearning Comparator 2025',
    compute: (i) => forgotten(i.x, true),
  },
  retainTestAcc: {
    label: 'retain-test acc', unit: '%', better: 'high', digits: 2, column: 'default',
    meaning: 'class forgetting only: test accuracy on the other classes', paper: 'Chundawat et al., AAAI 2023; Lee et al., Unlearning Comparator 2025',
    compute: (i) => forgotten(i.x, false),
  },
  accCorr: {
    label: 'accCorr', unit: '%', better: 'high', digits: 2, column: 'default',
    meaning: 'manipulated data sets only: poison, accuracy w.r.t. the true labels on test images with the trigger stamped (the target class left out); label confusion, test accuracy on the two confused classes. The retrain on fully cleaned data is the target',
    paper: 'Goel, Prabhu et al., "Corrective Machine Unlearning", TMLR 2024',
    compute: (i) => i.x.corrective && accCorr(i.x.corrective, i.x.test, i.x.numClasses),
  },
  cleanAcc: {
    label: 'clean acc', unit: '%', better: 'high', digits: 2, column: 'default',
    meaning: 'manipulated data sets only: poison, accuracy on the clean test images; label confusion, test accuracy on the other classes',
    paper: 'Goel, Prabhu et al., "Corrective Machine Unlearning", TMLR 2024',
    compute: (i) => i.x.corrective && cleanAcc(i.x.corrective, i.x.test, i.x.numClasses),
  },
  UA: {
    label: 'UA', unit: '%', better: 'reference', digits: 2, column: 'default',
    meaning: 'unlearning accuracy, 100 − forget acc (the Comparator calls forget acc itself "UA")', paper: SALUN,
    compute: (i) => 100 - i.v.forgetAcc!,
  },
  RA: {
    label: 'RA', unit: '%', better: 'high', digits: 2, column: 'default',
    meaning: 'retain accuracy, the column papers print', paper: SALUN,
    compute: (i) => i.v.retainAcc,
  },
  TA: {
    label: 'TA', unit: '%', better: 'high', digits: 2, column: 'default',
    meaning: 'test accuracy, the column papers print', paper: SALUN,
    compute: (i) => i.v.testAcc,
  },
  mia: {
    label: 'MIA', unit: '%', better: 'reference', digits: 2, column: 'default',
    meaning: 'MIA-efficacy: an RBF-kernel SVC (C = 3, γ = 1) learns members (retain samples) from non-members (test samples) on the true-class probability, at the reference\'s sizes (every test sample, as many retain samples drawn by the seed); the share of forget samples it calls non-members. Our own LIBSVM-style solver (shrinking, an exact low-rank kernel form, a warm start), checked against scikit-learn',
    paper: `${UNLEARN_SPARSE}; ${SALUN}`,
    compute: (i) => mia(i, (s) => trueClassConfidence(s.probs, s.labels, i.x.numClasses)),
  },
  miaEntropy: {
    label: 'MIA (entropy)', unit: '%', better: 'reference', digits: 2, column: 'more',
    meaning: 'the same attack on the prediction entropy, with the same shadow samples', paper: UNLEARN_SPARSE,
    compute: (i) => mia(i, (s) => entropy(s.probs, i.x.numClasses)),
  },
  avgGap: {
    label: 'avgGap', unit: 'points', better: 'low', digits: 2, column: 'default',
    meaning: 'mean of |UA − UA_ref|, |RA − RA_ref|, |TA − TA_ref|, |MIA − MIA_ref| against `retrain` of the same seed: lower is closer to exact unlearning',
    paper: SALUN,
    compute: (i) => (i.ref ? avgGap(gapValues(i.v), gapValues(i.ref.v)) : undefined),
  },
  gapClosed: {
    label: 'gap closed %', unit: '%', better: 'high', digits: 1, scale: 100, column: 'default', original: '0 (by definition)',
    meaning: '1 − avgGap / avgGap(original): the share of the do-nothing model\'s gap a method removes (100% = as close as retraining; negative = worse than doing nothing)',
    paper: 'Lethe (a normalisation of avgGap)',
    compute: (i) => (!i.ref ? undefined : finite(i.v.avgGap, i.originalGap) ? gapClosed(i.v.avgGap!, i.originalGap!) : NaN),
  },
  seconds: {
    label: 'seconds', unit: 's', better: 'low', digits: 2, column: 'default', tasks: EVERY_TASK,
    meaning: 'wall time of the unlearning itself (no loading or evaluation)', paper: '—',
    compute: (i) => i.seconds,
  },
  speedup: {
    label: 'speedup', unit: '×', better: 'high', digits: 1, column: 'default', original: '—', tasks: EVERY_TASK,
    meaning: 'retrain seconds / seconds', paper: '—',
    // Unknown timings (a checkpoint made elsewhere) leave the speedup unknown rather than failing the evaluation.
    compute: (i) => (!i.ref ? undefined : finite(i.seconds, i.ref.seconds) ? speedup(i.ref.seconds, i.seconds) : NaN),
  },
  privacy: {
    label: 'privacy', unit: 'score', better: 'high', digits: 3, column: 'default',
    meaning: 'threshold attacks that tell the model\'s forget-sample outputs from `retrain`\'s, on entropy (softmax at T = 2) and on top-class log-odds; ε per threshold with δ = 1e-5, attack score 1 − 2^−ε; score = 1 − the strongest attack (1 = indistinguishable from retraining)',
    paper: 'Lee et al., "Unlearning Comparator", 2025',
    compute: (i) => i.ref && privacyScore({
      unlearn: privacyFeatures(i.x.forget.probs, i.x.numClasses), retrain: privacyFeatures(i.ref.x.forget.probs, i.x.numClasses),
    }).score,
  },
  relearnAcc: {
    label: 'relearn acc', unit: '%', better: 'reference', digits: 2, column: 'default',
    meaning: 'relearning attack: forget acc after fine-tuning on 32 forget samples for 10 Adam steps; a method that only hid the data relearns quickly',
    paper: 'Hu et al., "Jogging the Memory of Unlearned LLMs", 2024; Lynch et al., 2024',
    compute: (i) => i.relearnAcc,
  },
  klForget: divergence('KL forget', meanKL, 'forget', 'default', 'mean KL(retrain ‖ model) of the softmax outputs on the forget set', 'Golatkar et al., CVPR 2020 (KL to the retrained model)'),
  klTest: divergence('KL test', meanKL, 'test', 'more', 'mean KL(retrain ‖ model) on the test set', 'Golatkar et al., CVPR 2020'),
  jsForget: divergence('JS forget', meanJS, 'forget', 'more', 'mean Jensen–Shannon divergence to `retrain` on the forget set', 'Chundawat et al., AAAI 2023 (ZRF uses JS)'),
  jsTest: divergence('JS test', meanJS, 'test', 'more', 'mean Jensen–Shannon divergence to `retrain` on the test set', 'Chundawat et al., AAAI 2023'),
  nomus: {
    label: 'NoMUS', unit: 'score', better: 'high', digits: 3, column: 'default',
    meaning: '½·TA + ½·(1 − 2·|MIA − ½|), MIA the accuracy of a logistic regression telling forget from test samples by their loss (10 stratified splits, balanced by seeded sampling); 1 = accurate and indistinguishable. Made for forgetting people (samples with unseen look-alikes): after class forgetting no test sample looks like the forget set, and retraining scores low too, so compare it with retrain\'s',
    paper: 'Choi & Na, "Towards Machine Unlearning Benchmarks: Forgetting the Personal Identities in Facial Recognition Systems", 2023',
    compute: (i) => nomus(i.v.testAcc!, lossAttackAccuracy(sampleLosses(i.x.forget, i.x.numClasses), sampleLosses(i.x.test, i.x.numClasses), i.seed)),
  },
  forgetL1: errorOn('forget', l1, 'forget L1', 'reference', 'default', 'regression: mean absolute error on the forget set, in the target\'s units; retraining\'s is the target (Blindspot\'s "L1 on the forgotten ages")'),
  retainL1: errorOn('retain', l1, 'retain L1', 'low', 'default', 'regression: mean absolute error on the retain set'),
  testL1: errorOn('test', l1, 'test L1', 'low', 'default', 'regression: mean absolute error on the test set'),
  forgetTestL1: errorOn('forgetTest', l1, 'forget-test L1', 'reference', 'default', 'target-range forgetting only: mean absolute error on the test samples whose target is in the forgotten range'),
  retainTestL1: errorOn('retainTest', l1, 'retain-test L1', 'low', 'default', 'target-range forgetting only: mean absolute error on the other test samples'),
  forgetRMSE: errorOn('forget', rmse, 'forget RMSE', 'reference', 'more', 'regression: root mean squared error on the forget set'),
  retainRMSE: errorOn('retain', rmse, 'retain RMSE', 'low', 'more', 'regression: root mean squared error on the retain set'),
  testRMSE: errorOn('test', rmse, 'test RMSE', 'low', 'more', 'regression: root mean squared error on the test set'),
  w1Forget: {
    label: 'W1 to retrain', unit: 'target', better: 'low', digits: 2, column: 'default', tasks: REGRESSION,
    meaning: 'regression: Wasserstein-1 distance between the model\'s and `retrain`\'s forget-set predictions, in the target\'s units (0 = the same distribution)',
    paper: BLINDSPOT,
    compute: (i) => i.ref && wasserstein1(i.x.forget.probs, i.ref.x.forget.probs),
  },
  lossMia: {
    label: 'MIA (loss)', unit: '%', better: 'reference', digits: 2, column: 'default', tasks: REGRESSION,
    meaning: 'regression: the MIA-efficacy attack (RBF SVC, C = 3, γ = 1, members = retain, non-members = test, as `mia`) on each sample\'s absolute error in train-sd units; the share of forget samples it calls non-members',
    paper: `${BLINDSPOT} (a loss-based SVC attack); ${UNLEARN_SPARSE}`,
    compute: (i) => mia(i, (s) => scaledErrors(s.probs, s.target!, i.x.targetSd ?? 1)),
  },
  l1Gap: {
    label: 'L1 gap', unit: 'target', better: 'low', digits: 2, column: 'default', tasks: REGRESSION,
    meaning: 'regression: mean of |L1 − L1_ref| over the forget, retain and test sets against `retrain` of the same seed, in the target\'s units: lower is closer to exact unlearning (avgGap\'s counterpart)',
    paper: 'Lethe (avgGap of SalUn over the L1 errors)',
    compute: (i) => (i.ref ? L1_GAP_KEYS.reduce((a, k) => a + Math.abs(i.v[k]! - i.ref!.v[k]!), 0) / L1_GAP_KEYS.length : undefined),
  },
} satisfies Record<string, Metric>;

export type MetricKey = keyof typeof METRICS;
export const METRIC_KEYS = Object.keys(METRICS) as MetricKey[];
export type ModelMetrics = { [K in MetricKey]?: number };

/** Every metric of one model, in map order. Without `ref`, the reference-relative ones are absent. */
export function computeMetrics(input: Omit<MetricInput, 'v'>, only?: readonly MetricKey[]): ModelMetrics {
  const v: Record<string, number | undefined> = {};
  const task = taskOf(input.x.forget);
  // `only` must list the entries its metrics read too (UA reads forgetAcc), in any order: the map's order is kept.
  for (const key of (only ? METRIC_KEYS.filter((k) => only.includes(k)) : METRIC_KEYS).filter((k) => metricTasks(k).includes(task))) {
    const value = (METRICS[key] as Metric).compute({ ...input, v });
    if (value !== undefined) v[key] = value;
  }
  return v as ModelMetrics;
}

export const metricInfo = (key: MetricKey): Metric => METRICS[key];

/** The tasks a metric measures. */
export const metricTasks = (key: MetricKey): readonly TaskName[] => metricInfo(key).tasks ?? CLASSIFICATION_ONLY;

const isNumber = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** One value as every table shows it: scaled, fixed digits, with its unit; an em dash where there is none. */
export function formatValue(key: MetricKey, value: number | null | undefined): string {
  const m = metricInfo(key);
  if (!isNumber(value)) return '—';
  const text = (value * (m.scale ?? 1)).toFixed(m.digits);
  return m.unit === '%' ? `${text}%` : m.unit === 's' ? `${text} s` : m.unit === '×' ? `${text}×` : text;
}

/** The README's metric table. */
export function metricsMarkdown(): string {
  const rows = METRIC_KEYS.map((key) => {
    const m = metricInfo(key);
    const better = m.better === 'reference' ? 'closest to retrain' : m.better === 'high' ? 'higher' : 'lower';
    return `| \`${key}\` | ${m.label} | ${metricTasks(key).join(', ')} | ${m.unit === 'target' ? "the target's units" : m.unit} | ${better} | ${m.column === 'default' ? 'yes' : ''} | ${m.meaning} | ${m.paper} |`;
  });
  return ['| metric | column | tasks | unit | better | shown by default | meaning | paper |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}
