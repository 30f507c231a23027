// Distances between two models' softmax outputs on the same samples (natural log, so JS <= ln 2).
import { P_FLOOR } from './features.ts';
import { rowCount } from './shape.ts';

function sameShape(p: Float32Array, q: Float32Array, k: number): number {
  const n = rowCount(p, k);
  if (q.length !== p.length) throw new Error(`probability arrays differ in length: ${p.length} and ${q.length}`);
  return n;
}

/** KL(p || q) of one row; a zero in p contributes 0, a zero in q counts as 1e-12 (so the result stays finite). */
function klRow(p: Float32Array, q: Float32Array | Float64Array, po: number, qo: number, k: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) {
    const a = p[po + c];
    if (a > 0) s += a * (Math.log(a) - Math.log(Math.max(q[qo + c], P_FLOOR)));
  }
  return s;
}

/** Mean over samples of KL(pRef || pModel): the reference's outputs are the "true" distribution. */
export function meanKL(pRef: Float32Array, pModel: Float32Array, k: number): number {
  const n = sameShape(pRef, pModel, k);
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += klRow(pRef, pModel, i * k, i * k, k);
  return s / n;
}

/** Mean over samples of the Jensen–Shannon divergence, 1/2 KL(p || m) + 1/2 KL(q || m) with m = (p + q) / 2. */
export function meanJS(p: Float32Array, q: Float32Array, k: number): number {
  const n = sameShape(p, q, k);
  if (n === 0) return NaN;
  const mid = new Float64Array(k);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    for (let c = 0; c < k; c++) mid[c] = (p[o + c] + q[o + c]) / 2;
    s += (klRow(p, mid, o, 0, k) + klRow(q, mid, o, 0, k)) / 2;
  }
  return s / n;
}
