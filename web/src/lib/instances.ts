// The Instances view as data: forget samples with both models' predictions, ordered by how differently A and B treat them.
import type { ModelDetails } from '../../../src/shared/contract.ts';

type Samples = ModelDetails['forgetSamples'];

export interface Instance {
  id: number;
  label: number;
  a: { pred: number; confidence: number; trueConfidence: number };
  b: { pred: number; confidence: number; trueConfidence: number };
  /** 0..2: 1 when the predicted classes differ, plus the gap in the probability each model gives the true label. */
  disagreement: number;
}

export type InstanceSort = 'disagreement' | 'aConfidence' | 'bConfidence' | 'label' | 'id';

export const SORT_LABELS: Record<InstanceSort, string> = {
  disagreement: 'A vs B disagreement',
  aConfidence: "A's confidence in the true label",
  bConfidence: "B's confidence in the true label",
  label: 'Class',
  id: 'Sample id',
};

/** Joins the two models' forget samples on id; samples only one model has are left out. */
export function joinInstances(a: Samples, b: Samples): Instance[] {
  const idxB = new Map(b.ids.map((id, i) => [id, i]));
  const out: Instance[] = [];
  a.ids.forEach((id, i) => {
    const j = idxB.get(id);
    if (j === undefined) return;
    const sa = { pred: a.pred[i], confidence: a.confidence[i], trueConfidence: a.trueConfidence[i] };
    const sb = { pred: b.pred[j], confidence: b.confidence[j], trueConfidence: b.trueConfidence[j] };
    out.push({ id, label: a.label[i], a: sa, b: sb, disagreement: disagreement(sa, sb) });
  });
  return out;
}

export function disagreement(a: { pred: number; trueConfidence: number }, b: { pred: number; trueConfidence: number }): number {
  return (a.pred !== b.pred ? 1 : 0) + Math.abs(a.trueConfidence - b.trueConfidence);
}

/** A stable sort: most different, least confident first; ties keep the id order. */
export function sortInstances(xs: Instance[], by: InstanceSort): Instance[] {
  const key: Record<InstanceSort, (x: Instance) => number> = {
    disagreement: (x) => -x.disagreement,
    aConfidence: (x) => x.a.trueConfidence,
    bConfidence: (x) => x.b.trueConfidence,
    label: (x) => x.label,
    id: (x) => x.id,
  };
  const k = key[by];
  return xs.map((x, i) => ({ x, i })).sort((p, q) => k(p.x) - k(q.x) || p.x.id - q.x.id || p.i - q.i).map(({ x }) => x);
}

export interface InstanceCounts {
  total: number;
  /** Samples whose predicted class differs between A and B. */
  differ: number;
  /** Samples each model classifies correctly (for a forget sample: still remembered). */
  aCorrect: number;
  bCorrect: number;
}

export function countInstances(xs: Instance[]): InstanceCounts {
  return {
    total: xs.length,
    differ: xs.filter((x) => x.a.pred !== x.b.pred).length,
    aCorrect: xs.filter((x) => x.a.pred === x.label).length,
    bCorrect: xs.filter((x) => x.b.pred === x.label).length,
  };
}
