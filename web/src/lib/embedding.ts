// The embedding view as data: points of one model's 2-D projection, fitted into a square panel.
import type { ModelDetails } from '../../../src/shared/contract.ts';
import { paddedExtent } from './layout.ts';

type Emb = ModelDetails['embedding'];

export interface Point {
  id: number;
  px: number;
  py: number;
  label: number;
  pred: number;
  forget: boolean;
}

/**
 * Scales x and y by the same factor (a projection has no preferred axis), centres the cloud in a
 * size × size panel with `pad` pixels free, and puts forget samples last so they draw on top.
 */
export function layoutPoints(e: Emb, size: number, pad = 10): Point[] {
  const [x0, x1] = paddedExtent(e.x, 0.02);
  const [y0, y1] = paddedExtent(e.y, 0.02);
  const span = Math.max(x1 - x0, y1 - y0);
  const k = (size - 2 * pad) / span;
  const ox = pad + (size - 2 * pad - k * (x1 - x0)) / 2;
  const oy = pad + (size - 2 * pad - k * (y1 - y0)) / 2;
  const pts = e.ids.map((id, i) => ({
    id,
    px: ox + k * (e.x[i] - x0),
    // Screen y grows downwards; flip so that larger y is higher up.
    py: size - (oy + k * (e.y[i] - y0)),
    label: e.label[i],
    pred: e.pred[i],
    forget: !!e.forget[i],
  }));
  return [...pts.filter((p) => !p.forget), ...pts.filter((p) => p.forget)];
}

/** Per sample id: a model's predicted class in its embedding sample. */
export function predictionsById(e: Emb): Map<number, number> {
  return new Map(e.ids.map((id, i) => [id, e.pred[i]]));
}

/** Share (percent) of forget points a model still puts in their true class. */
export function forgetRecall(e: Emb): number | null {
  let n = 0;
  let hit = 0;
  e.forget.forEach((f, i) => {
    if (!f) return;
    n++;
    if (e.pred[i] === e.label[i]) hit++;
  });
  return n ? (100 * hit) / n : null;
}
