// RBF-kernel C-SVC on one feature, solved by SMO with second-order working-set selection and shrinking
// (Fan, Chen & Lin 2005, JMLR 6: the LIBSVM solver that scikit-learn's SVC wraps), so the
// MIA classifier is the reference's SVC(C=3, gamma='auto', kernel='rbf') in pure TypeScript.
//
// One feature makes it fast at the reference's sizes (10,000 members and 10,000 non-members): the RBF kernel
// on a bounded interval has an exact low-rank form (below), so gradients are rebuilt, a warm start is set up
// and predictions are made in O(n p) with p about 20-35, instead of O(n x support vectors).

export interface SvcOptions {
  /** Box constraint; the MIA reference uses 3. */
  C?: number;
  /** RBF width in exp(-gamma (x - x')^2); sklearn's gamma='auto' is 1/n_features = 1 here. */
  gamma?: number;
  /** Stopping tolerance on the KKT gap, LIBSVM's and sklearn's default 1e-3. */
  tol?: number;
  /** Iteration cap; LIBSVM's default is max(1e7, 100 * l). */
  maxIter?: number;
  /** Start large problems from a subsample's solution (default); false starts from zero, as LIBSVM does. */
  warmStart?: boolean;
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
/** Iterations between shrinking passes (LIBSVM: 1000; sooner here, as an iteration is cheap and n is large). */
const SHRINK_EVERY = 100;
/** Problems with more variables than this start from the solution of a subsample (see `warmStart`). */
const WARM_START_ABOVE = 3000;

/**
 * The RBF kernel's exact low-rank form on values in [lo, hi]: with u = x - c for the middle c,
 * K(a, b) = e^{-g (a-b)^2} = e^{-g u_a^2} e^{-g u_b^2} sum_k (2 g u_a u_b)^k / k!, so K = F F' with row
 * F(x)_k = e^{-g u^2} u^k sqrt((2g)^k / k!). The series is cut where its terms fall below 1e-17 (of a sum
 * that is at least 1); undefined where the range is so wide (4 g r^2 > 13.8, r the half-width) that cancellation
 * between terms of opposite sign could cost more than 1e-10 relative, and the kernel must be summed directly.
 */
export function lowRankRbf(lo: number, hi: number, gamma: number) {
  const c = (lo + hi) / 2;
  const r2 = ((hi - lo) / 2) ** 2;
  if (!(4 * gamma * r2 <= 13.8)) return undefined;
  let p = 1;
  for (let term = 1; term > 1e-17; p++) term *= (2 * gamma * r2) / p;
  const scale = Float64Array.from({ length: p }, (_, k) => Math.sqrt((2 * gamma) / (k + 1)));
  /** Writes F(x) into out[at, at + p). */
  const row = (x: number, out: Float64Array, at: number) => {
    const u = x - c;
    let v = Math.exp(-gamma * u * u);
    for (let k = 0; k < p; k++) {
      out[at + k] = v;
      v *= u * scale[k];
    }
  };
  return { p, row };
}
type LowRank = NonNullable<ReturnType<typeof lowRankRbf>>;

function rangeOf(...sets: ArrayLike<number>[]) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const xs of sets) for (let i = 0; i < xs.length; i++) { lo = Math.min(lo, xs[i]); hi = Math.max(hi, xs[i]); }
  return { lo, hi };
}

/** The dual problem: min 1/2 a'Qa - e'a, 0 <= a <= box, y'a = 0, Q_st = y_s y_t K(x_s, x_t). */
interface Dual {
  xs: Float64Array;
  y: Int8Array;
  box: Float64Array;
  gamma: number;
  tol: number;
  maxIter: number;
  /** K = F F' for these xs, where the range allows it. */
  F?: { p: number; rows: Float64Array };
}

function lowRankRows(xs: Float64Array, gamma: number): Dual['F'] {
  const { lo, hi } = rangeOf(xs);
  const lr = lowRankRbf(lo, hi, gamma);
  if (!lr) return undefined;
  const rows = new Float64Array(xs.length * lr.p);
  for (let t = 0; t < xs.length; t++) lr.row(xs[t], rows, t * lr.p);
  return { p: lr.p, rows };
}

