// The metrics of corrective unlearning (Goel, Prabhu et al., TMLR 2024; logs/visualize.py of
// drimpossible/corrective-unlearning-bench): Acc_corr, the accuracy on what the manipulation corrupted, and the
// clean accuracy beside it. Pure code over plain arrays.
import { accuracy } from './accuracy.ts';
import type { SetOutputs } from './mia.ts';

/** What a model's evidence carries on a manipulated data set (src/measure makes it). */
export type CorrectiveEvidence =
  /** Outputs on the test images whose true label is not the target, with the trigger stamped; labels are the true ones. */
  | { kind: 'poison'; triggered: SetOutputs }
  | { kind: 'confuse'; classes: [number, number] };

/** Accuracy on the test samples whose label is (or, with `inside` false, is not) one of `classes`. */
export function accuracyOnClasses(test: SetOutputs, k: number, classes: readonly number[], inside: boolean): number {
  const keep = new Set(classes);
  const rows: number[] = [];
  for (let i = 0; i < test.labels.length; i++) if (keep.has(test.labels[i]) === inside) rows.push(i);
  const p = new Float32Array(rows.length * k);
  rows.forEach((r, j) => p.set(test.probs.subarray(r * k, (r + 1) * k), j * k));
  return accuracy(p, Int32Array.from(rows, (r) => test.labels[r]), k);
}

/**
 * Acc_corr in percent. Poison: accuracy with respect to the true labels on triggered test images (those of the
 * target class left out, where the backdoor and the truth agree). Confusion: test accuracy on the two classes.
 */
export function accCorr(c: CorrectiveEvidence, test: SetOutputs, k: number): number {
  return c.kind === 'poison' ? accuracy(c.triggered.probs, c.triggered.labels, k) : accuracyOnClasses(test, k, c.classes, true);
}

/** Clean accuracy in percent: every clean test image (poison); the classes other than the two confused ones (confusion). */
export function cleanAcc(c: CorrectiveEvidence, test: SetOutputs, k: number): number {
  return c.kind === 'poison' ? accuracy(test.probs, test.labels, k) : accuracyOnClasses(test, k, c.classes, false);
}
