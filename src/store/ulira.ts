// Stored U-LiRA evaluations (migration 12): one row per setting, a re-run replaces it. SQL only; the shadows'
// outputs are bank members (./banks.ts), src/jobs/ulira-task.ts says what an evaluation is.
import type Database from 'better-sqlite3';
import type { ApiUliraRecord, ApiUliraSummary } from '../shared/http.ts';

type Summary = Omit<ApiUliraRecord, 'examples' | 'retainExamples'>;

export function uliraSummary(u: Summary): ApiUliraSummary {
  return {
    id: u.id, created: u.created, method: u.method, params: u.params, originalId: u.originalId, dataset: u.dataset, shadows: u.shadows, targets: u.targets,
    accuracy: u.forget.accuracy, retainBefore: u.retain.before, retainAfter: u.retain.after,
  };
}

export class UliraTables {
  constructor(readonly db: Database.Database) {}

  /** A finished evaluation; the row of the same setting (its id) is replaced, so a re-run never duplicates. */
  save(u: ApiUliraRecord) {
    const { examples, retainExamples, ...summary } = u;
    const check = (what: string, arrays: Record<string, unknown[]>, n: number) => {
      for (const [k, v] of Object.entries(arrays)) {
        if (v.length !== n) throw new Error(`U-LiRA ${u.id}: ${what}.${k} has ${v.length} values for ${n} examples`);
      }
    };
    check('examples', examples, u.targets);
    check('retainExamples', retainExamples, u.retainCount);
    this.db.prepare('INSERT OR REPLACE INTO ulira (id, original_id, method, shadows, summary, examples, created) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      u.id, u.originalId, u.method, u.shadows, JSON.stringify(summary), JSON.stringify({ examples, retainExamples }), u.created,
    );
  }

  get(id: string): ApiUliraRecord | undefined {
    const r = this.db.prepare('SELECT summary, examples FROM ulira WHERE id = ?').get(id) as { summary: string; examples: string } | undefined;
    return r && { ...JSON.parse(r.summary), ...JSON.parse(r.examples) };
  }

  /** Every stored evaluation, newest first, without the per-example arrays. */
  list(): ApiUliraSummary[] {
    return (this.db.prepare('SELECT summary FROM ulira ORDER BY created DESC, id').all() as { summary: string }[]).map((r) => uliraSummary(JSON.parse(r.summary)));
  }
}
