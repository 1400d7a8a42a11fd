import { nnls3 } from '../fit/nnls3.ts';
import type { Design, Law, Params, Point } from './types.ts';
import { completePoint } from './types.ts';

/**
 * The Chinchilla law L(N, D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, eq. 2 and approach 3).
 *
 * Optimised as theta = (a, b, e, alpha, beta) with A = exp(a), B = exp(b), E = exp(e), and
 * log L-hat = LSE(a - alpha log N, b - beta log D, e), exactly as in Hoffmann et al. App. D.2: the log-sum-exp keeps
 * A, B, E positive without bounds and is evaluated stably by shifting by the largest term.
 *
 * @example chinchilla.predict({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }, { N: 70e9, D: 1.4e12 }) // ~1.937
 */
export const chinchilla: Law = {
  name: 'chinchilla',
  title: 'Chinchilla (Hoffmann et al. 2022)',
  formula: 'L(N,D) = E + A/N^alpha + B/D^beta',
  reference: 'Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, arXiv:2203.15556, eq. 2 and App. D.2',
  variables: ['N', 'D'],
  paramNames: ['E', 'A', 'B', 'alpha', 'beta'],
  thetaNames: ['a', 'b', 'e', 'alpha', 'beta'],

  toParams(t) {
    return { E: Math.exp(t[2]!), A: Math.exp(t[0]!), B: Math.exp(t[1]!), alpha: t[3]!, beta: t[4]! };
  },

  toTheta(p) {
    return [Math.log(p.A!), Math.log(p.B!), Math.log(p.E!), p.alpha!, p.beta!];
  },

  logPredict(t, X, out, jac) {
    const a = t[0]!, b = t[1]!, e = t[2]!, alpha = t[3]!, beta = t[4]!;
    const { logN, logD } = X;
    for (let i = 0; i < X.n; i++) {
      const ln = logN[i]!, ld = logD[i]!;
      const t1 = a - alpha * ln;
      const t2 = b - beta * ld;
      const m = t1 > t2 ? (t1 > e ? t1 : e) : t2 > e ? t2 : e;
      const x1 = Math.exp(t1 - m), x2 = Math.exp(t2 - m), x3 = Math.exp(e - m);
      const s = x1 + x2 + x3;
      out[i] = m + Math.log(s);
      if (jac) {
        const w1 = x1 / s, w2 = x2 / s;
        const o = i * 5;
        jac[o] = w1;
        jac[o + 1] = w2;
        jac[o + 2] = x3 / s;
        jac[o + 3] = -w1 * ln;
        jac[o + 4] = -w2 * ld;
      }
    }
  },

  predict(p: Params, point: Point) {
    const q = completePoint(point);
    return p.E! + p.A! / q.N! ** p.alpha! + p.B! / q.D! ** p.beta!;
  },

  gradient(p: Params, point: Point) {
    const q = completePoint(point);
    const n = q.N! ** -p.alpha!, d = q.D! ** -p.beta!;
    return { E: 1, A: n, B: d, alpha: -p.A! * n * Math.log(q.N!), beta: -p.B! * d * Math.log(q.D!) };
  },

  starts(X, strategy) {
    return strategy === 'hoffmann' ? hoffmannGrid() : nnlsStarts(X);
  },
};

/**
 * Hoffmann et al. 2022 App. D.2's 4500 starts: alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1},
 * a, b in {0, 5, ..., 25}; in the loop order of Besiroglu et al.'s notebook, as theta = (a, b, e, alpha, beta).
 */
export function hoffmannGrid(): number[][] {
  const exps = [0, 0.5, 1, 1.5, 2];
  const es = [-1, -0.5, 0, 0.5, 1];
  const abs = [0, 5, 10, 15, 20, 25];
  const out: number[][] = [];
  for (const alpha of exps) for (const beta of exps) for (const e of es) for (const a of abs) for (const b of abs) out.push([a, b, e, alpha, beta]);
  return out;
}

/** Exponent grid for the default starts: fine where fitted exponents usually land, coarse up to 2. */
const EXPONENT_GRID = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5, 2.0];
const DEFAULT_STARTS = 8;

/**
 * Default starts: for every (alpha, beta) on a grid the law is linear in (E, A, B), so solve for them by
 * non-negative least squares on relative residuals (E + A x + B y - L)/L, which approximate the log residuals the
 * objective uses. Keep the best few (alpha, beta) cells as starts for the full optimiser.
 */
function nnlsStarts(X: Design): number[][] {
  const n = X.n;
  const g = EXPONENT_GRID.length;
  const xs = EXPONENT_GRID.map((al) => Float64Array.from(X.logN, (ln) => Math.exp(-al * ln)));
  const ys = EXPONENT_GRID.map((be) => Float64Array.from(X.logD, (ld) => Math.exp(-be * ld)));
  const xMax = xs.map((x) => x.reduce((m, v) => Math.max(m, v), 0));
  const yMax = ys.map((y) => y.reduce((m, v) => Math.max(m, v), 0));
  const w = Float64Array.from(X.loss, (l) => 1 / (l * l));
  let yy = 0, s1 = 0, sL = 0;
  for (let i = 0; i < n; i++) {
    yy += w[i]! * X.loss[i]! * X.loss[i]!;
    s1 += w[i]!;
    sL += w[i]! * X.loss[i]!;
  }
  const cand: Array<{ sse: number; theta: number[] }> = [];
  const G = new Float64Array(9);
  const h = new Float64Array(3);
  for (let ia = 0; ia < g; ia++) {
    const x = xs[ia]!;
    let sx = 0, sxx = 0, sxL = 0;
    for (let i = 0; i < n; i++) {
      const wx = w[i]! * x[i]!;
      sx += wx;
      sxx += wx * x[i]!;
      sxL += wx * X.loss[i]!;
    }
    for (let ib = 0; ib < g; ib++) {
      const y = ys[ib]!;
      let sy = 0, syy = 0, sxy = 0, syL = 0;
      for (let i = 0; i < n; i++) {
        const wy = w[i]! * y[i]!;
        sy += wy;
        syy += wy * y[i]!;
        sxy += wy * x[i]!;
        syL += wy * X.loss[i]!;
      }
      G.set([s1, sx, sy, sx, sxx, sxy, sy, sxy, syy]);
      h.set([sL, sxL, syL]);
      const { coef, sse } = nnls3(G, h, yy, 3);
      // A zero coefficient has no logarithm: start its term at 1e-6 nats instead (the optimiser can still shrink it).
      const E = Math.max(coef[0]!, 1e-6);
      const A = Math.max(coef[1]!, 1e-6 / xMax[ia]!);
      const B = Math.max(coef[2]!, 1e-6 / yMax[ib]!);
      cand.push({ sse, theta: [Math.log(A), Math.log(B), Math.log(E), EXPONENT_GRID[ia]!, EXPONENT_GRID[ib]!] });
    }
  }
  cand.sort((p, q) => p.sse - q.sse);
  return cand.slice(0, DEFAULT_STARTS).map((c) => c.theta);
}
