// The HTTP contract: the body of every response under /api, imported by the server (which builds them) and
// the web (which reads them). Comparisons and their models are in ./contract.ts. Plain JSON types only.
import type { Comparison } from './contract.ts';
import type { TaskName } from '../data/tasks.ts';

/** Every error: `{ "error": { "code", "message" } }` with a 4xx (or 5xx) status. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** GET /api/health */
export interface Health {
  ok: true;
  version: string;
  backend: string;
  auth: boolean;
  maxJobs: number;
}

/** A JSON Schema as zod writes it for a method's parameters (the UI builds its form from it). */
export interface ParamsSchema {
  type?: string;
  properties?: Record<string, { type?: string; description?: string; default?: unknown; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number; enum?: unknown[] } & Record<string, unknown>>;
  [key: string]: unknown;
}

/** GET /api/methods: one entry per registered method. */
export interface MethodInfo {
  name: string;
  kind: 'exact' | 'approximate';
  /** The model kinds it can unlearn ('single', …). */
  accepts: string[];
  /** The tasks it serves (src/data/tasks.ts): the Run form offers it for models of these only. */
  tasks: TaskName[];
  summary: string;
  paper: string;
  params: ParamsSchema;
  defaults: Record<string, unknown>;
  /** The parameters `lethe tune` searches and their ranges (empty: nothing to tune, e.g. exact methods). */
  search: Record<string, SearchDim>;
}

/**
 * One tuned parameter's range: numbers from low to high (log: sampled uniformly in log space; int: rounded to an
 * integer), or one of a few choices.
 */
export type SearchDim =
  | { low: number; high: number; log?: boolean; int?: boolean }
  | { choices: (number | string | boolean)[] };

/** GET /api/tasks: every task kind a job can run, with the JSON Schema of its arguments (every limit, every default). */
export interface TaskInfo {
  kind: string;
  summary: string;
  args: ParamsSchema;
}

/** GET /api/archs */
export interface ArchInfo {
  name: string;
  description: string;
}

/** GET /api/datasets */
export interface DatasetInfo {
  name: string;
  description: string;
  available: boolean;
  task: TaskName;
}

/** GET /api/models, /api/models/:id: a stored checkpoint. */
export interface ApiModel {
  id: string;
  path: string;
  parent: string | null;
  /** single, analytic or sharded (src/models/kinds.ts): which methods can unlearn it (MethodInfo.accepts). */
  kind: string;
  arch: string;
  /** The data set's name; `trainSize` when it was trained on the first N train samples only. */
  dataset: string;
  /** What it predicts: its data set's task (a target column or a built-in regression set makes a regressor). */
  task: TaskName;
  trainSize: number | null;
  method: string;
  params: Record<string, unknown>;
  forget: unknown;
  seed: number;
  metrics: Record<string, number>;
  created: string;
}

/** GET /api/comparisons: comparisons without their models. */
export type ComparisonSummary = Omit<Comparison, 'models'>;

/** Progress of a task, as events carry it and jobs keep the latest. */
export interface Progress {
  /** What is running, e.g. 'train', 'salun', 'eval'. */
  phase: string;
  /** Work done and total, in the phase's own unit (steps). */
  done: number;
  total: number;
  /** Optional details: epoch, loss. */
  epoch?: number;
  epochs?: number;
  loss?: number;
  message?: string;
}

export type OnProgress = (p: Progress) => void;

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
export type EndStatus = Exclude<JobStatus, 'queued' | 'running'>;
export const END_STATUSES: readonly EndStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];
export const isFinal = (s: string): s is EndStatus => (END_STATUSES as readonly string[]).includes(s);

/** GET /api/jobs, /api/jobs/:id, and the body of POST /api/jobs (202). */
export interface JobView {
  id: number;
  kind: string;
  /** The validated request as stored: forget specs are objects (with `forgetText`), defaults filled in. */
  args: Record<string, unknown>;
  status: JobStatus;
  progress: Progress | null;
  result: unknown;
  error: string | null;
  created: string;
  started: string | null;
  finished: string | null;
}

