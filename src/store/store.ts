// The SQLite store: data sets, models and runs. All SQL of Lethe lives in this folder.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Comparison, EvaluatedModel } from '../shared/contract.ts';
import type { ApiModel, EndStatus, JobStatus, JobView } from '../shared/http.ts';
import { DeletionTables } from './deletions.ts';
import { upgradeSummary } from './legacy.ts';
import { MIGRATIONS } from './migrations.ts';
import { TuningTables } from './tunings.ts';
import { BankTables } from './banks.ts';
import { UliraTables } from './ulira.ts';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** A stored model: what the API shows, but with `dataset` as the store's key (the DataRef's JSON). */
export type ModelRow = Omit<ApiModel, 'trainSize' | 'task'>;

export interface RunRow {
  id: number;
  kind: string;
  status: RunStatus;
  args: unknown;
  result: unknown;
  error: string | null;
  modelId: string | null;
  started: string;
  finished: string | null;
}

/** A job as the store keeps it: the HTTP contract's JobView. */
export type JobRow = JobView;
export type { JobStatus };

export function defaultStorePath(): string {
  return join(resolve(process.env.LETHE_HOME ?? '.lethe'), 'lethe.db');
}

const now = () => new Date().toISOString();
const json = (v: unknown) => JSON.stringify(v ?? null);

const BUSY_TIMEOUT_MS = 5000;

/** Runs `fn` again after a short sleep while SQLite reports the database busy, for up to BUSY_TIMEOUT_MS. */
function retryWhileBusy<T>(fn: () => T): T {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw e;
      Atomics.wait(sleeper, 0, 0, Math.min(100, 5 * 2 ** attempt));
    }
  }
}

