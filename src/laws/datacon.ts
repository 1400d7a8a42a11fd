import { chinchilla, hoffmannGrid } from './chinchilla.ts';
import type { Design } from '../core/law.ts';
import { defineLaw } from './defineLaw.ts';

/**
 * The data-constrained law of Muennighoff et al. 2023 ("Scaling Data-Constrained Language Models",
 * arXiv:2305.16264, §3 "effective data" and "effective parameters"): Chinchilla's form evaluated at effective data D'
 * and effective parameters N',
 *
 *   D' = U_D + U_D R_D* (1 - exp(-R_D / R_D*)),  R_D = D/U_D - 1   (repeated tokens lose value; R_D = epochs - 1)
 *   N' = U_N + U_N R_N* (1 - exp(-R_N / R_N*)),  R_N = N/U_N - 1   (excess parameters lose value)
 *   L(N, D, U) = E + A/N'^alpha + B/D'^beta
 *
 * U_D is the number of unique tokens (column U). U_N is, as in the paper, the compute-optimal model size for U_D
 * unique tokens, capped at N: U_N = min(N_opt(U_D), N), so R_N = 0 (N' = N) for models no larger than that.
 * N_opt(U_D) is where the Chinchilla isoFLOP optimum spends exactly U_D tokens, alpha A N^-alpha = beta B U_D^-beta:
 *   N_opt(U_D) = G (U_D G)^(beta/alpha), G = (alpha A / (beta B))^(1/(alpha+beta)), i.e.
 *   log N_opt(U_D) = (log A - log B + log(alpha/beta) + beta log U_D) / alpha.
 * Simplification, stated: the paper computes N_opt from a Chinchilla fit and then fits R_D*, R_N* with A, B, E,
 * alpha, beta held fixed; here N_opt uses the law's own current parameters. With those fixed (--fix, as the paper
 * does) this is the paper's model exactly; in a joint fit it keeps U_N consistent with the fitted A, B, alpha, beta.
 * One reading we add: a run cannot see more unique tokens than it trains on, so U_D = min(U, D) and R_D >= 0.
 *
 * Optimised as theta = (a, b, e, alpha, beta, rD, rN) with A = exp(a), B = exp(b), E = exp(e), R_D* = exp(rD),
 * R_N* = exp(rN); log L-hat = LSE(a - alpha log N', b - beta log D', e) as for chinchilla. The curvature of log N'
 * jumps at N = U_N (by -1/R_N*), so a tight polish may stop on "line search failed" with a ~1e-8 gradient.
 *
 * @example datacon.predict({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28, R_D_star: 15.4, R_N_star: 5.3 }, { N: 1e9, D: 2e11, U: 5e9 })
 */
