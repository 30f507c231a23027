import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.ts';
import { defaultStorePath, Store } from './store.ts';
import { runModule } from '../../test/support/child.ts';

const root = mkdtempSync(join(tmpdir(), 'lethe-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const open: Store[] = [];
function fresh(): Store {
  const s = new Store(join(root, `db${n++}`, 'lethe.db'));
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) if (s.db.open) s.close();
});

const DATA_KEY = '{"name":"synthetic"}';
const model = (id: string, extra: object = {}) => ({
  id, path: `/runs/${id}`, parent: null, kind: 'single', arch: 'mlp', dataset: DATA_KEY, method: 'train', params: { lr: 0.001 },
  forget: null, seed: 1, metrics: { testAcc: 90 }, ...extra,
});

describe('Store', () => {
  it('creates the file, runs every migration and turns WAL on', () => {
    const s = fresh();
    expect(existsSync(s.path)).toBe(true);
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    s.close();
    // checked again through a separate connection: user_version and WAL are stored in the file
    const raw = new Database(s.path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all();
    // later migrations add tables; the first one's must be there
    expect(tables).toEqual(expect.arrayContaining([{ name: 'datasets' }, { name: 'models' }, { name: 'runs' }]));
    raw.close();
  });

  it('reopening is idempotent and keeps the data', () => {
    const a = fresh();
    a.recordDataset(DATA_KEY, { name: 'synthetic', numClasses: 4, trainCount: 1200, testCount: 400 });
    a.recordModel(model('m1'));
    a.close();
    const b = new Store(a.path);
    open.push(b);
    expect(b.schemaVersion).toBe(MIGRATIONS.length);
    expect(b.getModel('m1')?.arch).toBe('mlp');
    b.close();
    const c = new Store(a.path);
    open.push(c);
    expect(c.listModels().map((m) => m.id)).toEqual(['m1']);
  });

  it('an older store is migrated forward and keeps its data', () => {
    const path = join(root, 'v1.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]);
    raw.pragma('user_version = 1');
    raw.prepare(`INSERT INTO datasets VALUES ('k', 'synthetic', 4, 1200, 400, '2026-01-01')`).run();
    raw.close();
    const s = new Store(path);
    open.push(s);
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    expect(s.db.prepare('SELECT name, train_count FROM datasets').all()).toEqual([{ name: 'synthetic', train_count: 1200 }]);
  });

  it('processes opening a new store at the same moment all succeed (each migration runs once)', async () => {
    const path = join(root, 'race', 'lethe.db');
    const storeTs = new URL('./store.ts', import.meta.url).href;
    const start = Date.now() + 1500;
    // Each child waits for the same instant, then opens the store: the first CLI commands of a fresh LETHE_HOME.
    const code = `const { Store } = await import(${JSON.stringify(storeTs)});
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ${start} - Date.now()));
      const s = new Store(${JSON.stringify(path)});
      process.stdout.write(String(s.schemaVersion));
      s.close();`;
    const run = () => runModule(code);
    const results = await Promise.all([run(), run(), run(), run()]);
    for (const r of results) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toBe(String(MIGRATIONS.length));
    }
  });

  it('a store from a newer Lethe is a clear error', () => {
    const path = join(root, 'newer.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => new Store(path)).toThrow(new RegExp(`newer\\.db: schema version ${MIGRATIONS.length + 5} is newer than this Lethe knows \\(${MIGRATIONS.length}\\); upgrade Lethe`));
  });

  it('a file that is not a database is a clear error', () => {
    const path = join(root, 'junk.db');
    writeFileSync(path, 'this is not sqlite, just some text that is long enough to have a header. '.repeat(10));
    expect(() => new Store(path)).toThrow(/store .*junk\.db: cannot open \(file is not a database\)/);
  });

  it('the default path is LETHE_HOME/lethe.db', () => {
    const saved = process.env.LETHE_HOME;
    try {
      process.env.LETHE_HOME = join(root, 'home');
      expect(defaultStorePath()).toBe(join(root, 'home', 'lethe.db'));
    } finally {
      if (saved === undefined) delete process.env.LETHE_HOME;
      else process.env.LETHE_HOME = saved;
    }
  });

  it('models round trip, JSON fields included', () => {
    const s = fresh();
    s.recordDataset(DATA_KEY, { name: 'synthetic', numClasses: 4, trainCount: 1200, testCount: 400 });
    s.recordModel(model('base', { created: '2026-01-01T00:00:00.000Z' }));
    s.recordModel(model('child', { parent: 'base', method: 'salun', params: { sparsity: 0.5, steps: [1, 2] }, forget: { kind: 'class', classes: [3] }, seed: 2, created: '2026-01-02T00:00:00.000Z' }));
    expect(s.getModel('child')).toEqual({
      id: 'child', path: '/runs/child', parent: 'base', kind: 'single', arch: 'mlp', dataset: DATA_KEY, method: 'salun',
      params: { sparsity: 0.5, steps: [1, 2] }, forget: { kind: 'class', classes: [3] }, seed: 2, metrics: { testAcc: 90 },
      created: '2026-01-02T00:00:00.000Z',
    });
    expect(s.getModel('base')?.forget).toBeNull();
    s.recordModel(model('ensemble', { kind: 'sharded', arch: 'ensemble-5-mlp' }));
    expect(s.getModel('ensemble')).toMatchObject({ kind: 'sharded', arch: 'ensemble-5-mlp' });
    s.db.prepare("DELETE FROM models WHERE id = 'ensemble'").run();
    expect(s.getModel('nope')).toBeUndefined();
    expect(s.listModels().map((m) => m.id)).toEqual(['base', 'child']);
    const row = s.db.prepare('SELECT num_classes, train_count, test_count FROM datasets WHERE key = ?').get(DATA_KEY);
    expect(row).toEqual({ num_classes: 4, train_count: 1200, test_count: 400 });
  });

  it('recording a model again updates its path and metrics only', () => {
    const s = fresh();
    s.recordDataset(DATA_KEY, { name: 'synthetic', numClasses: 4, trainCount: 1200, testCount: 400 });
    s.recordModel(model('m', { created: '2026-01-01T00:00:00.000Z' }));
    s.recordModel(model('m', { path: '/moved', arch: 'small-cnn', metrics: { testAcc: 91 }, created: '2027-01-01T00:00:00.000Z' }));
    expect(s.getModel('m')).toMatchObject({ path: '/moved', arch: 'mlp', metrics: { testAcc: 91 }, created: '2026-01-01T00:00:00.000Z' });
  });

  it('a model needs its data set recorded first (foreign keys are enforced)', () => {
    const s = fresh();
    expect(() => s.recordModel(model('orphan', { dataset: '{"name":"nowhere"}' }))).toThrow(/FOREIGN KEY/);
  });

  it('addMetrics merges into the stored metrics', () => {
    const s = fresh();
    s.recordDataset(DATA_KEY, { name: 'synthetic', numClasses: 4, trainCount: 1200, testCount: 400 });
    s.recordModel(model('m', { metrics: { a: 1, b: 2 } }));
    s.addMetrics('m', { b: 3, c: 4 });
    s.addMetrics('m', { d: 5 });
    expect(s.getModel('m')?.metrics).toEqual({ a: 1, b: 3, c: 4, d: 5 });
    expect(() => s.addMetrics('ghost', { a: 1 })).toThrow(/no model ghost in the store/);
  });

  it('runs round trip from start to finish', () => {
    const s = fresh();
    const id = s.startRun('train', { model: 'mlp', epochs: 2 });
    const r = s.getRun(id)!;
    expect(r).toMatchObject({ id, kind: 'train', status: 'running', args: { model: 'mlp', epochs: 2 }, result: null, error: null, modelId: null, finished: null });
    expect(Number.isNaN(Date.parse(r.started))).toBe(false);
    s.finishRun(id, 'done', { result: { testAcc: 88.5 }, modelId: 'abc' });
    expect(s.getRun(id)).toMatchObject({ status: 'done', result: { testAcc: 88.5 }, modelId: 'abc', error: null });
    expect(s.getRun(id)!.finished).not.toBeNull();
    const failed = s.startRun('predict', {});
    s.finishRun(failed, 'failed', { error: 'boom' });
    expect(s.getRun(failed)).toMatchObject({ status: 'failed', error: 'boom', result: null });
    expect(s.listRuns().map((x) => [x.id, x.status])).toEqual([[id, 'done'], [failed, 'failed']]);
    expect(failed).toBe(id + 1);
  });

  it('an unknown run status is refused by the schema', () => {
    const s = fresh();
    const id = s.startRun('train', {});
    expect(() => s.finishRun(id, 'exploded' as 'done')).toThrow(/CHECK constraint/);
  });
});
