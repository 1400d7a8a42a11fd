import type { Params } from './law.ts';
import type { LossSpec } from './loss.ts';

/** What a fit returns, lmfit-like: parameters, objective, convergence, evaluations, AIC/BIC. */
export interface FitResult {
  law: string;
  params: Params;
  /** The optimiser's coordinates at the optimum (for chinchilla: a, b, e, alpha, beta). */
  theta: number[];
  objective: number;
  loss: LossSpec;
  n: number;
  /** Free parameters after fixing and tying. */
  nFree: number;
  converged: boolean;
  message: string;
  /** Objective evaluations (each with its gradient) over all starts and the polish. */
  nfev: number;
  iterations: number;
  starts: { strategy: string; count: number; converged: number; abandoned: number };
  fixed: string[];
  tied: Record<string, string>;
  bounds: Record<string, [number, number]>;
  /** Parameters that ended on (within 1e-6 of) a bound. */
  atBound: string[];
  /** Sum of squared residuals in the fitted space, and the Gaussian AIC/BIC from it (as lmfit computes them). */
  rss: number;
  /** huber-mle only: the fitted scale sigma of the log-loss residuals. */
  scale?: number;
  aic: number;
  bic: number;
  wallMs: number;
}
