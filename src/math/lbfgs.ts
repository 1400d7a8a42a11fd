/**
 * Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) with a strong-Wolfe line search
 * (Nocedal & Wright, Numerical Optimization, 2nd ed., algorithms 3.5 and 3.6, cubic interpolation in the zoom).
 *
 * Minimises f(x) given a function that returns f and writes the gradient. Never throws on failure: the result says
 * whether it converged and why it stopped. A start whose objective is not finite is abandoned with status
 * 'nonfinite'; trial points with non-finite values during a line search are treated as +Infinity (step too long).
 *
 * Convergence: the largest gradient component <= gtol, or a relative decrease of f over one iteration
 * (f_prev - f) <= ftol * max(|f_prev|, |f|, fscale).
 *
 * @example
 * const r = lbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, [0]);
 * // r.x[0] ≈ 3, r.converged === true
 */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Number of correction pairs kept (scipy's default is 10). */
  memory: number;
  maxIterations: number;
  maxEvaluations: number;
  /** Stop when max |g_i| <= gtol. */
  gtol: number;
  /** Stop when the relative decrease of f over an iteration is <= ftol. */
  ftol: number;
  /** Floor for the scale in the relative-decrease test (scipy uses 1, i.e. an absolute test for small f). */
  fscale: number;
  /**
   * The first iteration's inverse-Hessian scale, when known (e.g. from a fit of the same objective on a subsample):
   * its direction is -initialScale·g at step 1, instead of -g at step min(1, 1/max|g|) with nothing known.
   */
  initialScale?: number;
}

export type LbfgsStatus = 'gtol' | 'ftol' | 'precision' | 'maxiter' | 'maxeval' | 'linesearch' | 'nonfinite';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  gradient: Float64Array;
  gradNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  status: LbfgsStatus;
  message: string;
  /** The last inverse-Hessian scale sᵀy/yᵀy (NaN before the first correction pair): a warm start's initialScale. */
  scale: number;
}

export const LBFGS_DEFAULTS: LbfgsOptions = {
  memory: 10,
  maxIterations: 1000,
  maxEvaluations: 5000,
  gtol: 1e-8,
  ftol: 1e-12,
  fscale: 0,
};

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH = 30;
/** Relative size of a predicted decrease that rounding in f can hide (a few hundred ulps). */
const PRECISION = 1e-13;

