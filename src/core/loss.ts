/**
 * Robust losses on residuals r = log L-hat - log L (or L-hat - L in linear space).
 * - huber: Huber(r) = r²/2 if |r| <= delta, else delta(|r| - delta/2), summed over runs (Hoffmann et al. 2022
 *   App. D.2). Summed, not averaged: averaging scales the gradient by 1/n and makes L-BFGS's absolute tolerances
 *   stop it early, the failure Besiroglu et al. 2024 found in the original fit.
 * - mse: sum of r².
 * - huber-mle: Besiroglu et al. 2024's maximum likelihood under a Huber-shaped density with a fitted scale sigma
 *   (log space only); the objective is the negative log-likelihood (see fit/huberMle.ts).
 * - lad: sum of |r|, smoothed as Huber_eps(r)/eps with eps = 1e-9 so that the gradient exists everywhere; this
 *   differs from sum |r| by at most n·eps/2.
 */
export type LossKind = 'huber' | 'mse' | 'lad' | 'huber-mle';

/**
 * The loss on residuals, summed over runs: Huber with threshold `delta` (Hoffmann et al. 2022), squares or absolute
 * values; residuals of log loss or of loss.
 */
export interface LossSpec {
  kind: LossKind;
  /** Huber threshold (huber only). */
  delta: number;
  /** Residuals of log loss (default, as Hoffmann et al.) or of loss itself. */
  space: 'log' | 'linear';
}

export const LAD_EPSILON = 1e-9;
