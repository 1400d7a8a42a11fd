import { nnls2 } from '../math/nnls2.ts';
import type { Design, Params, Point } from '../core/law.ts';
import { defineLaw } from './defineLaw.ts';
import { completePoint } from '../core/law.ts';
import { KAPLAN_REFERENCE } from './kaplanPowerLaw.ts';

/**
 * Kaplan et al. 2020 eq. 1.5 / 4.1: L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (published joint fit:
 * alpha_N = 0.076, alpha_D = 0.103, N_c = 6.4e13, D_c = 1.8e13).
 *
 * theta = (log N_c, log D_c, alpha_N, alpha_D). With u = (alpha_N/alpha_D)(log N_c - log N), v = log D_c - log D and
 * s = LSE(u, v) (stable log-sum-exp), log L = alpha_D s, and with w_u = e^(u-s), w_v = e^(v-s) the Jacobian is
 * (alpha_N w_u, alpha_D w_v, w_u (log N_c - log N), s - w_u u).
 *
 * @example kaplanND.predict({ N_c: 6.4e13, D_c: 1.8e13, alpha_N: 0.076, alpha_D: 0.103 }, { N: 1e9, D: 2e10 }) // ~2.53
 */
export const kaplanND = defineLaw({
  name: 'kaplan-nd',
  title: 'Kaplan L(N, D) (Kaplan et al. 2020)',
  formula: 'L(N,D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D',
  reference: `${KAPLAN_REFERENCE}, eq. 1.5`,
  variables: ['N', 'D'],
  // Typical values: Kaplan et al.'s joint fit (eq. 1.5, Table 2).
  parameters: [
    { name: 'N_c', scale: 'log', unit: 'parameters', typical: 6.4e13 },
    { name: 'D_c', scale: 'log', unit: 'tokens', typical: 1.8e13 },
    { name: 'alpha_N', scale: 'linear', typical: 0.076, exponent: true },
    { name: 'alpha_D', scale: 'linear', typical: 0.103, exponent: true },
  ],
  // N_opt ∝ C^a exactly: the law is a homogeneous function of (N^(alpha_N/alpha_D), 1/D) (Kaplan et al. eq. 6.x).
  constantAllocationExponents: true,

  logPredict(t, X, out, jac) {
    const lnc = t[0]!,
      ldc = t[1]!,
      aN = t[2]!,
      aD = t[3]!;
    const r = aN / aD;
    for (let i = 0; i < X.n; i++) {
      const dn = lnc - X.logN[i]!;
      const u = r * dn,
        v = ldc - X.logD[i]!;
      const m = u > v ? u : v;
      const eu = Math.exp(u - m),
        ev = Math.exp(v - m);
      const s = m + Math.log(eu + ev);
      out[i] = aD * s;
      if (jac) {
        const wu = eu / (eu + ev),
          wv = ev / (eu + ev);
        const o = 4 * i;
        jac[o] = aN * wu;
        jac[o + 1] = aD * wv;
        jac[o + 2] = wu * dn;
        jac[o + 3] = s - wu * u;
      }
    }
  },

  predict(p: Params, point: Point) {
    const q = completePoint(point);
    return ((p.N_c! / q.N!) ** (p.alpha_N! / p.alpha_D!) + p.D_c! / q.D!) ** p.alpha_D!;
  },

  gradient(p: Params, point: Point) {
    const q = completePoint(point);
    const aN = p.alpha_N!,
      aD = p.alpha_D!,
      r = aN / aD;
    const x = (p.N_c! / q.N!) ** r,
      y = p.D_c! / q.D!;
    const inner = x + y,
      L = inner ** aD;
    const dInner = aD * inner ** (aD - 1);
    const ln = Math.log(p.N_c! / q.N!);
    return {
      N_c: (dInner * r * x) / p.N_c!,
      D_c: dInner / q.D!,
      alpha_N: (dInner * x * ln) / aD,
      alpha_D: L * Math.log(inner) - (dInner * x * ln * aN) / (aD * aD),
    };
  },

  starts(X: Design) {
    return twoScaleStarts(X);
  },

  fitting: 'least-squares',
});

const ALPHA_N_GRID = [0.03, 0.05, 0.076, 0.1, 0.15, 0.25, 0.4];
const ALPHA_D_GRID = [0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.4];

/**
 * For fixed exponents L^(1/alpha_D) = P N^(-alpha_N/alpha_D) + Q/D is linear in P = N_c^(alpha_N/alpha_D) and
 * Q = D_c: solve by NNLS on relative residuals for each grid cell and keep the cells with the best log-loss fit.
 */
function twoScaleStarts(X: Design): number[][] {
  const cand: Array<{ sse: number; theta: number[] }> = [];
  const pred = new Float64Array(X.n);
  for (const aN of ALPHA_N_GRID) {
    for (const aD of ALPHA_D_GRID) {
      const r = aN / aD;
      const y = Float64Array.from(X.logLoss, (ll) => Math.exp(ll / aD));
      const x1 = Float64Array.from(X.logN, (ln) => Math.exp(-r * ln));
      const x2 = Float64Array.from(X.logD, (ld) => Math.exp(-ld));
      const w = Float64Array.from(y, (v) => 1 / (v * v));
      const { p, q } = nnls2(x1, x2, y, w);
      const theta = [Math.log(Math.max(p, 1e-300)) / r, Math.log(Math.max(q, 1e-300)), aN, aD];
      kaplanND.logPredict(theta, X, pred);
      let sse = 0;
      for (let i = 0; i < X.n; i++) sse += (pred[i]! - X.logLoss[i]!) ** 2;
      if (Number.isFinite(sse)) cand.push({ sse, theta });
    }
  }
  cand.sort((a, b) => a.sse - b.sse);
  return cand.slice(0, 4).map((c) => c.theta);
}