export function lbfgs(
  fg: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  options: Partial<LbfgsOptions> = {},
): LbfgsResult {
  const o: LbfgsOptions = { ...LBFGS_DEFAULTS, ...options };
  const n = x0.length;
  const m = o.memory;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  const done = (status: LbfgsStatus, iterations: number, message: string): LbfgsResult => ({
    x,
    f,
    gradient: g,
    gradNorm: infNorm(g),
    iterations,
    evaluations,
    converged: status === 'gtol' || status === 'ftol' || status === 'precision',
    status,
    message,
    scale,
  });
  let scale = NaN;
  if (!Number.isFinite(f) || !allFinite(g)) {
    return done('nonfinite', 0, 'objective or gradient not finite at the start point; start abandoned');
  }
  if (infNorm(g) <= o.gtol) return done('gtol', 0, `gradient norm ${fmt(infNorm(g))} <= gtol at the start point`);

  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alphaBuf = new Float64Array(m);
  let stored = 0;
  let head = 0;
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const ls = new LineSearch(fg, n);

  for (let iter = 1; iter <= o.maxIterations; iter++) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = 0; k < stored; k++) {
      const j = (head - 1 - k + m) % m;
      const a = rho[j]! * dot(S[j]!, d);
      alphaBuf[j] = a;
      axpy(-a, Y[j]!, d);
    }
    let gamma = 1;
    const warm = iter === 1 && o.initialScale !== undefined && o.initialScale > 0 && o.initialScale < Infinity;
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      gamma = dot(S[j]!, Y[j]!) / dot(Y[j]!, Y[j]!);
      scale = gamma;
    } else if (warm) {
      gamma = o.initialScale!;
    }
    for (let i = 0; i < n; i++) d[i]! *= gamma;
    for (let k = stored - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      const b = rho[j]! * dot(Y[j]!, d);
      axpy(alphaBuf[j]! - b, S[j]!, d);
    }
    let dphi0 = dot(g, d);
    if (!(dphi0 < 0)) {
      // Not a descent direction (rounding in the memory): fall back to steepest descent and forget the memory.
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dphi0 = dot(g, d);
      stored = 0;
    }
    const step0 = stored === 0 && !warm ? Math.min(1, 1 / Math.max(infNorm(g), 1e-300)) : 1;
    const ok = ls.search(x, f, g, d, dphi0, step0, xNew, gNew, o.maxEvaluations - evaluations);
    evaluations += ls.evaluations;
    if (!ok) {
      if (evaluations >= o.maxEvaluations)
        return done('maxeval', iter, `stopped after ${evaluations} evaluations (maxEvaluations)`);
      if (stored > 0) {
        stored = 0; // forget the curvature memory and retry from steepest descent
        continue;
      }
      // The first-order decrease a steepest-descent step promises is below rounding of f: we are at the bottom.
      // Or every trial point of a steepest-descent search came out within rounding of f (the zoom collapsed on noise).
      const floor = PRECISION * Math.max(Math.abs(f), o.fscale, Number.MIN_VALUE);
      if (Math.abs(dphi0) * step0 <= floor || Math.abs(ls.closestF - f) <= 1e3 * floor) {
        return done(
          'precision',
          iter,
          'no further decrease possible in floating point (the line search cannot improve f)',
        );
      }
      return done('linesearch', iter, 'line search failed to find a point satisfying the Wolfe conditions');
    }
    const fPrev = f;
    // Save the correction pair s = x_new - x, y = g_new - g.
    const s = S[head]!,
      y = Y[head]!;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-16 * dot(y, y)) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    x.set(xNew);
    g.set(gNew);
    f = ls.f;
    const gn = infNorm(g);
    if (gn <= o.gtol) return done('gtol', iter, `gradient norm ${fmt(gn)} <= gtol ${fmt(o.gtol)}`);
    if (fPrev - f <= o.ftol * Math.max(Math.abs(fPrev), Math.abs(f), o.fscale)) {
      return done(
        'ftol',
        iter,
        `relative decrease of the objective ${fmt((fPrev - f) / Math.max(Math.abs(fPrev), Math.abs(f), o.fscale, 1e-300))} <= ftol ${fmt(o.ftol)}`,
      );
    }
    if (evaluations >= o.maxEvaluations)
      return done('maxeval', iter, `stopped after ${evaluations} evaluations (maxEvaluations)`);
  }
  return done('maxiter', o.maxIterations, `stopped after ${o.maxIterations} iterations (maxIterations)`);
}

/**
 * Strong-Wolfe line search. Allocation-free in the hot loop: scratch buffers are kept between calls, and results go to
 * fields (f, evaluations; trialF, trialDphi for one trial point) instead of fresh objects.
 */
class LineSearch {
  private readonly xt: Float64Array;
  private readonly gt: Float64Array;
  /** The finite trial value closest to f0 in the last search (to tell rounding-limited failures from real ones). */
  closestF = NaN;
  private f0 = 0;
  private g0: Float64Array;
  /** After `search`: f at the accepted point (f0 when it failed) and the evaluations it used. */
  f = 0;
  evaluations = 0;
  /** After `evalAt`: f and the directional derivative at the trial point (Infinity and NaN when not finite). */
  private trialF = 0;
  private trialDphi = 0;
  constructor(
    private readonly fg: ObjectiveWithGradient,
    n: number,
  ) {
    this.xt = new Float64Array(n);
    this.gt = new Float64Array(n);
    this.g0 = this.gt;
  }

  /**
   * Evaluate f and the directional derivative at x + a d; returns the evaluations it cost (0 or 1). A step so short
   * that x + a d rounds to x in every coordinate is not evaluated: f and g there are f0 and g0, bit for bit. Near the
   * bottom of a many-row objective, whose value is flat to rounding, the zoom bisects down to such steps for up to 30
   * trials per search; they cost nothing now (a 1M-row polish spent half its evaluations on them).
   */
  private evalAt(x: Float64Array, d: Float64Array, a: number): number {
    const { xt, gt } = this;
    let moved = false;
    for (let i = 0; i < x.length; i++) {
      xt[i] = x[i]! + a * d[i]!;
      if (xt[i] !== x[i]) moved = true;
    }
    let f: number;
    if (moved) {
      f = this.fg(xt, gt);
    } else {
      f = this.f0;
      gt.set(this.g0);
    }
    let dphi = dot(gt, d);
    if (Number.isFinite(f) && !(Math.abs(f - this.f0) >= Math.abs(this.closestF - this.f0))) this.closestF = f;
    if (!Number.isFinite(f) || !Number.isFinite(dphi)) {
      f = Infinity;
      dphi = NaN;
    }
    this.trialF = f;
    this.trialDphi = dphi;
    return moved ? 1 : 0;
  }

