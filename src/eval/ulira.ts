// U-LiRA (Hayes, Shumailov, Triantafillou, Khalifa, Papernot, "Inexact unlearning needs more careful evaluations",
// arXiv 2403.01218): the per-example likelihood-ratio membership attack over K shadow models. Pure code.
//
// Input: conf[k][i], the logit-scaled confidence (./epsilon.ts) of example i under shadow k, and member[k][i], whether
// the example was on shadow k's positive side (for the forget attack: it was in the shadow's half and unlearned; for
// the retain effect: it was trained on). Each shadow t in turn is the target model; the attacker fits, per example,
// one Gaussian to the other shadows' confidences on each side (leave-one-out: never t itself) and calls the example
// positive when log N(φ; μ_in, σ²_in) − log N(φ; μ_out, σ²_out) > 0 (a tie is a negative).
//
// The Gaussians (population variance, as LiRA's np.std), floored at VAR_FLOOR so that identical values stay finite:
// - a side with ≥ 2 other models: their mean and variance;
// - a side with 1 other model: its value as the mean, and the side's pooled within-example variance (over the
//   examples that have ≥ 2 other models on that side, each value's squared distance to its own example's mean,
//   divided by their count; VAR_FLOOR when no example has 2);
// - a side with no other model: the side's population Gaussian, the mean and variance of all its values over every
//   example (the global attack an attacker without a per-example reference falls back to).
// Everything pooled is also leave-one-out: it never reads the target shadow t.

/** The smallest variance a fitted Gaussian gets. */
export const VAR_FLOOR = 1e-6;

export interface AttackResult {
  /** Per example: the percent of the K shadows, each taken as the target model, that the attack classified correctly. */
  perExample: Float64Array;
  /** Over all (example, shadow) pairs, %: positives called positive, negatives called negative, and their mean (50 = ideal). */
  tpr: number;
  tnr: number;
  accuracy: number;
  /** llr[t][i]: the log-likelihood ratio of example i with shadow t as the target model. */
  llr: Float64Array[];
}

interface Gaussian {
  mean: number;
  variance: number;
}

const logPdf = (x: number, g: Gaussian) => -0.5 * Math.log(2 * Math.PI * g.variance) - ((x - g.mean) ** 2) / (2 * g.variance);

/** The side's fallbacks for target t: pooled within-example variance, and the population mean and variance. */
function pooled(conf: Float64Array[], member: Uint8Array[], t: number, side: 0 | 1) {
  const K = conf.length;
  const n = conf[0].length;
  let within = 0;
  let withinCount = 0;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    let c = 0;
    for (let k = 0; k < K; k++) if (k !== t && member[k][i] === side) { s += conf[k][i]; c++; }
    sum += s;
    count += c;
    if (c < 2) continue;
    const mu = s / c;
    for (let k = 0; k < K; k++) if (k !== t && member[k][i] === side) within += (conf[k][i] - mu) ** 2;
    withinCount += c;
  }
  const mean = count ? sum / count : 0;
  let total = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) if (k !== t && member[k][i] === side) total += (conf[k][i] - mean) ** 2;
  return {
    withinVariance: withinCount ? within / withinCount : VAR_FLOOR,
    population: { mean, variance: Math.max(VAR_FLOOR, count ? total / count : VAR_FLOOR) },
  };
}

/** Example i's Gaussian on one side, leaving shadow t out. */
function fit(conf: Float64Array[], member: Uint8Array[], t: number, i: number, side: 0 | 1, fallback: ReturnType<typeof pooled>): Gaussian {
  let s = 0;
  let c = 0;
  for (let k = 0; k < conf.length; k++) if (k !== t && member[k][i] === side) { s += conf[k][i]; c++; }
  if (c === 0) return fallback.population;
  const mean = s / c;
  if (c === 1) return { mean, variance: Math.max(VAR_FLOOR, fallback.withinVariance) };
  let v = 0;
  for (let k = 0; k < conf.length; k++) if (k !== t && member[k][i] === side) v += (conf[k][i] - mean) ** 2;
  return { mean, variance: Math.max(VAR_FLOOR, v / c) };
}

/** The attack with every shadow as the target model in turn (K ≥ 2 shadows, each row one value per example). */
export function uliraAttack(conf: Float64Array[], member: Uint8Array[]): AttackResult {
  const K = conf.length;
  if (K < 2 || member.length !== K) throw new Error(`U-LiRA needs at least 2 shadows and one membership row per shadow (got ${K} and ${member.length})`);
  const n = conf[0].length;
  for (let k = 0; k < K; k++) {
    if (conf[k].length !== n || member[k].length !== n) throw new Error(`shadow ${k + 1}: ${conf[k].length} confidences and ${member[k].length} memberships for ${n} examples`);
  }
  const correct = new Float64Array(n);
  const llr: Float64Array[] = [];
  let tp = 0;
  let pos = 0;
  let tn = 0;
  let neg = 0;
  for (let t = 0; t < K; t++) {
    const fin = pooled(conf, member, t, 1);
    const fout = pooled(conf, member, t, 0);
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const phi = conf[t][i];
      row[i] = logPdf(phi, fit(conf, member, t, i, 1, fin)) - logPdf(phi, fit(conf, member, t, i, 0, fout));
      const said = row[i] > 0;
      const truth = member[t][i] === 1;
      if (said === truth) correct[i]++;
      if (truth) { pos++; if (said) tp++; } else { neg++; if (!said) tn++; }
    }
    llr.push(row);
  }
  const tpr = pos ? (100 * tp) / pos : NaN;
  const tnr = neg ? (100 * tn) / neg : NaN;
  // Balanced: the mean of the two rates (one side absent, which K random halves make vanishingly rare, leaves the other).
  const accuracy = pos && neg ? (tpr + tnr) / 2 : pos ? tpr : tnr;
  return { perExample: correct.map((c) => (100 * c) / K), tpr, tnr, accuracy, llr };
}
