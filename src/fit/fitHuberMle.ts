import { InputError } from '../core/errors.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import type { Run } from '../core/run.ts';
import { huberMle } from './huberMle.ts';
import type { FitOptionsInput } from './options.ts';
import { FIT_DEFAULTS } from './options.ts';
import { selectFitRuns } from './selectFitRuns.ts';

/**
 * The `huber-mle` loss (Besiroglu et al. 2024, arXiv:2404.10102, their headline estimator): maximum likelihood
 * under a Huber-shaped density of the log-loss residuals with a fitted scale sigma (see `huberMle`). `fit` first
 * runs the usual multi-start Huber fit (same delta, same constraints) through `fitOnce`, then maximises the
 * likelihood over the parameters and log sigma jointly from its optimum and from the law's own starts (the best
 * wins: the near-LAD likelihood has shallow local optima), with sigma starting at its
 * closed-form optimum when every scaled residual is in Huber's linear region (sigma = delta · mean |r|). The
 * objective reported is the negative log-likelihood, which is what a likelihood-ratio test between two such fits
 * compares; `scale` is sigma.
 *
 * @example fitHuberMle(chinchilla, runs, { loss: { kind: 'huber-mle' } }, fitLaw).scale // e.g. 4.7e-6
 */
export function fitHuberMle(
  law: Law,
  runs: readonly Run[],
  options: FitOptionsInput,
  fitOnce: (law: Law, runs: readonly Run[], o: FitOptionsInput) => FitResult,
): FitResult {
  const t0 = performance.now();
  if (options.loss?.space === 'linear')
    throw new InputError(
      '--loss huber-mle is a likelihood of log-loss residuals (Besiroglu et al. 2024); it takes no --space linear',
    );
  if (options.optimizer === 'lm')
    throw new InputError('--optimizer lm is least squares only; --loss huber-mle uses L-BFGS');
  const delta = options.loss?.delta ?? FIT_DEFAULTS.loss.delta;
  const base = fitOnce(law, runs, { ...options, loss: { kind: 'huber', delta, space: 'log' } });
  // The runs the base fit used (a frontier law keeps a subset).
  const used = selectFitRuns(law, runs).runs;
  const X = makeDesign(used);
  const pred = new Float64Array(X.n);
  law.logPredict(Float64Array.from(base.theta), X, pred);
  let meanAbs = 0;
  for (let i = 0; i < X.n; i++) meanAbs += Math.abs(pred[i]! - X.logLoss[i]!) / X.n;
  const s0 = Math.log(Math.max(delta * meanAbs, 1e-300));
  const constraints = {
    fix: Object.fromEntries(base.fixed.map((p) => [p, base.params[p]!])),
    tie: base.tied,
    bounds: base.bounds,
  };
  // The likelihood is near-LAD (sigma ends far below the residuals), piecewise and with shallow local optima a few
  // 1e-2 apart: maximise it from the Huber optimum and from each of the law's own starts, and keep the best.
  const starts = [base.theta, ...(Array.isArray(options.starts) ? options.starts : law.starts(X, 'default'))];
  let m = huberMle(law, used, base.theta, delta, s0, constraints);
  let nfev = m.nfev;
  for (const start of starts.slice(1)) {
    const r = huberMle(law, used, start, delta, s0, constraints);
    nfev += r.nfev;
    if (r.negLogLik < m.negLogLik) m = r;
  }
  const improved = Number.isFinite(m.negLogLik) && m.theta.every(Number.isFinite);
  if (!improved)
    return {
      ...base,
      converged: false,
      message: `huber-mle: the likelihood was not finite from the Huber fit (${m.message})`,
    };
  law.logPredict(Float64Array.from(m.theta), X, pred);
  let rss = 0;
  for (let i = 0; i < X.n; i++) rss += (pred[i]! - X.logLoss[i]!) ** 2;
  const n = X.n,
    k = base.nFree;
  const gaussian = n * Math.log(Math.max(rss, Number.MIN_VALUE) / n);
  return {
    ...base,
    params: m.params,
    theta: m.theta,
    objective: m.negLogLik,
    loss: { kind: 'huber-mle', delta, space: 'log' },
    scale: Math.exp(m.logSigma),
    converged: m.converged,
    message: `${m.message} (maximum likelihood from the Huber fit's optimum)${law.fitOnFrontier ? `; ${selectFitRuns(law, runs).note}` : ''}`,
    nfev: base.nfev + nfev,
    rss,
    aic: gaussian + 2 * k,
    bic: gaussian + k * Math.log(n),
    wallMs: performance.now() - t0,
  };
}