  search(
    x: Float64Array,
    f0: number,
    g0: Float64Array,
    d: Float64Array,
    dphi0: number,
    step0: number,
    xOut: Float64Array,
    gOut: Float64Array,
    budget: number,
  ): boolean {
    this.f0 = f0;
    this.g0 = g0;
    this.closestF = NaN;
    let evaluations = 0;
    let aPrev = 0,
      fPrev = f0,
      dPrev = dphi0;
    let a = step0;
    for (let i = 0; i < MAX_LINE_SEARCH && evaluations < budget; i++) {
      evaluations += this.evalAt(x, d, a);
      const f = this.trialF,
        dphi = this.trialDphi;
      if (f > f0 + C1 * a * dphi0 || (i > 0 && f >= fPrev)) {
        return this.zoom(x, d, f0, dphi0, aPrev, fPrev, dPrev, a, f, dphi, evaluations, budget, xOut, gOut);
      }
      if (Math.abs(dphi) <= -C2 * dphi0) {
        xOut.set(this.xt);
        gOut.set(this.gt);
        return this.result(true, f, evaluations);
      }
      if (dphi >= 0) {
        return this.zoom(x, d, f0, dphi0, a, f, dphi, aPrev, fPrev, dPrev, evaluations, budget, xOut, gOut);
      }
      aPrev = a;
      fPrev = f;
      dPrev = dphi;
      a *= 4;
    }
    return this.result(false, f0, evaluations);
  }

  private result(ok: boolean, f: number, evaluations: number): boolean {
    this.f = f;
    this.evaluations = evaluations;
    return ok;
  }

  private zoom(
    x: Float64Array,
    d: Float64Array,
    f0: number,
    dphi0: number,
    aLo: number,
    fLo: number,
    dLo: number,
    aHi: number,
    fHi: number,
    dHi: number,
    evaluations: number,
    budget: number,
    xOut: Float64Array,
    gOut: Float64Array,
  ): boolean {
    let bestA = -1,
      bestF = Infinity;
    for (let j = 0; j < MAX_LINE_SEARCH && evaluations < budget; j++) {
      const lo = Math.min(aLo, aHi),
        hi = Math.max(aLo, aHi);
      const width = hi - lo;
      if (width <= 1e-16 * Math.max(hi, 1e-300)) break;
      let a = cubicMin(aLo, fLo, dLo, aHi, fHi, dHi);
      // Safeguard: stay well inside the bracket, else bisect.
      if (!Number.isFinite(a) || a < lo + 0.1 * width || a > hi - 0.1 * width) a = 0.5 * (aLo + aHi);
      evaluations += this.evalAt(x, d, a);
      const f = this.trialF,
        dphi = this.trialDphi;
      if (f > f0 + C1 * a * dphi0 || f >= fLo) {
        aHi = a;
        fHi = f;
        dHi = dphi;
      } else {
        if (f < bestF) {
          bestF = f;
          bestA = a;
          xOut.set(this.xt);
          gOut.set(this.gt);
        }
        if (Math.abs(dphi) <= -C2 * dphi0) return this.result(true, f, evaluations);
        if (dphi * (aHi - aLo) >= 0) {
          aHi = aLo;
          fHi = fLo;
          dHi = dLo;
        }
        aLo = a;
        fLo = f;
        dLo = dphi;
      }
    }
    // No point met the curvature condition, but one decreased f sufficiently: take it (the memory update checks sᵀy).
    if (bestA > 0) return this.result(true, bestF, evaluations);
    return this.result(false, f0, evaluations);
  }
}

/** Minimiser of the cubic interpolating (a, fa, da) and (b, fb, db) (Nocedal & Wright eq. 3.59). */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db) || !Number.isFinite(fa) || !Number.isFinite(da)) return NaN;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

function infNorm(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > m) m = a;
  }
  return m;
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

function fmt(v: number): string {
  return v.toExponential(2);
}
