// The one place a comparison is persisted: its table (Markdown, CSV), its JSON, and the store's records.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.ts';
import type { DataRef } from '../data/registry.ts';
import { tableCsv, tableMarkdown, tunedRanksMarkdown } from '../eval/table.ts';
import type { Checkpoint, Meta } from '../models/checkpoint.ts';
import type { Comparison } from '../shared/contract.ts';
import type { Store } from '../store/store.ts';
import { recordModel, recordOriginal } from './record.ts';

/** A checkpoint a task wrote. */
export interface SavedModel {
  dir: string;
  meta: Meta;
}

/** The checkpoints behind a comparison, when Lethe made them (an imported comparison has none). */
export interface ComparisonModels {
  original: Checkpoint;
  data: DataRef;
  dataset: Dataset;
  saved: SavedModel[];
  /** Other originals the comparison ran exact methods on (`--exact`). */
  exact?: Checkpoint[];
}

export function persistComparison(o: { comparison: Comparison; out: string; store?: Store; models?: ComparisonModels }) {
  const c = o.comparison;
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'table.md'), tableMarkdown(c) + (c.tuning ? `\n\n${tunedRanksMarkdown(c)}` : '') + '\n');
  writeFileSync(join(o.out, 'table.csv'), tableCsv(c));
  writeFileSync(join(o.out, 'comparison.json'), JSON.stringify({ ...c, models: c.models.map(({ details: _d, ...m }) => m) }, null, 2));
  if (!o.store) return;
  if (o.models) {
    const { original, data, dataset, saved } = o.models;
    for (const ck of [original, ...(o.models.exact ?? [])]) recordOriginal(o.store, ck.dir, ck.meta, data, dataset);
    const metrics = new Map(c.models.map((m) => [m.modelId, m.metrics as Record<string, number>]));
    for (const s of saved) recordModel(o.store, s.dir, { ...s.meta, metrics: { ...s.meta.metrics, ...metrics.get(s.meta.id) } });
  }
  o.store.saveComparison(c);
}