export const datacon = defineLaw({
  name: 'datacon',
  title: 'Data-constrained (Muennighoff et al. 2023)',
  formula:
    "L(N,D,U) = E + A/N'^alpha + B/D'^beta, D' = U + U R_D*(1 - exp(-(D/U - 1)/R_D*)), N' likewise with U_N = min(N_opt(U), N)",
  reference:
    'Muennighoff et al. 2023, Scaling Data-Constrained Language Models, arXiv:2305.16264, §3 (effective data and parameters)',
  variables: ['N', 'D', 'U'],
  // R* in [0.01, 1e6]: beyond that the decay is indistinguishable from no decay (or from one epoch only) and the
  // objective is flat, so an unbounded log R* would wander; a fit that ends there is reported AT BOUND.
  // The Chinchilla part is chinchilla's own declaration (same coordinates a, b, e, alpha, beta, in that order);
  // typical values for the rest: the paper's R_D* = 15.4 and R_N* = 5.3.
  parameters: [
    ...chinchilla.parameters,
    { name: 'R_D_star', scale: 'log', coordinate: 'rD', bounds: [0.01, 1e6], typical: 15.4 },
    { name: 'R_N_star', scale: 'log', coordinate: 'rN', bounds: [0.01, 1e6], typical: 5.3 },
  ],
  displayOrder: [...chinchilla.paramNames, 'R_D_star', 'R_N_star'],

  logPredict(t, X, out, jac) {
    const a = t[0]!,
      b = t[1]!,
      e = t[2]!,
      alpha = t[3]!,
      beta = t[4]!;
    const RD = Math.exp(t[5]!),
      RN = Math.exp(t[6]!);
    const c0 = (a - b + Math.log(alpha / beta)) / alpha;
    for (let i = 0; i < X.n; i++) {
      const lnN = X.logN[i]!,
        D = X.D[i]!,
        U = X.U[i]!;
      const lnU = U < D ? X.logU[i]! : X.logD[i]!;
      // Effective data: log D' = log U + log g_D, g_D = 1 + R_D*(1 - exp(-R_D/R_D*)); expm1/log1p keep the few
      // epochs case (R_D/R_D* small) accurate, which the optimiser's stopping tests need near the optimum.
      const rD = U < D ? D / U - 1 : 0;
      const oneMinusQD = -Math.expm1(-rD / RD),
        qD = 1 - oneMinusQD;
      const gD = 1 + RD * oneMinusQD;
      const lnDp = lnU + Math.log1p(RD * oneMinusQD);
      // Effective parameters: l = log N_opt(U_D); excess only when log N > l.
      const l = c0 + (beta * lnU) / alpha;
      let lnNp = lnN,
        s = 0,
        xN = 1,
        qN = 1,
        gN = 1;
      if (lnN > l) {
        const rN = Math.expm1(lnN - l);
        xN = rN + 1;
        const oneMinusQN = -Math.expm1(-rN / RN);
        qN = 1 - oneMinusQN;
        gN = 1 + RN * oneMinusQN;
        lnNp = l + Math.log1p(RN * oneMinusQN);
        s = 1 - (xN * qN) / gN; // d log N' / d l
      }
      const t1 = a - alpha * lnNp;
      const t2 = b - beta * lnDp;
      const m = t1 > t2 ? (t1 > e ? t1 : e) : t2 > e ? t2 : e;
      const x1 = Math.exp(t1 - m),
        x2 = Math.exp(t2 - m),
        x3 = Math.exp(e - m);
      const sum = x1 + x2 + x3;
      out[i] = m + Math.log(sum);
      if (jac) {
        const w1 = x1 / sum,
          w2 = x2 / sum,
          w3 = x3 / sum;
        // d t1 / d theta through log N' = l + log g_N with dl/da = 1/alpha, dl/db = -1/alpha,
        // dl/dalpha = (1/alpha - l)/alpha, dl/dbeta = (log U - 1/beta)/alpha.
        const o = i * 7;
        jac[o] = w1 * (1 - s);
        jac[o + 1] = w1 * s + w2;
        jac[o + 2] = w3;
        jac[o + 3] = w1 * (-lnNp - s * (1 / alpha - l));
        jac[o + 4] = w1 * (-s * (lnU - 1 / beta)) - w2 * lnDp;
        jac[o + 5] = -w2 * beta * ((RD * oneMinusQD - qD * rD) / gD);
        jac[o + 6] = lnN > l ? -w1 * alpha * ((RN * (1 - qN) - qN * (xN - 1)) / gN) : 0;
      }
    }
  },

  starts(X: Design, strategy) {
    // Chinchilla's starts on (N, D) ignore repetition; cross them with R* values around the paper's fit
    // (R_D* = 15.4, R_N* = 5.3) and an order of magnitude either way.
    const base = strategy === 'hoffmann' ? hoffmannGrid() : chinchilla.starts(X, 'default').slice(0, 4);
    const rs =
      strategy === 'hoffmann'
        ? [[15.4, 5.3]]
        : [
            [2, 1],
            [15, 5],
            [60, 30],
            [15, 1e3],
          ];
    return base.flatMap((s) => rs.map(([rd, rn]) => [...s, Math.log(rd!), Math.log(rn!)]));
  },
});
