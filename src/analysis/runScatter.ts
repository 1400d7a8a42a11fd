import type { Run } from '../core/run.ts';
import type { Law, Params } from '../core/law.ts';
import { completePoint } from '../core/law.ts';

/**
 * The run-to-run scatter of runs around a fitted law on the log scale, robustly: 1.4826 x the median absolute log
 * residual (the MAD about zero, a consistent estimate of a normal sd that a few outliers, which the Huber fit
 * down-weights, cannot inflate), and at least the dof-corrected root-mean-square over the central runs would give.
 * Residuals are log L - log L-hat, the scale the fit minimises.
 *
 * @example runScatter(chinchilla, fit.params, runs) // ~0.007 on Epoch's Chinchilla data
 */
export function runScatter(law: Law, params: Params, runs: readonly Run[], nFree = law.paramNames.length): number {
  const r = runs
    .map((run) => Math.abs(Math.log(run.loss) - Math.log(law.predict(params, completePoint(run)))))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (r.length === 0) return 0;
  const n = r.length;
  const median = n % 2 ? r[(n - 1) / 2]! : (r[n / 2 - 1]! + r[n / 2]!) / 2;
  // The fit has used nFree degrees of freedom: scale up as s^2 = RSS/(n-k) does.
  return 1.4826 * median * Math.sqrt(n / Math.max(1, n - nFree));
}
