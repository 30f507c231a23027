// Per-sample features of a softmax output, the inputs of membership-inference and privacy attacks.
import { checkLabels, rowCount } from './shape.ts';

/** Probabilities below this count as this inside a log, so log(0) never appears. */
export const P_FLOOR = 1e-12;

/** p[y]: the probability given to the true label (the "confidence" feature of SalUn / Unlearn-Sparse MIA). */
export function trueClassConfidence(probs: Float32Array, labels: Int32Array, k: number): Float64Array {
  const n = checkLabels(probs, labels, k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = probs[i * k + labels[i]];
  return out;
}

/** max_c p[c]: confidence in the predicted class, whatever the label. */
export function maxConfidence(probs: Float32Array, k: number): Float64Array {
  const n = rowCount(probs, k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, probs[i * k + c]);
    out[i] = m;
  }
  return out;
}

/**
 * Row i of the softmax at temperature T, computed from probabilities: softmax(z/T) is
 * proportional to p^(1/T), because log p = z - logsumexp(z). T = 1 returns the row as given.
 */
function tempered(probs: Float32Array, k: number, i: number, t: number, row: Float64Array): void {
  const o = i * k;
  if (t === 1) {
    for (let c = 0; c < k; c++) row[c] = probs[o + c];
    return;
  }
  let s = 0;
  for (let c = 0; c < k; c++) s += row[c] = Math.pow(probs[o + c], 1 / t);
  for (let c = 0; c < k; c++) row[c] /= s;
}

function checkTemperature(t: number): void {
  if (!(t > 0) || !Number.isFinite(t)) throw new Error(`temperature must be a positive number, got ${t}`);
}

/** One number per row of the softmax re-tempered at `temperature` (the row buffer is reused: read it, do not keep it). */
function perTemperedRow(probs: Float32Array, k: number, temperature: number, f: (row: Float64Array) => number): Float64Array {
  checkTemperature(temperature);
  const n = rowCount(probs, k);
  const out = new Float64Array(n);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    tempered(probs, k, i, temperature, row);
    out[i] = f(row);
  }
  return out;
}

/**
 * Shannon entropy -sum p log p in nats. Terms with p = 0 contribute 0 (p * log(1e-12) = 0),
 * as in Unlearn-Sparse's `entropy`. `temperature` > 1 flattens the softmax first: the
 * Unlearning Comparator's privacy attack uses T = 2.
 */
export function entropy(probs: Float32Array, k: number, temperature = 1): Float64Array {
  return perTemperedRow(probs, k, temperature, (row) => {
    let h = 0;
    for (let c = 0; c < k; c++) h -= row[c] * Math.log(Math.max(row[c], P_FLOOR));
    return h;
  });
}

/**
 * The Unlearning Comparator's "confidence": log-odds of the top class,
 * log(p_max + 1e-45) - log(1 - p_max + 1e-45) (constants from their attack code).
 * 1 - p_max is taken as the sum of the other classes, which is the same number but keeps
 * its digits when p_max rounds to 1 in float32.
 */
export function confidenceLogit(probs: Float32Array, k: number, temperature = 1): Float64Array {
  return perTemperedRow(probs, k, temperature, (row) => {
    let top = 0;
    for (let c = 1; c < k; c++) if (row[c] > row[top]) top = c;
    let rest = 0;
    for (let c = 0; c < k; c++) if (c !== top) rest += row[c];
    return Math.log(row[top] + 1e-45) - Math.log(rest + 1e-45);
  });
}
