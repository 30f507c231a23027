// The SQLite store: data sets, models and runs. All SQL of Lethe lives in this folder.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface ModelRow {
  id: string;
  path: string;
  parent: string | null;
  arch: string;
  dataset: string;
  method: string;
  params: Record<string, unknown>;
  forget: unknown;
  seed: number;
  metrics: Record<string, number>;
  created: string;
}

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

export function defaultStorePath(): string {
  return join(resolve(process.env.LETHE_HOME ?? '.lethe'), 'lethe.db');
}

const now = () => new Date().toISOString();
const json = (v: unknown) => JSON.stringify(v ?? null);

export class Store {
  readonly db: Database.Database;

  constructor(readonly path = defaultStorePath()) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
    } catch (e) {
      throw new Error(`store ${path}: cannot open (${(e as Error).message})`);
    }
    this.migrate();
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private migrate() {
    const from = this.schemaVersion;
    if (from > MIGRATIONS.length) {
      throw new Error(`store ${this.path}: schema version ${from} is newer than this Lethe knows (${MIGRATIONS.length}); upgrade Lethe`);
    }
    for (let v = from; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  recordDataset(key: string, d: { name: string; numClasses: number; trainCount: number; testCount: number }) {
    this.db
      .prepare(`INSERT INTO datasets (key, name, num_classes, train_count, test_count, created) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(key) DO NOTHING`)
      .run(key, d.name, d.numClasses, d.trainCount, d.testCount, now());
  }

  recordModel(m: Omit<ModelRow, 'created'> & { created?: string }) {
    this.db
      .prepare(`INSERT INTO models (id, path, parent, arch, dataset, method, params, forget, seed, metrics, created)
                VALUES (@id, @path, @parent, @arch, @dataset, @method, @params, @forget, @seed, @metrics, @created)
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
    return Number(this.db.prepare(`INSERT INTO runs (kind, status, args, started) VALUES (?, 'running', ?, ?)`).run(kind, json(args), now()).lastInsertRowid);
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

  close() {
    this.db.close();
  }
}

function toModel(r: Record<string, unknown>): ModelRow {
  return {
    id: r.id as string,
    path: r.path as string,
    parent: (r.parent as string | null) ?? null,
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