/**
 * GET /api/jobs/:id/events, server-sent events: `state` (a JobView, on a status change), `progress`
 * (a Progress), and one final event named after the end status (a JobView), after which the stream ends.
 */
export type JobEventName = 'state' | 'progress' | EndStatus;

/** DELETE /api/jobs/:id */
export interface CancelResult {
  id: number;
  status: 'cancelled' | 'cancelling';
}

// ——— the deletion service (src/server/api-deletions.ts) ———

export type RequestState = 'received' | 'resolved' | 'applying' | 'done' | 'failed';
export type VersionExactness = 'deployed' | 'exact' | 'approximate' | 'retrain';

/** A version of a deployment: a checkpoint and how it came to be. */
export interface ApiVersion {
  number: number;
  modelId: string;
  path: string;
  weightsSha256: string;
  manifestCount: number;
  manifestSha256: string;
  exactness: VersionExactness;
  method: string;
  created: string;
  /** When a superseded version's weights were pruned (its meta.json and manifest stay), or null. */
  pruned: string | null;
}

/** GET /api/deployments (a list of these), GET /api/deployments/:name (one, with `requests`). */
export interface ApiDeployment {
  name: string;
  policy: string;
  kind: string;
  created: string;
  current: number;
  currentPath: string;
  currentModel: string;
  versions: ApiVersion[];
  open: number;
  done: number;
  failed: number;
  /** When an approximate policy's pending exact retrain is due, or null. */
  retrainDue: string | null;
  requests?: ApiDeletionRequest[];
}

/** POST /api/deletions (202 when new, 200 for a repeated key), GET /api/deletions/:id. */
export interface ApiDeletionRequest {
  id: number;
  key: string;
  deployment: string;
  /** The subject as a spec ("group:u17"). */
  subject: string;
  state: RequestState;
  ids: { count: number; sha256: string | null } | null;
  /** How many of the ids the version it was applied to still held. */
  held: number | null;
  parentVersion: number | null;
  childVersion: number | null;
  ledgerSeq: number | null;
  supersededSeq: number | null;
  error: string | null;
  received: string;
  updated: string;
}

/** A ledger entry (GET /api/ledger lists them newest first): what the leaf hash covers. */
export type LedgerEntry = { seq: number; time: string; type: 'deletion' | 'retrain'; request: number; deployment: string; exactness: string } & Record<string, unknown>;

export interface SignedTreeHead {
  size: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
}

/** GET /api/deletions/:id/certificate. */
export interface ApiCertificates {
  request: number;
  publicKey: string;
  certificates: { entry: LedgerEntry; proof: string[]; head: SignedTreeHead }[];
}

/** GET /api/ledger/consistency?from=N[&to=M]: the two signed heads and the RFC 9162 consistency proof (hex). */
export interface ApiConsistency {
  from: SignedTreeHead;
  to: SignedTreeHead;
  proof: string[];
}

/** GET /api/ledger/verify. */
export interface ApiVerdict {
  ok: boolean;
  size: number;
  seq?: number;
  problem?: string;
  /** `pruned`: versions whose weights were pruned, so only their meta.json and manifest were checked. */
  checked: { entries: number; versions: number; requests: number; exactVersions: number; pruned: number };
}

/** GET /api/lineage?sample=ID | ?group=G [&deployment=D]. */
export interface ApiLineage {
  query: string;
  ids: number;
  rows: { deployment: string | null; version: number | null; modelId: string; path: string; status: 'current' | 'to be retrained' | 'superseded' | 'checkpoint'; exactness: string | null; contains: number }[];
  checked: number;
  unknown: string[];
}

