// `lethe tune`'s tables (migration 9): trial measurements by content hash, and finished tunings. SQL only; what a
// trial is and how the search runs is src/tune/.
import type Database from 'better-sqlite3';
import type { ApiTuning, ApiTuningSummary, TrialValues } from '../shared/http.ts';

const now = () => new Date().toISOString();

export function tuningSummary(t: ApiTuning): ApiTuningSummary {
  return {
    id: t.id, created: t.created, originalId: t.originalId, dataset: t.dataset, forgetText: t.forgetText, forgetCount: t.forgetCount, floor: t.floor,
    methods: t.methods.map((m) => ({ method: m.method, chosen: m.configs[m.chosen].params, defaultScore: m.configs[0].mean, tunedScore: m.configs[m.chosen].mean })),
  };
}

export class TuningTables {
  constructor(readonly db: Database.Database) {}

  trial(key: string): TrialValues | undefined {
    const r = this.db.prepare('SELECT result FROM tuning_trials WHERE key = ?').get(key) as { result: string } | undefined;
    return r && JSON.parse(r.result);
  }

  /** A finished trial; a second save of the same key (two processes racing) keeps the first. */
  saveTrial(key: string, method: string, values: TrialValues) {
    this.db.prepare('INSERT OR IGNORE INTO tuning_trials (key, method, result, created) VALUES (?, ?, ?, ?)').run(key, method, JSON.stringify(values), now());
  }

  save(t: ApiTuning) {
    this.db.prepare('INSERT INTO tunings (id, original_id, forget, result, created) VALUES (?, ?, ?, ?, ?)').run(t.id, t.originalId, t.forgetText, JSON.stringify(t), t.created);
  }

  get(id: string): ApiTuning | undefined {
    const r = this.db.prepare('SELECT result FROM tunings WHERE id = ?').get(id) as { result: string } | undefined;
    return r && JSON.parse(r.result);
  }

  /** The newest tuning of a setting: a model and a forget spec's text. */
  latest(originalId: string, forgetText: string): ApiTuning | undefined {
    const r = this.db.prepare('SELECT result FROM tunings WHERE original_id = ? AND forget = ? ORDER BY created DESC LIMIT 1').get(originalId, forgetText) as { result: string } | undefined;
    return r && JSON.parse(r.result);
  }

  list(): ApiTuningSummary[] {
    return (this.db.prepare('SELECT result FROM tunings ORDER BY created DESC').all() as { result: string }[]).map((r) => tuningSummary(JSON.parse(r.result)));
  }
}
