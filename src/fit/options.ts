import type { LossSpec } from '../core/loss.ts';
import type { LbfgsOptions } from '../math/lbfgs.ts';
import type { Constraints } from './constraints.ts';

/** Where a multi-start fit starts: the law's cheap default starts, or its exhaustive grid (Hoffmann et al. App. D.2). */
export type StartStrategy = 'default' | 'hoffmann';

/** The fitter's options, complete (see `resolveFitOptions`): loss, starts, constraints, tolerances, optimiser. */
export interface FitOptions {
  loss: LossSpec;
  /** 'hoffmann': the law's exhaustive grid; 'default': the law's own (cheaper) starts; or explicit theta starts. */
  starts: StartStrategy | number[][];
  constraints: Constraints;
  /** Tolerances for each start of a grid. The defaults are scipy L-BFGS-B's (pgtol 1e-5, factr 1e7). */
  gridTolerance: Partial<LbfgsOptions>;
  /** Tolerances for the final polish of the best starts: tight, so the reported optimum is the optimum. */
  polishTolerance: Partial<LbfgsOptions>;
  /** How many of the best distinct grid results are polished. */
  polish: number;
  /** Extra theta starts tried before the strategy's own (e.g. the full-data optimum for a bootstrap refit). */
  warmStarts: number[][];
  /** Called during the multi-start stage (for a progress bar); never passed to worker threads. */
  onProgress?: (done: number, total: number) => void;
  /** Where the runs came from (a file name), for error messages. */
  source?: string;
  /**
   * 'lbfgs' (default): multi-start L-BFGS on any loss. 'lm': Levenberg-Marquardt (ml-levenberg-marquardt, analytic
   * Jacobian) from the law's best starts; least squares only (--loss mse), without constraints.
   */
  optimizer?: 'lbfgs' | 'lm';
}

/**
 * What callers pass: any subset of the options, and of the loss. A loss kind left out means the law's own default:
 * huber for the general fitter, least squares for a law that declares `fitting` (the Kaplan laws), so giving
 * `--space log` or `--delta` alone never switches a law's loss.
 */
export type FitOptionsInput = Partial<Omit<FitOptions, 'loss'>> & { loss?: Partial<LossSpec> };

export const FIT_DEFAULTS: FitOptions = {
  loss: { kind: 'huber', delta: 1e-3, space: 'log' },
  starts: 'default',
  constraints: {},
  gridTolerance: { gtol: 1e-5, ftol: 2.220446049250313e-9, fscale: 1, maxIterations: 15000 },
  polishTolerance: { gtol: 1e-11, ftol: 1e-15, fscale: 0, maxIterations: 5000, maxEvaluations: 20000 },
  polish: 2,
  warmStarts: [],
};

/** Resolve partial options into a complete object once, so the rest of the code never checks for undefined. */
export function resolveFitOptions(o: FitOptionsInput = {}): FitOptions {
  return {
    ...FIT_DEFAULTS,
    ...o,
    loss: { ...FIT_DEFAULTS.loss, ...o.loss },
    gridTolerance: { ...FIT_DEFAULTS.gridTolerance, ...o.gridTolerance },
    polishTolerance: { ...FIT_DEFAULTS.polishTolerance, ...o.polishTolerance },
    constraints: o.constraints ?? {},
  };
}
