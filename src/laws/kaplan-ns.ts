import { nnls2 } from '../math/nnls2.ts';
import type { Design, Params, Point } from '../core/law.ts';
import { defineLaw } from './defineLaw.ts';
import { KAPLAN_REFERENCE } from './kaplanPowerLaw.ts';

/**
 * Kaplan et al. 2020 eq. 1.6 / 5.6: L(N, S_min) = (N_c/N)^alpha_N + (S_c/S_min)^alpha_S (published: alpha_N = 0.077,
 * alpha_S = 0.76, N_c = 6.5e13, S_c = 2.1e3). S_min is not the raw step count but the steps at a batch far above
 * the critical one, S_min = S / (1 + B_crit(L)/B) with B_crit(L) = 2e8 tokens / L^(1/0.21) (their eq. 5.4, 5.2):
 * the law declares `minimumSteps`, so commands convert a steps column (S, steps, step) with the batch-size column
 * (B, batch_size, tokens_per_step, ...; `withMinimumSteps`), or take S as S_min with a warning when there is none.
 * A point's S (predict) is S_min.
 *
 * theta = (log N_c, log S_c, alpha_N, alpha_S); log L = LSE(alpha_N (log N_c - log N), alpha_S (log S_c - log S)),
 * with Jacobian (w_1 alpha_N, w_2 alpha_S, w_1 (log N_c - log N), w_2 (log S_c - log S)) for the LSE weights w.
 *
 * @example kaplanNS.predict({ N_c: 6.5e13, S_c: 2100, alpha_N: 0.077, alpha_S: 0.76 }, { N: 1e9, S: 1e5 }) // ~2.37
 */
export const kaplanNS = defineLaw({
  name: 'kaplan-ns',
  title: 'Kaplan L(N, S) (Kaplan et al. 2020)',
  formula: 'L(N,S) = (N_c/N)^alpha_N + (S_c/S)^alpha_S',
  reference: `${KAPLAN_REFERENCE}, eq. 1.6`,
  variables: ['N', 'S'],
  // Typical values: Kaplan et al.'s fit (eq. 1.6, Table 3).
  parameters: [
    { name: 'N_c', scale: 'log', unit: 'parameters', typical: 6.5e13 },
    { name: 'S_c', scale: 'log', unit: 'steps', typical: 2.1e3 },
    { name: 'alpha_N', scale: 'linear', typical: 0.077, exponent: true },
    { name: 'alpha_S', scale: 'linear', typical: 0.76, exponent: true },
  ],

  logPredict(t, X, out, jac) {
    const lnc = t[0]!,
      lsc = t[1]!,
      aN = t[2]!,
      aS = t[3]!;
    for (let i = 0; i < X.n; i++) {
      const dn = lnc - X.logN[i]!,
        ds = lsc - X.logS[i]!;
      const u = aN * dn,
        v = aS * ds;
      const m = u > v ? u : v;
      const eu = Math.exp(u - m),
        ev = Math.exp(v - m);
      out[i] = m + Math.log(eu + ev);
      if (jac) {
        const wu = eu / (eu + ev),
          wv = ev / (eu + ev);
        const o = 4 * i;
        jac[o] = wu * aN;
        jac[o + 1] = wv * aS;
        jac[o + 2] = wu * dn;
        jac[o + 3] = wv * ds;
      }
    }
  },

  predict(p: Params, point: Point) {
    return (p.N_c! / point.N!) ** p.alpha_N! + (p.S_c! / point.S!) ** p.alpha_S!;
  },

  gradient(p: Params, point: Point) {
    const x = (p.N_c! / point.N!) ** p.alpha_N!,
      y = (p.S_c! / point.S!) ** p.alpha_S!;
    return {
      N_c: (p.alpha_N! * x) / p.N_c!,
      S_c: (p.alpha_S! * y) / p.S_c!,
      alpha_N: x * Math.log(p.N_c! / point.N!),
      alpha_S: y * Math.log(p.S_c! / point.S!),
    };
  },

  starts(X: Design) {
    const cand: Array<{ sse: number; theta: number[] }> = [];
    const pred = new Float64Array(X.n);
    const w = Float64Array.from(X.loss, (l) => 1 / (l * l));
    for (const aN of [0.03, 0.05, 0.077, 0.1, 0.15, 0.3]) {
      for (const aS of [0.1, 0.3, 0.5, 0.76, 1, 1.5]) {
        const x1 = Float64Array.from(X.logN, (ln) => Math.exp(-aN * ln));
        const x2 = Float64Array.from(X.logS, (ls) => Math.exp(-aS * ls));
        const { p, q } = nnls2(x1, x2, X.loss, w);
        const theta = [Math.log(Math.max(p, 1e-300)) / aN, Math.log(Math.max(q, 1e-300)) / aS, aN, aS];
        kaplanNS.logPredict(theta, X, pred);
        let sse = 0;
        for (let i = 0; i < X.n; i++) sse += (pred[i]! - X.logLoss[i]!) ** 2;
        if (Number.isFinite(sse)) cand.push({ sse, theta });
      }
    }
    cand.sort((a, b) => a.sse - b.sse);
    return cand.slice(0, 4).map((c) => c.theta);
  },

  fitting: 'least-squares',
  minimumSteps: true,
});
