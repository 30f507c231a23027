// Retention: a superseded version's weights are removed, its meta.json and training manifest kept, so lineage and
// `lethe ledger verify`'s manifest checks still answer for it. Version 0 (the deployed model: an exact retrain
// starts from it) and the current version are never pruned. The version is marked pruned before its files go: a
// crash in between leaves a marked version with files to spare (removed by the next prune), never a version whose
// recorded weights are missing without a mark.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import { deploymentOf } from './records.ts';

/** What a pruned version keeps. */
export const KEPT_WHEN_PRUNED = ['meta.json', 'manifest.bin'];

export interface PruneResult {
  deployment: string;
  pruned: number[];
  kept: number[];
  /** Bytes of the files removed (a file hard-linked from a kept version frees nothing: counted apart). */
  freedBytes: number;
  sharedBytes: number;
}

export function prune(store: Store, name: string): PruneResult {
  deploymentOf(store, name);
  const versions = store.deletions.versions(name);
  const current = versions.at(-1)!.number;
  const keep = new Set([0, current]);
  const result: PruneResult = { deployment: name, pruned: [], kept: [...keep], freedBytes: 0, sharedBytes: 0 };
  for (const v of versions) {
    if (keep.has(v.number)) continue;
    const files = (() => {
      try {
        return readdirSync(v.path).filter((f) => !KEPT_WHEN_PRUNED.includes(f));
      } catch {
        return [];
      }
    })();
    if (v.pruned && !files.length) continue;
    store.deletions.markPruned(name, v.number);
    for (const f of files) {
      const path = join(v.path, f);
      const st = statSync(path);
      if (st.nlink > 1) result.sharedBytes += st.size;
      else result.freedBytes += st.size;
      rmSync(path, { recursive: true, force: true });
    }
    result.pruned.push(v.number);
  }
  return result;
}
