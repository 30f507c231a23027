// Accuracy metrics in PERCENT (0..100), as SalUn / Unlearn-Sparse report them (UA = 100 - forget accuracy).
import { checkLabels, rowCount } from './shape.ts';

/** Argmax of each row; a tie goes to the lowest class index (as torch.argmax and numpy.argmax do). */
export function predictions(probs: Float32Array, k: number): Int32Array {
  const n = rowCount(probs, k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[o + c] > probs[o + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Percent of samples whose argmax is the label; NaN for an empty set (no number is better than a fake 0). */
export function accuracy(probs: Float32Array, labels: Int32Array, k: number): number {
  const n = checkLabels(probs, labels, k);
  if (n === 0) return NaN;
  const pred = predictions(probs, k);
  let correct = 0;
  for (let i = 0; i < n; i++) if (pred[i] === labels[i]) correct++;
  return (100 * correct) / n;
}

/** Percent correct within each true class; NaN for a class with no samples. */
export function perClassAccuracy(probs: Float32Array, labels: Int32Array, k: number): Float64Array {
  const cm = confusionMatrix(probs, labels, k);
  const out = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    let total = 0;
    for (let p = 0; p < k; p++) total += cm[t * k + p];
    out[t] = total === 0 ? NaN : (100 * cm[t * k + t]) / total;
  }
  return out;
}

/** Counts, k*k row-major: entry [true * k + pred]. Rows sum to the class sizes. */
export function confusionMatrix(probs: Float32Array, labels: Int32Array, k: number): Int32Array {
  const n = checkLabels(probs, labels, k);
  const pred = predictions(probs, k);
  const cm = new Int32Array(k * k);
  for (let i = 0; i < n; i++) cm[labels[i] * k + pred[i]]++;
  return cm;
}