/** Whether a process of this host with that pid exists (one we may not signal counts as existing). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Store {
  readonly db: Database.Database;
  /** The deletion service's deployments, versions and requests. */
  readonly deletions: DeletionTables;
  /** lethe tune's trials and tunings. */
  readonly tunings: TuningTables;
  /** Model banks' members. */
  readonly banks: BankTables;
  /** Stored U-LiRA evaluations (their shadows are bank members). */
  readonly ulira: UliraTables;

  constructor(readonly path = defaultStorePath()) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      // Switching to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once (no busy handler:
      // it could deadlock) when another process opening the same new file holds a shared one. Retry it.
      retryWhileBusy(() => this.db.pragma('journal_mode = WAL'));
      this.db.pragma('foreign_keys = ON');
    } catch (e) {
      throw new Error(`store ${path}: cannot open (${(e as Error).message})`);
    }
    this.migrate();
    this.deletions = new DeletionTables(this.db);
    this.tunings = new TuningTables(this.db);
    this.banks = new BankTables(this.db);
    this.ulira = new UliraTables(this.db);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private migrate() {
    if (this.schemaVersion === MIGRATIONS.length) return;
    // IMMEDIATE takes the write lock before the version is read: another process opening the same new
    // store at once waits, then finds the migrations done, instead of running them a second time.
    this.db.transaction(() => {
      const from = this.schemaVersion;
      if (from > MIGRATIONS.length) {
        throw new Error(`store ${this.path}: schema version ${from} is newer than this Lethe knows (${MIGRATIONS.length}); upgrade Lethe`);
      }
      for (let v = from; v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
  }

  recordDataset(key: string, d: { name: string; numClasses: number; trainCount: number; testCount: number }) {
    this.db
      .prepare(`INSERT INTO datasets (key, name, num_classes, train_count, test_count, created) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(key) DO NOTHING`)
      .run(key, d.name, d.numClasses, d.trainCount, d.testCount, now());
  }

  recordModel(m: Omit<ModelRow, 'created'> & { created?: string }) {
    this.db
      .prepare(`INSERT INTO models (id, path, parent, kind, arch, dataset, method, params, forget, seed, metrics, created)
                VALUES (@id, @path, @parent, @kind, @arch, @dataset, @method, @params, @forget, @seed, @metrics, @created)
                ON CONFLICT(id) DO UPDATE SET path = excluded.path, metrics = excluded.metrics`)
      .run({ ...m, params: json(m.params), forget: m.forget == null ? null : json(m.forget), metrics: json(m.metrics), created: m.created ?? now() });
  }

  /** Merges metrics into a model's record. */
  addMetrics(id: string, metrics: Record<string, number>) {
    const row = this.getModel(id);
    if (!row) throw new Error(`no model ${id} in the store`);
    this.db.prepare('UPDATE models SET metrics = ? WHERE id = ?').run(json({ ...row.metrics, ...metrics }), id);
  }

  getModel(id: string): ModelRow | undefined {
    const r = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && toModel(r);
  }

  listModels(): ModelRow[] {
    return (this.db.prepare('SELECT * FROM models ORDER BY created, id').all() as Record<string, unknown>[]).map(toModel);
  }

  startRun(kind: string, args: unknown): number {
    return Number(this.db.prepare(`INSERT INTO runs (kind, status, args, started, pid, host) VALUES (?, 'running', ?, ?, ?, ?)`)
      .run(kind, json(args), now(), process.pid, hostname()).lastInsertRowid);
  }

  /**
   * Marks 'interrupted' the runs this host left 'running' in processes that no longer exist (a kill -9, a
   * crash, a power cut); returns how many. Runs of other hosts sharing the file are left to them.
   */
  interruptDeadRuns(): number {
    const stale = (this.db.prepare(`SELECT id, pid FROM runs WHERE status = 'running' AND host = ?`).all(hostname()) as { id: number; pid: number | null }[])
      .filter((r) => r.pid != null && !processAlive(r.pid));
    const mark = this.db.prepare(`UPDATE runs SET status = 'interrupted', error = ?, finished = ? WHERE id = ? AND status = 'running'`);
    for (const r of stale) mark.run(`its process (pid ${r.pid}) ended before the run finished`, now(), r.id);
    return stale.length;
  }

  finishRun(id: number, status: Exclude<RunStatus, 'running'>, { result, error, modelId }: { result?: unknown; error?: string; modelId?: string } = {}) {
    this.db
      .prepare('UPDATE runs SET status = ?, result = ?, error = ?, model_id = ?, finished = ? WHERE id = ?')
      .run(status, result === undefined ? null : json(result), error ?? null, modelId ?? null, now(), id);
  }

  getRun(id: number): RunRow | undefined {
    const r = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && toRun(r);
  }

  listRuns(): RunRow[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id').all() as Record<string, unknown>[]).map(toRun);
  }

  /** Stores a finished comparison and all its evaluated models in one transaction. */
  saveComparison(c: Comparison) {
    const { models, ...summary } = c;
    const insertEval = this.db.prepare(`INSERT OR REPLACE INTO evaluations
      (comparison_id, model_id, role, method, seed, metrics, details, evaluated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      this.db.prepare(`INSERT OR REPLACE INTO comparisons (id, original_id, dataset, forget, summary, created) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(c.id, c.originalId, c.dataset, c.forgetText, json(summary), c.created);
      for (const m of models) {
        const { metrics, details, ...rest } = m;
        insertEval.run(c.id, m.modelId, m.role, m.method, m.seed, json(metrics), json(details), json(rest));
      }
    })();
  }

  listComparisons(): Omit<Comparison, 'models'>[] {
    return (this.db.prepare('SELECT summary FROM comparisons ORDER BY created DESC').all() as { summary: string }[]).map((r) => upgradeSummary(JSON.parse(r.summary)));
  }

  /** A comparison with its models; `withDetails` false leaves out the large per-view data. */
  getComparison(id: string, withDetails = true): Comparison | undefined {
    const row = this.db.prepare('SELECT summary FROM comparisons WHERE id = ?').get(id) as { summary: string } | undefined;
    if (!row) return undefined;
    const evals = this.db.prepare('SELECT metrics, details, evaluated FROM evaluations WHERE comparison_id = ? ORDER BY rowid').all(id) as Record<string, string>[];
    const models = evals.map((e) => ({
      ...JSON.parse(e.evaluated), metrics: JSON.parse(e.metrics), details: withDetails ? JSON.parse(e.details) : undefined,
    })) as EvaluatedModel[];
    return { ...upgradeSummary(JSON.parse(row.summary)), models };
  }

  /** One evaluated model of a comparison, with its details. */
  getEvaluation(comparisonId: string, modelId: string): EvaluatedModel | undefined {
    const e = this.db.prepare('SELECT metrics, details, evaluated FROM evaluations WHERE comparison_id = ? AND model_id = ?').get(comparisonId, modelId) as Record<string, string> | undefined;
    return e && { ...JSON.parse(e.evaluated), metrics: JSON.parse(e.metrics), details: JSON.parse(e.details) };
  }

  createJob(kind: string, args: unknown): number {
    return Number(this.db.prepare(`INSERT INTO jobs (kind, args, status, created) VALUES (?, ?, 'queued', ?)`).run(kind, json(args), now()).lastInsertRowid);
  }

  startJob(id: number) {
    this.db.prepare(`UPDATE jobs SET status = 'running', started = ? WHERE id = ?`).run(now(), id);
  }

  setJobProgress(id: number, progress: unknown) {
    this.db.prepare('UPDATE jobs SET progress = ? WHERE id = ?').run(json(progress), id);
  }

  finishJob(id: number, status: EndStatus, { result, error }: { result?: unknown; error?: string } = {}) {
    this.db.prepare('UPDATE jobs SET status = ?, result = ?, error = ?, finished = ? WHERE id = ?')
      .run(status, result === undefined ? null : json(result), error ?? null, now(), id);
  }

  /** Marks jobs that a previous process left queued or running as interrupted; returns how many. */
  interruptJobs(): number {
    return this.db.prepare(`UPDATE jobs SET status = 'interrupted', finished = ?, error = COALESCE(error, 'the server stopped before the job finished')
                            WHERE status IN ('queued', 'running')`).run(now()).changes;
  }

  getJob(id: number): JobRow | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && toJob(r);
  }

  listJobs(limit = 200): JobRow[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as Record<string, unknown>[]).map(toJob);
  }

  close() {
    this.db.close();
  }
}

