import { InputError } from '../core/errors.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import type { LossSpec } from '../core/loss.ts';
import type { Run } from '../core/run.ts';
import { fitLawLM, fitLevenbergMarquardt, fitLogLinear } from './leastSquares.ts';
import { fitMultistart } from './multistart.ts';
import { fitHuberMle } from './fitHuberMle.ts';
import type { FitOptionsInput } from './options.ts';
import { selectFitRuns } from './selectFitRuns.ts';

/**
 * Fit a law to runs; the strategy follows from the options and what the law declares, never from its name:
 * - `optimizer: 'lm'`: Levenberg-Marquardt for any law (least squares only; see `fitLawLM`);
 * - a law that declares `fitting` (the Kaplan et al. 2020 laws, which they fit by least squares on log loss), asked
 *   for no robust loss, constraint or explicit starts: 'log-linear' is a straight line in log-log space, so ordinary
 *   linear regression gives the exact least-squares optimum in one pass, with no starts and no iterations to go
 *   wrong; 'least-squares' (an offset E, the joint L(N,D) and L(N,S)) is a small, smooth nonlinear least-squares
 *   problem, where Levenberg-Marquardt with the analytic Jacobian of the law's `logPredict` converges quadratically
 *   near the optimum; a few starts from the law guard against a wrong basin;
 * - `loss.kind: 'huber-mle'`: the Huber fit below, then Besiroglu et al. 2024's likelihood with a fitted scale
 *   maximised from its optimum (`fitHuberMle`);
 * - otherwise (and for those laws with a robust loss or fixed/tied/bounded parameters, which are not least squares any
 *   more): multi-start L-BFGS on the requested loss (Hoffmann et al. 2022, App. D.2).
 * A law that declares `fitOnFrontier` is fitted on the compute-efficient frontier; the message says how many runs
 * were kept.
 *
 * @example
 * import { fitLaw, getLaw, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const fit = fitLaw(getLaw('chinchilla'), ds.runs);
 * fit.converged; // → true
 * // Besiroglu et al. 2024's refit of these runs: alpha 0.3473, beta 0.3672
 * fit.params.alpha; // → 0.3473
 * fit.params.beta; // → 0.3672
 */
export function fitLaw(law: Law, runs: readonly Run[], options: FitOptionsInput = {}): FitResult {
  if (options.loss?.kind === 'huber-mle') return fitHuberMle(law, runs, options, fitLaw);
  if (options.optimizer === 'lm') return fitLawLM(law, runs, options);
  if (!law.fitting) return fitMultistart(law, runs, options);
  const t0 = performance.now();
  const selected = selectFitRuns(law, runs);
  const withNote = (r: FitResult): FitResult => ({
    ...r,
    message: selected.note ? `${r.message}; ${selected.note}` : r.message,
    wallMs: performance.now() - t0,
  });
  const c = options.constraints ?? {};
  const constrained =
    Object.keys(c.fix ?? {}).length + Object.keys(c.tie ?? {}).length + Object.keys(c.bounds ?? {}).length > 0;
  const loss: LossSpec = { kind: 'mse', delta: options.loss?.delta ?? 1e-3, space: options.loss?.space ?? 'log' };
  const kind = options.loss?.kind ?? 'mse';
  if (constrained || kind !== 'mse' || Array.isArray(options.starts)) {
    // A constraint changes the parameter space, not the loss: without --loss it stays least squares.
    return withNote(fitMultistart(law, selected.runs, { ...options, loss: { ...options.loss, kind } }));
  }
  const k = law.paramNames.length;
  if (selected.runs.length < k) {
    throw new InputError(
      `${selected.runs.length} runs cannot determine ${k} parameters of ${law.name}; need at least ${k} runs`,
    );
  }
  if (law.fitting === 'log-linear' && loss.space === 'log')
    return withNote(fitLogLinear(law, law.variables[0]!, selected.runs, loss));
  return withNote(fitLevenbergMarquardt(law, selected.runs, loss));
}