/** Sets grad[t] = y_t sum_s y_s a_s K(x_s, x_t) - 1 for each t of `which`, through F where there is one. */
function rebuildGradient(d: Dual, alpha: Float64Array, grad: Float64Array, which: ArrayLike<number>) {
  const { xs, y, gamma, F } = d;
  const n = xs.length;
  if (!F) {
    for (let k = 0; k < which.length; k++) {
      const t = which[k];
      let f = 0;
      for (let s = 0; s < n; s++) if (alpha[s] > 0) f += y[s] * alpha[s] * Math.exp(-gamma * (xs[s] - xs[t]) ** 2);
      grad[t] = y[t] * f - 1;
    }
    return;
  }
  const { p, rows } = F;
  const w = new Float64Array(p);
  for (let s = 0; s < n; s++) {
    if (alpha[s] === 0) continue;
    const a = y[s] * alpha[s];
    for (let k = 0; k < p; k++) w[k] += a * rows[s * p + k];
  }
  for (let m = 0; m < which.length; m++) {
    const t = which[m];
    let f = 0;
    for (let k = 0; k < p; k++) f += w[k] * rows[t * p + k];
    grad[t] = y[t] * f - 1;
  }
}

/**
 * SMO from a feasible start (alpha with its gradient). Shrinking as LIBSVM does it: a variable at a bound whose
 * gradient says it cannot join a violating pair leaves the active set (order[0, size)), so an iteration costs the
 * active set's size, not n; once the active set is optimal, the others' gradients are rebuilt and the whole
 * problem is checked again, so the answer meets the same KKT conditions on every variable, to `tol`.
 */
function solveDual(d: Dual, alpha: Float64Array, grad: Float64Array) {
  const { xs, y, box, gamma, tol } = d;
  const n = xs.length;
  const K = (a: number, b: number) => Math.exp(-gamma * (a - b) ** 2);
  const order = Int32Array.from({ length: n }, (_, k) => k);
  let size = n;
  const inUp = (t: number) => (y[t] === 1 ? alpha[t] < box[t] : alpha[t] > 0);
  const inLow = (t: number) => (y[t] === 1 ? alpha[t] > 0 : alpha[t] < box[t]);
  const unshrink = () => {
    if (size < n) rebuildGradient(d, alpha, grad, order.subarray(size));
    size = n;
  };
  let unshrunkOnce = false;
  const shrink = () => {
    let g1 = -Infinity; // max -yG over I_up
    let g2 = -Infinity; // max yG over I_low
    for (let k = 0; k < size; k++) {
      const t = order[k];
      if (inUp(t)) g1 = Math.max(g1, -y[t] * grad[t]);
      if (inLow(t)) g2 = Math.max(g2, y[t] * grad[t]);
    }
    if (!unshrunkOnce && g1 + g2 <= 10 * tol) {
      unshrunkOnce = true;
      unshrink();
    }
    // A variable at a bound is in one of I_up, I_low; it leaves when no pair with it can violate the conditions.
    const out = (t: number) => {
      const up = inUp(t);
      const low = inLow(t);
      if (up && low) return false;
      return up ? g2 - y[t] * grad[t] < 0 : g1 + y[t] * grad[t] < 0;
    };
    for (let k = 0; k < size; k++) {
      if (!out(order[k])) continue;
      size--;
      while (size > k && out(order[size])) size--;
      if (size > k) [order[k], order[size]] = [order[size], order[k]];
    }
  };

  const ki = new Float64Array(n); // K(x_i, x_order[k]) for the active k
  /** The working pair on the active set (LIBSVM's second-order choice), or undefined when it is optimal. */
  const select = (): [number, number, number] | undefined => {
    // i: the most violating variable that may move "up" (I_up), scored by -y G.
    let gMax = -Infinity;
    let i = -1;
    for (let k = 0; k < size; k++) {
      const t = order[k];
      if (inUp(t) && -y[t] * grad[t] >= gMax) { gMax = -y[t] * grad[t]; i = t; }
    }
    if (i < 0) return undefined;
    // j: among I_low, the one whose pair with i lowers the objective most.
    let gMax2 = -Infinity;
    let j = -1;
    let best = Infinity;
    const xi = xs[i];
    for (let k = 0; k < size; k++) {
      const t = order[k];
      const kit = K(xi, xs[t]);
      ki[k] = kit;
      if (!inLow(t)) continue;
      const v = y[t] * grad[t];
      if (v >= gMax2) gMax2 = v;
      const b = gMax + v;
      if (b > 0) {
        const curv = 2 - 2 * kit;
        const obj = (-b * b) / (curv > 0 ? curv : TAU);
        if (obj <= best) { best = obj; j = t; }
      }
    }
    if (gMax + gMax2 < tol || j < 0) return undefined;
    return [i, j, gMax];
  };

  const every = Math.min(n, SHRINK_EVERY);
  let counter = every;
  let iterations = 0;
  let converged = false;
  while (iterations < d.maxIter) {
    if (--counter === 0) {
      counter = every;
      shrink();
    }
    let pair = select();
    if (!pair) {
      if (size === n) { converged = true; break; }
      unshrink();
      pair = select();
      if (!pair) { converged = true; break; }
      counter = 1; // shrink again at once
    }
    const [i, j, gMax] = pair;
    iterations++;
    // Move along a_i += y_i s, a_j -= y_j s (keeps y'a = 0); the objective is a parabola in s.
    const curv = 2 - 2 * K(xs[i], xs[j]);
    const step = (gMax + y[j] * grad[j]) / (curv > 0 ? curv : TAU);
    const roomI = y[i] === 1 ? box[i] - alpha[i] : alpha[i];
    const roomJ = y[j] === 1 ? alpha[j] : box[j] - alpha[j];
    const s = Math.min(step, roomI, roomJ);
    alpha[i] = s === roomI ? (y[i] === 1 ? box[i] : 0) : alpha[i] + y[i] * s;
    alpha[j] = s === roomJ ? (y[j] === 1 ? 0 : box[j]) : alpha[j] - y[j] * s;
    const xj = xs[j];
    for (let k = 0; k < size; k++) {
      const t = order[k];
      grad[t] += y[t] * s * (ki[k] - K(xj, xs[t]));
    }
  }
  if (!converged) unshrink();
  return { iterations, converged };
}