function toModel(r: Record<string, unknown>): ModelRow {
  return {
    id: r.id as string,
    path: r.path as string,
    parent: (r.parent as string | null) ?? null,
    kind: (r.kind as string | undefined) ?? 'single',
    arch: r.arch as string,
    dataset: r.dataset as string,
    method: r.method as string,
    params: JSON.parse(r.params as string),
    forget: r.forget == null ? null : JSON.parse(r.forget as string),
    seed: r.seed as number,
    metrics: JSON.parse(r.metrics as string),
    created: r.created as string,
  };
}

function toRun(r: Record<string, unknown>): RunRow {
  return {
    id: r.id as number,
    kind: r.kind as string,
    status: r.status as RunStatus,
    args: JSON.parse(r.args as string),
    result: r.result == null ? null : JSON.parse(r.result as string),
    error: (r.error as string | null) ?? null,
    modelId: (r.model_id as string | null) ?? null,
    started: r.started as string,
    finished: (r.finished as string | null) ?? null,
  };
}

function toJob(r: Record<string, unknown>): JobRow {
  const parse = (v: unknown) => (v == null ? null : JSON.parse(v as string));
  return {
    id: r.id as number,
    kind: r.kind as string,
    args: parse(r.args) as Record<string, unknown>,
    status: r.status as JobStatus,
    progress: parse(r.progress) as JobView['progress'],
    result: parse(r.result),
    error: (r.error as string | null) ?? null,
    created: r.created as string,
    started: (r.started as string | null) ?? null,
    finished: (r.finished as string | null) ?? null,
  };
}
