import type { LossSpec } from '../core/loss.ts';

/**
 * The maximised log-likelihood of a fit, where its loss is one:
 * - mse: Gaussian residuals with the variance at its maximum-likelihood value RSS/n,
 *   log L = -n/2 (log(2 pi RSS/n) + 1) (of log loss or of loss, per `loss.space`);
 * - huber-mle: minus the objective, the negative log-likelihood Besiroglu et al. 2024 minimise;
 * - huber and lad: null. A Huber loss with a fixed threshold and no scale, or a sum of absolute values, is not a
 *   likelihood of the residuals, so two such fits cannot be compared by a likelihood-ratio test.
 *
 * @example fitLogLikelihood({ loss: { kind: 'mse', delta: 1e-3, space: 'log' }, n: 240, rss: 0.0137, objective: 0.0137 })
 */
export function fitLogLikelihood(fit: {
  loss: LossSpec;
  n: number;
  rss: number | null;
  objective: number | null;
}): number | null {
  if (fit.loss.kind === 'huber-mle') return fit.objective === null ? null : -fit.objective;
  if (fit.loss.kind !== 'mse' || fit.rss === null || !(fit.n > 0)) return null;
  return (-fit.n / 2) * (Math.log((2 * Math.PI * Math.max(fit.rss, Number.MIN_VALUE)) / fit.n) + 1);
}
