// The stored banks (migration 11): a record survives the file being closed and opened again, the same setting's
// id is one row that a re-run replaces, the list is newest first without the per-example arrays, and a record
// whose per-example arrays disagree in length is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bankId } from '../jobs/bank-task.ts';
import type { ApiBankRecord } from '../shared/http.ts';
import { Store } from './store.ts';

const root = mkdtempSync(join(tmpdir(), 'lethe-banks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const spread = (mean: number, median: number, p90: number) => ({ mean, median, p90 });

function record(over: Partial<ApiBankRecord> = {}): ApiBankRecord {
  return {
    id: 'b1', created: '2026-02-01T10:00:00.000Z', method: 'ga', params: { lr: 0.01 }, originalId: 'o1', dataset: 'synthetic', forgetText: 'random:3:seed=1',
    forgetCount: 3, n: 4,
    unlearned: { forgetAcc: 50, retainAcc: 90, testAcc: 80, seconds: 0.5 },
    retrained: { forgetAcc: 60, retainAcc: 95, testAcc: 85, seconds: 2 },
    epsilon: { ...spread(17.1, 0.7, 50), maxEpsilon: 2, forgetScore: 0.5, score: 0.5 * (90 / 95) * (80 / 85), capped: 1 },
    klom: { forget: spread(0.2, 0.1, 0.4), retain: spread(0.05, 0.04, 0.09), test: spread(0.06, 0.05, 0.1) },
    computed: 8, stored: 0, samples: 40, classNames: ['a', 'b', 'c', 'd'], sampleImages: true,
    examples: { ids: [4, 9, 17], labels: [0, 3, 1], epsilon: [0.25, 0.7, 50], retrainedMedian: [1.5, -0.25, 2], unlearnedMedian: [1.25, 0.5, -3], klom: [0.1, 0.2, 0.3] },
    ...over,
  };
}

describe('stored banks', () => {
  it('round-trips a record through the file, and lists its summary', () => {
    const path = join(root, 'a.db');
    const s = new Store(path);
    s.banks.save(record());
    s.close();
    const t = new Store(path);
    expect(t.banks.get('b1')).toEqual(record());
    expect(t.banks.get('nope')).toBeUndefined();
    expect(t.banks.list()).toEqual([{
      id: 'b1', created: '2026-02-01T10:00:00.000Z', method: 'ga', params: { lr: 0.01 }, originalId: 'o1', dataset: 'synthetic', forgetText: 'random:3:seed=1',
      forgetCount: 3, n: 4, forgetScore: 0.5, score: 0.5 * (90 / 95) * (80 / 85), medianEpsilon: 0.7, klomForget: 0.1,
    }]);
    t.close();
  });

  it('replaces the row of the same id instead of adding one, and lists newest first', () => {
    const s = new Store(join(root, 'b.db'));
    s.banks.save(record());
    s.banks.save(record({ id: 'b2', method: 'ft', created: '2026-02-01T11:00:00.000Z' }));
    const again = record({ created: '2026-02-01T12:00:00.000Z', computed: 0, stored: 8, examples: { ...record().examples, epsilon: [0, 0, 0] } });
    s.banks.save(again);
    expect(s.db.prepare('SELECT count(*) AS n FROM banks').get()).toEqual({ n: 2 });
    expect(s.banks.get('b1')).toEqual(again);
    expect(s.banks.list().map((b) => b.id)).toEqual(['b1', 'b2']);
    s.close();
  });

  it('refuses per-example arrays of different lengths, naming the array', () => {
    const s = new Store(join(root, 'c.db'));
    expect(() => s.banks.save(record({ examples: { ...record().examples, klom: [0.1] } }))).toThrow('bank b1: examples.klom has 1 values for 3 forget examples');
    expect(s.banks.list()).toEqual([]);
    s.close();
  });

  it("keys a bank by its setting: the same setting one id, any change of original, data, forget ids, method, params or N another", () => {
    const base = { original: 'o1', data: { name: 'synthetic' }, forget: 'f1', method: 'ga', params: { lr: 0.01 }, n: 4 };
    const id = bankId(base);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(bankId({ ...base, params: { lr: 0.01 } })).toBe(id);
    const changes = [{ original: 'o2' }, { data: { name: 'synthetic', trainSize: 100 } }, { forget: 'f2' }, { method: 'ft' }, { params: { lr: 0.02 } }, { n: 5 }];
    const ids = changes.map((c) => bankId({ ...base, ...c }));
    expect(new Set([id, ...ids]).size).toBe(1 + changes.length);
  });
});
