// NoMUS (Choi & Na, "Towards Machine Unlearning Benchmarks", 2023; the MUFAC/MUCAC code's `simple_mia` and
// final score): ½·TA + ½·(1 − 2·|MIA − ½|), where MIA is the mean accuracy of a logistic regression that
// tells forget samples from unseen (test) samples by their cross-entropy loss, over 10 stratified
// shuffle splits (90% fit, 10% scored). 1 = accurate and indistinguishable; an attack at chance scores ½·TA + ½.
import { rng, shuffle, subSeed } from '../shared/random.ts';
import { P_FLOOR, trueClassConfidence } from './features.ts';
import type { SetOutputs } from './mia.ts';

/** Per-sample cross-entropy, −log p[y]. */
export function sampleLosses(s: SetOutputs, k: number): Float64Array {
  return trueClassConfidence(s.probs, s.labels, k).map((p) => -Math.log(Math.max(p, P_FLOOR)));
}

/**
 * L2-regularised logistic regression on one feature, as scikit-learn's default LogisticRegression (C = 1,
 * intercept not penalised): minimises ½w² + C·Σ log(1 + exp(−yᵢ(w·xᵢ + b))), yᵢ ∈ {−1, 1}, by Newton's method.
 */
export function fitLogistic1d(x: ArrayLike<number>, y: ArrayLike<number>, C = 1): { w: number; b: number } {
  let w = 0;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    // Gradient and Hessian of the objective in (w, b).
    let gw = w, gb = 0, hww = 1, hwb = 0, hbb = 1e-12;
    for (let i = 0; i < x.length; i++) {
      const t = y[i] === 1 ? 1 : -1;
      const z = t * (w * x[i] + b);
      const s = 1 / (1 + Math.exp(z)); // σ(−z)
      gw -= C * t * x[i] * s;
      gb -= C * t * s;
      const h = C * s * (1 - s);
      hww += h * x[i] * x[i];
      hwb += h * x[i];
      hbb += h;
    }
    const det = hww * hbb - hwb * hwb;
    const dw = (hbb * gw - hwb * gb) / det;
    const db = (hww * gb - hwb * gw) / det;
    w -= dw;
    b -= db;
    if (Math.abs(dw) + Math.abs(db) < 1e-10) break;
  }
  return { w, b };
}

/** Mean test accuracy (a fraction) of the loss attack over `splits` stratified 90/10 splits; the larger set is subsampled to the smaller's size. */
export function lossAttackAccuracy(forget: ArrayLike<number>, unseen: ArrayLike<number>, seed: number, splits = 10): number {
  const m = Math.min(forget.length, unseen.length);
  if (m < 2) return NaN;
  const pick = (v: ArrayLike<number>, stream: string) => shuffle(Array.from(v), rng(subSeed(seed, stream))).slice(0, m);
  const classes = [pick(unseen, 'nomus-unseen'), pick(forget, 'nomus-forget')];
  const nTest = Math.max(1, Math.round(0.1 * m));
  let sum = 0;
  for (let s = 0; s < splits; s++) {
    const random = rng(subSeed(seed, `nomus-split-${s}`));
    const fitX: number[] = [], fitY: number[] = [], testX: number[] = [], testY: number[] = [];
    classes.forEach((values, label) => {
      shuffle([...values], random).forEach((v, i) => {
        (i < nTest ? testX : fitX).push(v);
        (i < nTest ? testY : fitY).push(label);
      });
    });
    const { w, b } = fitLogistic1d(fitX, fitY);
    let right = 0;
    for (let i = 0; i < testX.length; i++) if ((w * testX[i] + b > 0 ? 1 : 0) === testY[i]) right++;
    sum += right / testX.length;
  }
  return sum / splits;
}

/** NoMUS from test accuracy (percent) and the loss attack's accuracy (a fraction); λ weighs utility against forgetting. */
export function nomus(testAccPercent: number, miaAccuracy: number, lambda = 0.5): number {
  return lambda * (testAccPercent / 100) + (1 - lambda) * (1 - 2 * Math.abs(miaAccuracy - 0.5));
}
