import type { Design } from '../core/law.ts';
import { nnls2 } from '../math/nnls2.ts';
import { defineLaw } from './defineLaw.ts';

/**
 * The broken neural scaling law of Caballero et al. 2022 ("Broken Neural Scaling Laws", arXiv:2210.14891, eq. 1) with
 * one break, in training compute C:
 *
 *   L(C) = a + b C^(-c0) (1 + (C/d1)^(1/f1))^(-c1 f1)
 *
 * a power law of exponent c0 below the break at C = d1 that bends, over a width set by the sharpness f1 (smaller is
 * sharper), into a power law of exponent c0 + c1 above it; a is the limit for infinite compute. It fits curves a single
 * power law cannot: a slope that steepens or flattens with scale (c1 > 0 or < 0), as downstream metrics and
 * saturating losses do.
 *
 * Optimised as theta = (log a, log b, c0, c1, log d1, log f1). With z = (log C - log d1)/f1, softplus
 * sp(z) = log(1 + e^z) and u = log b - c0 log C - c1 f1 sp(z): log L = LSE(log a, u), and with the weights
 * w_a = a/L, w_u = 1 - w_a the Jacobian is (w_a, w_u, -w_u log C, -w_u f1 sp(z), w_u c1 sigma(z),
 * -w_u c1 f1 (sp(z) - z sigma(z))), sigma the logistic function. Fitted by the generic multi-start L-BFGS.
 *
 * @example bnsl.predict({ a: 1.7, b: 14, c0: 0.05, c1: 0.1, d1: 1e21, f1: 1 }, { C: 1e22 }) // ~2.58
 */
export const bnsl = defineLaw({
  name: 'bnsl',
  title: 'Broken neural scaling law, one break, in C (Caballero et al. 2022)',
  formula: 'L(C) = a + b C^(-c0) (1 + (C/d1)^(1/f1))^(-c1 f1)',
  reference: 'Caballero et al. 2022, Broken Neural Scaling Laws, arXiv:2210.14891, eq. 1 (n = 1)',
  variables: ['C'],
  // Typical values: illustrative, for a sweep from 1e18 to 1e24 FLOPs with a break at 1e21 (the paper fits each task
  // separately and publishes no universal values).
  parameters: [
    { name: 'a', scale: 'log', unit: 'loss', typical: 1.7 },
    { name: 'b', scale: 'log', typical: 14 },
    { name: 'c0', scale: 'linear', typical: 0.05, exponent: true },
    { name: 'c1', scale: 'linear', typical: 0.1, exponent: true },
    { name: 'd1', scale: 'log', unit: 'FLOPs', typical: 1e21 },
    // f1 in [0.01, 100]: sharper than 0.01 is a corner the data cannot resolve, wider than 100 (decades of log C) is
    // no break at all; the objective is flat beyond, and an unbounded log f1 would wander.
    { name: 'f1', scale: 'log', bounds: [0.01, 100], typical: 1 },
  ],

  logPredict(t, X, out, jac) {
    const la = t[0]!,
      lb = t[1]!,
      c0 = t[2]!,
      c1 = t[3]!,
      ld = t[4]!,
      f = Math.exp(t[5]!);
    for (let i = 0; i < X.n; i++) {
      const lx = X.logC[i]!;
      const z = (lx - ld) / f;
      // Stable softplus and logistic: no overflow for |z| in the hundreds (sharp breaks far from the data).
      const ez = Math.exp(-Math.abs(z));
      const sp = Math.max(z, 0) + Math.log1p(ez);
      const sig = z >= 0 ? 1 / (1 + ez) : ez / (1 + ez);
      const u = lb - c0 * lx - c1 * f * sp;
      const m = la > u ? la : u;
      const xa = Math.exp(la - m),
        xu = Math.exp(u - m);
      const s = xa + xu;
      out[i] = m + Math.log(s);
      if (jac) {
        const wa = xa / s,
          wu = xu / s;
        const o = i * 6;
        jac[o] = wa;
        jac[o + 1] = wu;
        jac[o + 2] = -wu * lx;
        jac[o + 3] = -wu * f * sp;
        jac[o + 4] = wu * c1 * sig;
        jac[o + 5] = -wu * c1 * f * (sp - z * sig);
      }
    }
  },

  starts: (X) => breakStarts(X),
});

/**
 * Starts: for fixed (c0, c1, d1, f1) the law is linear in (a, b), L = a + b g(C); solve by non-negative least squares
 * on relative residuals over a grid of shapes (breaks at the 25%, 50% and 75% points of log C), keep the best six.
 */
function breakStarts(X: Design): number[][] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < X.n; i++) {
    lo = Math.min(lo, X.logC[i]!);
    hi = Math.max(hi, X.logC[i]!);
  }
  const ones = new Float64Array(X.n).fill(1);
  const w = Float64Array.from(X.loss, (l) => 1 / (l * l));
  const cand: Array<{ sse: number; theta: number[] }> = [];
  const pred = new Float64Array(X.n);
  for (const c0 of [0, 0.02, 0.05, 0.1, 0.2, 0.4]) {
    for (const c1 of [-0.1, -0.03, 0.03, 0.1, 0.3]) {
      for (const q of [0.25, 0.5, 0.75]) {
        for (const f of [0.1, 0.5, 2]) {
          const ld = lo + q * (hi - lo);
          const g = Float64Array.from(X.logC, (lx) => {
            const z = (lx - ld) / f;
            return Math.exp(-c0 * lx - c1 * f * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))));
          });
          const { p: a, q: b } = nnls2(ones, g, X.loss, w);
          const theta = [Math.log(Math.max(a, 1e-6)), Math.log(Math.max(b, 1e-300)), c0, c1, ld, Math.log(f)];
          bnsl.logPredict(theta, X, pred);
          let sse = 0;
          for (let i = 0; i < X.n; i++) sse += (pred[i]! - X.logLoss[i]!) ** 2;
          if (Number.isFinite(sse)) cand.push({ sse, theta });
        }
      }
    }
  }
  cand.sort((p, r) => p.sse - r.sse);
  return cand.slice(0, 6).map((c) => c.theta);
}
