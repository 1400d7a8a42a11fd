import type { Run } from '../core/run.ts';
import type { Law, Params } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import { lbfgs } from '../math/lbfgs.ts';
import type { Constraints } from './constraints.ts';
import { makeParametrization } from './constraints.ts';

/**
 * Maximum likelihood under a Huber-shaped error density with a fitted scale (Besiroglu et al. 2024's headline
 * estimator, their notebook cell 24): minimise over (theta, s)
 *   sum_i Huber_delta(u_i) + n log Z_delta + n s,   u_i = (log L-hat_i - log L_i) / sigma,  sigma = exp(s),
 * with Z_delta = sqrt(2 pi)(1 - 2 Phi(-delta)) + 2 exp(-delta^2/2)/delta the density's normaliser.
 * When sigma ends far below the residuals every u_i is in Huber's linear region, so the estimate is in effect a
 * least-absolute-deviation fit in log space. Fixed, tied and bounded parameters (`constraints`) go through the same
 * parametrization as every other fit, so a restricted fit (e.g. Hoffmann's published values, all fixed, only the
 * scale free) and the free fit share one likelihood, as a likelihood-ratio test needs.
 *
 * @example huberMle(chinchilla, runs, chinchilla.toTheta(hoffmannParams)).params
 */
export function huberMle(
  law: Law,
  runs: readonly Run[],
  theta0: number[],
  delta = 1e-3,
  s0 = 0,
  constraints: Constraints = {},
): {
  params: Params;
  theta: number[];
  logSigma: number;
  negLogLik: number;
  converged: boolean;
  message: string;
  nfev: number;
} {
  const X = makeDesign(runs);
  const n = X.n;
  const kTheta = theta0.length;
  const P = makeParametrization(law, constraints);
  const k = P.k;
  const pred = new Float64Array(n);
  const jac = new Float64Array(n * kTheta);
  const theta = new Float64Array(kTheta);
  const gTheta = new Float64Array(kTheta);
  const gZ = new Float64Array(k);
  const logZ = Math.log(
    Math.sqrt(2 * Math.PI) * (1 - 2 * normalTail(delta)) + (2 * Math.exp(-0.5 * delta * delta)) / delta,
  );
  const fg = (z: Float64Array, g: Float64Array): number => {
    const s = z[k]!;
    const sigma = Math.exp(s);
    P.toTheta(z.subarray(0, k), theta);
    law.logPredict(theta, X, pred, jac);
    gTheta.fill(0);
    let f = n * logZ + n * s;
    let gs = n;
    for (let i = 0; i < n; i++) {
      const u = (pred[i]! - X.logLoss[i]!) / sigma;
      const au = Math.abs(u);
      f += au <= delta ? 0.5 * u * u : delta * (au - 0.5 * delta);
      const psi = au <= delta ? u : u < 0 ? -delta : delta;
      gs -= psi * u;
      const w = psi / sigma;
      for (let j = 0; j < kTheta; j++) gTheta[j]! += w * jac[i * kTheta + j]!;
    }
    P.gradZ(z.subarray(0, k), gTheta, gZ);
    g.set(gZ);
    g[k] = gs;
    return f;
  };
  const r = lbfgs(fg, [...P.toZ(theta0), s0], { gtol: 1e-6, ftol: 1e-14, maxIterations: 20000, maxEvaluations: 60000 });
  P.toTheta(r.x.subarray(0, k), theta);
  const thetaOut = Array.from(theta);
  return {
    params: law.toParams(thetaOut),
    theta: thetaOut,
    logSigma: r.x[k]!,
    negLogLik: r.f,
    converged: r.converged,
    message: r.message,
    nfev: r.evaluations,
  };
}

/** P(Z > x) for a standard normal. */
function normalTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** erfc by the continued fraction for large x and the Taylor series of erf for small x (double precision). */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = 0,
      term = x,
      nTerm = 0;
    while (Math.abs(term) > 1e-17 * Math.abs(sum) || nTerm === 0) {
      sum += term / (2 * nTerm + 1);
      nTerm++;
      term *= (-x * x) / nTerm;
      if (nTerm > 200) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Lentz continued fraction for erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
  let f = x,
    C = x,
    D = 0;
  for (let i = 1; i < 300; i++) {
    const a = i / 2;
    D = x + a * D;
    D = 1 / D;
    C = x + a / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
