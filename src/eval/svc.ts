// RBF-kernel C-SVC on one feature, solved by SMO with second-order working-set selection
// (Fan, Chen & Lin 2005, JMLR 6: the LIBSVM solver that scikit-learn's SVC wraps), so the
// MIA classifier is the reference's SVC(C=3, gamma='auto', kernel='rbf') in pure TypeScript.

export interface SvcOptions {
  /** Box constraint; the MIA reference uses 3. */
  C?: number;
  /** RBF width in exp(-gamma (x - x')^2); sklearn's gamma='auto' is 1/n_features = 1 here. */
  gamma?: number;
  /** Stopping tolerance on the KKT gap, LIBSVM's and sklearn's default 1e-3. */
  tol?: number;
  /** Iteration cap; LIBSVM's default is max(1e7, 100 * l). */
  maxIter?: number;
  /** Memory for cached kernel columns. */
  cacheBytes?: number;
}

/** A fitted model in scikit-learn's convention: decision = sum dualCoef * K(sv, x) + intercept, class 1 when >= 0. */
export interface Svc1d {
  supportVectors: Float64Array;
  dualCoef: Float64Array;
  intercept: number;
  gamma: number;
  iterations: number;
  converged: boolean;
}

/** Below this, LIBSVM replaces a non-positive curvature (two equal points of opposite class). */
const TAU = 1e-12;

/**
 * Fits the SVC. Points with the same value and label are merged into one variable whose box is
 * C times their count: the dual depends on such points only through the sum of their alphas, so
 * the optimum (hence every prediction) is unchanged, and softmax features repeat often.
 */
export function fitSvc1d(x: ArrayLike<number>, labels: ArrayLike<number>, opts: SvcOptions = {}): Svc1d {
  const { C = 3, gamma = 1, tol = 1e-3, cacheBytes = 64 * 2 ** 20 } = opts;
  if (x.length !== labels.length) throw new Error(`${x.length} points but ${labels.length} labels`);
  if (!(C > 0) || !(gamma > 0) || !(tol > 0)) throw new Error('C, gamma and tol must be positive');
  // LIBSVM (as sklearn calls it) puts class 0 first and gives it y = +1; class 1 gets y = -1.
  const groups = new Map<string, { v: number; y: number; count: number }>();
  let seen0 = false;
  let seen1 = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const lab = labels[i];
    if (!Number.isFinite(v)) throw new Error(`feature ${v} at ${i} is not a finite number`);
    if (lab !== 0 && lab !== 1) throw new Error(`label ${lab} at ${i} is not 0 or 1`);
    if (lab === 0) seen0 = true;
    else seen1 = true;
    const key = `${lab}:${v}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { v, y: lab === 0 ? 1 : -1, count: 1 });
  }
  if (!seen0 || !seen1) throw new Error('the SVC needs samples of both classes');
  const vars = [...groups.values()].sort((a, b) => b.y - a.y || a.v - b.v);
  const n = vars.length;
  const xs = Float64Array.from(vars, (g) => g.v);
  const y = Int8Array.from(vars, (g) => g.y);
  const box = Float64Array.from(vars, (g) => C * g.count);
  const alpha = new Float64Array(n);
  const grad = new Float64Array(n).fill(-1); // gradient of 1/2 a'Qa - e'a at a = 0

  const cap = Math.max(2, Math.floor(cacheBytes / (8 * n)));
  const cache = new Map<number, Float64Array>();
  const column = (t: number): Float64Array => {
    let col = cache.get(t);
    if (col) {
      cache.delete(t); // re-insert: Map order is then least-recently-used first
    } else {
      col = new Float64Array(n);
      const xt = xs[t];
      for (let s = 0; s < n; s++) col[s] = Math.exp(-gamma * (xs[s] - xt) ** 2);
      if (cache.size >= cap) cache.delete(cache.keys().next().value as number);
    }
    cache.set(t, col);
    return col;
  };

  const maxIter = opts.maxIter ?? Math.max(10_000_000, 100 * n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    // i: the most violating variable that may move "up" (I_up), scored by -y G.
    let gMax = -Infinity;
    let i = -1;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1 ? alpha[t] < box[t] : alpha[t] > 0) {
        if (-y[t] * grad[t] >= gMax) { gMax = -y[t] * grad[t]; i = t; }
      }
    }
    if (i < 0) { converged = true; break; }
    const ki = column(i);
    // j: among I_low, the one whose pair with i lowers the objective most (second-order choice).
    let gMax2 = -Infinity;
    let j = -1;
    let best = Infinity;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1 ? alpha[t] > 0 : alpha[t] < box[t]) {
        const v = y[t] * grad[t];
        if (v >= gMax2) gMax2 = v;
        const b = gMax + v;
        if (b > 0) {
          const curv = 2 - 2 * ki[t];
          const obj = (-b * b) / (curv > 0 ? curv : TAU);
          if (obj <= best) { best = obj; j = t; }
        }
      }
    }
    if (gMax + gMax2 < tol || j < 0) { converged = true; break; }
    iterations++;
    // Move along a_i += y_i s, a_j -= y_j s (keeps y'a = 0); the objective is a parabola in s.
    const kj = column(j);
    const curv = 2 - 2 * ki[j];
    const step = (gMax + y[j] * grad[j]) / (curv > 0 ? curv : TAU);
    const roomI = y[i] === 1 ? box[i] - alpha[i] : alpha[i];
    const roomJ = y[j] === 1 ? alpha[j] : box[j] - alpha[j];
    const s = Math.min(step, roomI, roomJ);
    alpha[i] = s === roomI ? (y[i] === 1 ? box[i] : 0) : alpha[i] + y[i] * s;
    alpha[j] = s === roomJ ? (y[j] === 1 ? 0 : box[j]) : alpha[j] - y[j] * s;
    for (let t = 0; t < n; t++) grad[t] += y[t] * s * (ki[t] - kj[t]);
  }

  // rho as LIBSVM computes it: the mean of y G over free variables, else the middle of the feasible interval.
  let ub = Infinity;
  let lb = -Infinity;
  let freeSum = 0;
  let free = 0;
  for (let t = 0; t < n; t++) {
    const yg = y[t] * grad[t];
    const atUpper = alpha[t] >= box[t];
    const atLower = alpha[t] <= 0;
    if (atUpper || atLower) {
      if ((atUpper && y[t] === -1) || (atLower && y[t] === 1)) ub = Math.min(ub, yg);
      else lb = Math.max(lb, yg);
    } else {
      freeSum += yg;
      free++;
    }
  }
  const rho = free > 0 ? freeSum / free : (ub + lb) / 2;

  const sv: number[] = [];
  const coef: number[] = [];
  for (let t = 0; t < n; t++) {
    if (alpha[t] > 0) { sv.push(xs[t]); coef.push(-y[t] * alpha[t]); }
  }
  return { supportVectors: Float64Array.from(sv), dualCoef: Float64Array.from(coef), intercept: rho, gamma, iterations, converged };
}

/** scikit-learn's decision_function: positive means class 1. */
export function svcDecision(model: Svc1d, v: number): number {
  const { supportVectors: sv, dualCoef: c, gamma } = model;
  let f = model.intercept;
  for (let s = 0; s < sv.length; s++) f += c[s] * Math.exp(-gamma * (sv[s] - v) ** 2);
  return f;
}

/** Predicted class (0 or 1) of each value; an exact tie goes to class 1, as LIBSVM's vote does. */
export function svcPredict(model: Svc1d, values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = svcDecision(model, values[i]) >= 0 ? 1 : 0;
  return out;
}