/** rho as LIBSVM computes it: the mean of y G over free variables, else the middle of the feasible interval. */
function rhoOf(d: Dual, alpha: Float64Array, grad: Float64Array) {
  const { y, box } = d;
  let ub = Infinity;
  let lb = -Infinity;
  let freeSum = 0;
  let free = 0;
  for (let t = 0; t < y.length; t++) {
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
  return free > 0 ? freeSum / free : (ub + lb) / 2;
}

const zeroStart = (n: number) => ({ alpha: new Float64Array(n), grad: new Float64Array(n).fill(-1) });

/**
 * A feasible start near the optimum, so SMO need not raise thousands of bounded alphas one pair at a time: solve
 * every k-th variable of each class (boxes scaled so each class keeps its total weight), take that decision
 * function f, and set each alpha as the optimality conditions would for f shifted by the bias that makes y'a = 0
 * (the box where y f < 1, else 0). Only the iteration count depends on the start; the solution meets the same
 * conditions. (On real MIA features the optimum has thousands of points within 1e-2 of the margin, so SMO still
 * moves a few thousand pairs from here, against about half the support vectors from zero.)
 */
function warmStart(d: Dual) {
  const { xs, y, box } = d;
  const n = xs.length;
  const stride = Math.ceil(n / (WARM_START_ABOVE / 2));
  const pick: number[] = [];
  for (let t = 0; t < n; t += stride) pick.push(t);
  const weight = (set: ArrayLike<number>, cls: number) => { let w = 0; for (let k = 0; k < set.length; k++) if (y[set[k]] === cls) w += box[set[k]]; return w; };
  const all = Int32Array.from({ length: n }, (_, k) => k);
  const scale = { [1]: weight(all, 1) / weight(pick, 1), [-1]: weight(all, -1) / weight(pick, -1) } as Record<number, number>;
  if (!Number.isFinite(scale[1]) || !Number.isFinite(scale[-1])) return zeroStart(n);
  const sub: Dual = { ...d, xs: Float64Array.from(pick, (t) => xs[t]), y: Int8Array.from(pick, (t) => y[t]), box: Float64Array.from(pick, (t) => box[t] * scale[y[t]]), F: undefined };
  sub.F = lowRankRows(sub.xs, d.gamma);
  const s0 = zeroStart(pick.length);
  solveDual(sub, s0.alpha, s0.grad);
  // g_t + 1 = y_t f0(x_t) for the full set, through F, with f0 = sum y_s a_s K(x_s, .) over the subsample.
  const subAlphaFull = new Float64Array(n);
  pick.forEach((t, k) => (subAlphaFull[t] = s0.alpha[k]));
  const g = new Float64Array(n);
  rebuildGradient(d, subAlphaFull, g, all);
  // alpha_t = box_t where y_t (f0_t - b) < 1: a variable of y = +1 turns on as b rises past f0 - 1, one of y = -1
  // turns off as b rises past f0 + 1, so y'a grows with b. Take the b where it crosses zero (the variable there
  // fractional): the bias that balances this f on the full set, rather than the subsample's own.
  const bp = Float64Array.from(g, (gt, t) => y[t] * (gt + 1) - y[t]);
  const events = [...all].sort((a, b) => bp[a] - bp[b]);
  const alpha = Float64Array.from(y, (yt, t) => (yt === 1 ? 0 : box[t]));
  let sum = 0;
  for (let t = 0; t < n; t++) sum -= y[t] === -1 ? box[t] : 0;
  for (const t of events) {
    if (sum + box[t] >= 0) {
      alpha[t] = y[t] === 1 ? -sum : sum + box[t];
      break;
    }
    alpha[t] = y[t] === 1 ? box[t] : 0;
    sum += box[t];
  }
  const grad = new Float64Array(n);
  rebuildGradient(d, alpha, grad, all);
  return { alpha, grad };
}

/**
 * Fits the SVC. Points with the same value and label are merged into one variable whose box is
 * C times their count: the dual depends on such points only through the sum of their alphas, so
 * the optimum (hence every prediction) is unchanged, and softmax features repeat often.
 */
export function fitSvc1d(x: ArrayLike<number>, labels: ArrayLike<number>, opts: SvcOptions = {}): Svc1d {
  const { C = 3, gamma = 1, tol = 1e-3 } = opts;
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
  const d: Dual = { xs, y, box, gamma, tol, maxIter: opts.maxIter ?? Math.max(10_000_000, 100 * n) };
  d.F = lowRankRows(xs, gamma);
  const start = n > WARM_START_ABOVE && d.F && opts.warmStart !== false ? warmStart(d) : zeroStart(n);
  const { alpha, grad } = start;
  const { iterations, converged } = solveDual(d, alpha, grad);
  const rho = rhoOf(d, alpha, grad);
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

/**
 * Predicted class (0 or 1) of each value; an exact tie goes to class 1, as LIBSVM's vote does. Many values
 * against many support vectors go through the kernel's low-rank form (O(p) a value); the decision then differs
 * from the direct sum by about 1e-13, which decides only values that sit on the boundary to that precision.
 */
export function svcPredict(model: Svc1d, values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  const { supportVectors: sv, dualCoef: c, gamma } = model;
  const { lo, hi } = rangeOf(sv, values);
  const lr = values.length * sv.length > 1e6 ? lowRankRbf(lo, hi, gamma) : undefined;
  if (!lr) {
    for (let i = 0; i < values.length; i++) out[i] = svcDecision(model, values[i]) >= 0 ? 1 : 0;
    return out;
  }
  const { p, row } = lr;
  const w = new Float64Array(p);
  const r = new Float64Array(p);
  for (let s = 0; s < sv.length; s++) {
    row(sv[s], r, 0);
    for (let k = 0; k < p; k++) w[k] += c[s] * r[k];
  }
  for (let i = 0; i < values.length; i++) {
    row(values[i], r, 0);
    let f = model.intercept;
    for (let k = 0; k < p; k++) f += w[k] * r[k];
    out[i] = f >= 0 ? 1 : 0;
  }
  return out;
}