/** A trial's measurements on the tuning split (the validation set in the test set's place), all in percent. */
/**
 * One trial's measurements on the validation split: the values its task's objective scores (src/tune/objective.ts:
 * UA, RA, TA and MIA of a classifier; forgetL1, retainL1 and testL1 of a regressor), and the unlearning's wall time.
 */
export interface TrialValues {
  [value: string]: number;
  /** Wall time of the unlearning itself. */
  seconds: number;
}

/** One method's search (GET /api/tunings/:id): every trial, the choice, and the defaults scored the same way. */
export interface ApiTunedMethod {
  method: string;
  space: Record<string, SearchDim>;
  defaults: Record<string, unknown>;
  /** Successive halving's rungs: how many configurations were scored on how many seeds. */
  rungs: { configs: number; seeds: number }[];
  /** Every configuration tried (0 is the defaults), with its scores: avgGap to the same seed's retrain, per seed. */
  configs: { params: Record<string, unknown>; scores: number[]; mean: number; values: TrialValues[] }[];
  /** Index of the chosen configuration. */
  chosen: number;
  /** Parameters chosen at the edge of their range: the range should widen. */
  edges: Record<string, 'low' | 'high'>;
}

/** A finished tuning (`lethe tune`): the protocol, the references, and per method the search and the choice. */
export interface ApiTuning {
  id: string;
  created: string;
  /** The model the user gave; the search ran on a copy of its recipe trained without the validation split. */
  originalId: string;
  tuningOriginalId: string;
  dataset: string;
  forget: unknown;
  forgetText: string;
  /** Forget samples in the tuning pool (the training data without the validation split). */
  forgetCount: number;
  protocol: {
    /** Carved from the original's training data, seeded; the test set is not read at all. */
    validation: { count: number; seed: number };
    seeds: number[];
    budget: number;
    eta: number;
    score: string;
    /** The metric map's gap the score is (tunings from before regression: avgGap). */
    metric?: 'avgGap' | 'l1Gap';
  };
  /** The retrained references' values per seed, and their noise floor (avgGap of each to the next seed's). */
  retrains: TrialValues[];
  floor: number | null;
  methods: ApiTunedMethod[];
}

export type ApiTuningSummary = Pick<ApiTuning, 'id' | 'created' | 'originalId' | 'dataset' | 'forgetText' | 'forgetCount' | 'floor'> & {
  methods: { method: string; chosen: Record<string, unknown>; defaultScore: number; tunedScore: number }[];
};

/** Summary of a distribution over examples: what a bank's per-example metrics print. */
export interface Spread {
  mean: number;
  median: number;
  p90: number;
}

/** A model bank's evaluation (`lethe bank`): N models per side, and the many-model metrics. */
export interface ApiBank {
  /** The stored bank (GET /api/banks/:id): the same setting (original, data, forget ids, method, params, N) always has this id. */
  id: string;
  method: string;
  params: Record<string, unknown>;
  originalId: string;
  dataset: string;
  forgetText: string;
  forgetCount: number;
  /** Models per side: N retrained (seeds 1..N) and N runs of the method from the original (seeds 1..N). */
  n: number;
  /** Mean accuracies (%) of each side. */
  unlearned: { forgetAcc: number; retainAcc: number; testAcc: number; seconds: number };
  retrained: { forgetAcc: number; retainAcc: number; testAcc: number; seconds: number };
  /** The challenge's forgetting quality: per-example ε (δ = 1e-5), the bucketed forget score (top bucket ceil(ln(N − 1))), the final score. */
  epsilon: Spread & { maxEpsilon: number; forgetScore: number; score: number; capped: number };
  /** KLOM per example (binned KL of margins, unlearned ‖ retrained) on the forget set and on the fixed retain and test samples. */
  klom: { forget: Spread; retain: Spread; test: Spread };
  /** Members computed this time, and taken from the store. */
  computed: number;
  stored: number;
  /** With `csv`: the per-member confidences and per-example ε files (absolute paths). */
  files?: { confidences: string; epsilon: string };
}

