// The stored U-LiRA evaluations (migration 12): a record survives the file being closed and opened again, the same
// id is one row that a re-run replaces, the list is newest first without the per-example arrays, and a record whose
// per-example arrays disagree with its counts is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uliraId } from '../jobs/ulira-task.ts';
import type { ApiUliraRecord } from '../shared/http.ts';
import { Store } from './store.ts';

const root = mkdtempSync(join(tmpdir(), 'lethe-ulira-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const spread = (mean: number, median: number, p90: number) => ({ mean, median, p90 });

function record(over: Partial<ApiUliraRecord> = {}): ApiUliraRecord {
  return {
    id: 'u1', created: '2026-02-01T10:00:00.000Z', method: 'ga', params: { lr: 0.01 }, originalId: 'o1', dataset: 'synthetic', shadows: 4, targets: 3, retainCount: 2,
    forget: { accuracy: 62.5, tpr: 75, tnr: 50, perExample: spread(58.3, 50, 75) },
    retain: { before: 70, after: 55, perExampleBefore: spread(70, 75, 75), perExampleAfter: spread(55, 50, 75) },
    computed: 8, stored: 0, classNames: ['a', 'b', 'c', 'd'], sampleImages: true,
    examples: { ids: [4, 9, 17], labels: [0, 3, 1], accuracy: [50, 50, 75] },
    retainExamples: { ids: [2, 5], labels: [2, 1], before: [75, 65], after: [50, 60] },
    ...over,
  };
}

describe('stored U-LiRA evaluations', () => {
  it('round-trips a record through the file, and lists its summary', () => {
    const path = join(root, 'a.db');
    const s = new Store(path);
    expect(s.schemaVersion).toBe(12);
    s.ulira.save(record());
    s.close();
    const t = new Store(path);
    expect(t.ulira.get('u1')).toEqual(record());
    expect(t.ulira.get('nope')).toBeUndefined();
    expect(t.ulira.list()).toEqual([{
      id: 'u1', created: '2026-02-01T10:00:00.000Z', method: 'ga', params: { lr: 0.01 }, originalId: 'o1', dataset: 'synthetic', shadows: 4, targets: 3,
      accuracy: 62.5, retainBefore: 70, retainAfter: 55,
    }]);
    t.close();
  });

  it('replaces the row of the same id instead of adding one, and lists newest first', () => {
    const s = new Store(join(root, 'b.db'));
    s.ulira.save(record());
    s.ulira.save(record({ id: 'u2', method: 'ft', created: '2026-02-01T11:00:00.000Z' }));
    const again = record({ created: '2026-02-01T12:00:00.000Z', computed: 0, stored: 8 });
    s.ulira.save(again);
    expect(s.db.prepare('SELECT count(*) AS n FROM ulira').get()).toEqual({ n: 2 });
    expect(s.ulira.get('u1')).toEqual(again);
    expect(s.ulira.list().map((u) => u.id)).toEqual(['u1', 'u2']);
    s.close();
  });

  it('refuses per-example arrays that disagree with the counts, naming the array', () => {
    const s = new Store(join(root, 'c.db'));
    expect(() => s.ulira.save(record({ examples: { ...record().examples, accuracy: [50] } }))).toThrow('U-LiRA u1: examples.accuracy has 1 values for 3 examples');
    expect(() => s.ulira.save(record({ retainExamples: { ...record().retainExamples, after: [1, 2, 3] } }))).toThrow('U-LiRA u1: retainExamples.after has 3 values for 2 examples');
    expect(s.ulira.list()).toEqual([]);
    s.close();
  });

  it('keys an evaluation by its setting: the same setting one id, any change another', () => {
    const base = { original: 'o1', data: { name: 'synthetic' }, targets: 't1', retain: 'r1', method: 'ga', params: { lr: 0.01 }, shadows: 16 };
    const id = uliraId(base);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(uliraId({ ...base, params: { lr: 0.01 } })).toBe(id);
    const changes = [{ original: 'o2' }, { data: { name: 'synthetic', trainSize: 100 } }, { targets: 't2' }, { retain: 'r2' }, { method: 'ft' }, { params: { lr: 0.02 } }, { shadows: 17 }];
    expect(new Set([id, ...changes.map((c) => uliraId({ ...base, ...c }))]).size).toBe(1 + changes.length);
  });
});