/**
 * A stored bank (GET /api/banks/:id): its evaluation, and per forget example what the Forgetting quality view draws.
 * A re-run of the same setting replaces it.
 */
export interface ApiBankRecord extends ApiBank {
  /** When it was (last) computed. */
  created: string;
  /** Retain and test samples each member keeps (KLOM beyond the forget set). */
  samples: number;
  classNames: string[];
  /** Whether GET /api/samples can draw the examples (a built-in data set of grayscale images). */
  sampleImages: boolean;
  /**
   * Per forget example, in one order: its id and label, its ε, the median over each side's N models of its
   * logit-scaled confidence (log p_y − log Σ_{k≠y} p_k, the statistic ε thresholds), and its KLOM.
   */
  examples: { ids: number[]; labels: number[]; epsilon: number[]; retrainedMedian: number[]; unlearnedMedian: number[]; klom: number[] };
}

/** GET /api/banks, newest first: what the bank picker lists. */
export type ApiBankSummary = Pick<ApiBankRecord, 'id' | 'created' | 'method' | 'params' | 'originalId' | 'dataset' | 'forgetText' | 'forgetCount' | 'n'> & {
  forgetScore: number;
  score: number;
  medianEpsilon: number;
  klomForget: number;
};

/**
 * U-LiRA (Hayes et al. 2024), the per-example unlearning attack, over K shadow models each trained on a seeded random
 * half of the training pool. In every shadow the method unlearns the target examples that shadow holds. Per target
 * example and per shadow taken as the target model (leave-one-out: the Gaussians are fitted on the other K − 1),
 * the attacker compares the logit-scaled confidence under N(μ, σ) of the shadows that unlearned it against the
 * shadows that never held it. Accuracies are balanced (mean of the true-positive and true-negative rates), in %:
 * 50 is ideal unlearning.
 */
export interface ApiUlira {
  /** The stored evaluation (GET /api/ulira/:id): the same setting (original, data, target and retain samples, method, params, K) has this id. */
  id: string;
  method: string;
  params: Record<string, unknown>;
  originalId: string;
  dataset: string;
  /** Shadow models K, and the target examples (a seeded sample of the training pool) and retain examples measured. */
  shadows: number;
  targets: number;
  retainCount: number;
  /** The attack on the target examples, against the unlearned shadows: balanced accuracy, its two rates, and the per-example accuracies' spread. */
  forget: { accuracy: number; tpr: number; tnr: number; perExample: Spread };
  /**
   * The effect on retain examples: the same per-example attack asking whether a retain example was trained on,
   * against the shadow originals (before) and against the unlearned shadows (after).
   */
  retain: { before: number; after: number; perExampleBefore: Spread; perExampleAfter: Spread };
  /** Shadow models (originals and unlearned) computed this time, and taken from the store. */
  computed: number;
  stored: number;
}

/** A stored U-LiRA evaluation (GET /api/ulira/:id), with what the Per-example attack view draws. */
export interface ApiUliraRecord extends ApiUlira {
  created: string;
  classNames: string[];
  /** Whether GET /api/samples can draw the examples (a built-in data set of grayscale images). */
  sampleImages: boolean;
  /** Per target example, in one order: id, label, and the attack's accuracy (%) over the K shadows as target models. */
  examples: { ids: number[]; labels: number[]; accuracy: number[] };
  /** Per retain example: id, label, and the membership attack's accuracy (%) against the shadow originals and the unlearned shadows. */
  retainExamples: { ids: number[]; labels: number[]; before: number[]; after: number[] };
}

/** GET /api/ulira, newest first: what the picker lists. */
export type ApiUliraSummary = Pick<ApiUliraRecord, 'id' | 'created' | 'method' | 'params' | 'originalId' | 'dataset' | 'shadows' | 'targets'> & {
  accuracy: number;
  retainBefore: number;
  retainAfter: number;
};
