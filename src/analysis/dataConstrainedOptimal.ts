import { InputError } from '../core/errors.ts';
import { datacon } from '../laws/datacon.ts';
import type { Params } from '../core/law.ts';
import { chinchillaAllocation } from '../laws/chinchillaAllocation.ts';
import { minimize1d } from '../math/minimize1d.ts';

/** One allocation when unique data is limited: N, D, epochs over the U unique tokens, and the data-constrained loss. */
export interface DataConstrainedAllocation {
  N: number;
  D: number;
  /** D / U: passes over the unique data (1 = a single epoch). */
  epochs: number;
  /** The data-constrained law's loss at this allocation, with U unique tokens. */
  loss: number;
}

/**
 * The data-constrained optimum for a budget, the Chinchilla allocation of the same budget scored with the same U, and
 * the unconstrained loss.
 */
export interface DataConstrainedOptimum {
  compute: number;
  uniqueTokens: number;
  /** The best N (and D = C/6N, epochs = D/U) for the budget when only U unique tokens exist. */
  optimum: DataConstrainedAllocation;
  /** The Chinchilla compute-optimal allocation of the same budget (closed form, ignoring the data limit), scored by
   * the data-constrained law with the same U: what following Chinchilla would cost when data is short. */
  chinchilla: DataConstrainedAllocation;
  /** The loss the budget would reach with unlimited unique data (Chinchilla allocation, U = D). */
  unconstrainedLoss: number;
}

/**
 * Compute-optimal allocation under a unique-data budget (Muennighoff et al. 2023, §3, where they derive data-constrained compute-optimal allocations): for a compute
 * budget C = 6ND and U unique tokens, minimise the data-constrained loss L(N, D = C/6N, U) over N (numerically in
 * log N). When U exceeds the Chinchilla-optimal D the answer is Chinchilla's; when data is short, the optimum trains
 * for several epochs, and because excess parameters lose value faster than repeated tokens when R_N* < R_D* (as in
 * the paper's fit), it tends to prefer more epochs over a larger model (the paper finds epochs should grow before parameters).
 *
 * @example
 * import { dataConstrainedOptimal } from 'scalefit';
 * // Muennighoff et al. 2023's decay constants R_D* = 15.4, R_N* = 5.3 on Hoffmann et al.'s fit; 1e10 unique tokens
 * const params = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28, R_D_star: 15.4, R_N_star: 5.3 };
 * const r = dataConstrainedOptimal(params, 1e22, 1e10);
 * r.optimum.epochs; // → 38.67
 */
export function dataConstrainedOptimal(p: Params, compute: number, uniqueTokens: number): DataConstrainedOptimum {
  if (!(compute > 0) || !Number.isFinite(compute)) throw new InputError(`--compute ${compute}: expected FLOPs > 0`);
  if (!(uniqueTokens > 0) || !Number.isFinite(uniqueTokens))
    throw new InputError(`--unique-tokens ${uniqueTokens}: expected a token count > 0`);
  for (const k of datacon.paramNames)
    if (!Number.isFinite(p[k])) throw new InputError(`the fit lacks parameter ${k} of the data-constrained law`);
  const U = uniqueTokens;
  const at = (N: number): DataConstrainedAllocation => {
    const D = compute / (6 * N);
    return { N, D, epochs: D / U, loss: datacon.predict(p, { N, D, U }) };
  };
  const ch = chinchillaAllocation(p, compute);
  // Search N from 1e-6 to 1e6 times Chinchilla's choice, keeping D >= 1 token.
  const centre = Math.log(ch.N_opt);
  const hi = Math.min(centre + Math.log(1e6), Math.log(compute / 6));
  const { x } = minimize1d((lnN) => Math.log(at(Math.exp(lnN)).loss), centre - Math.log(1e6), hi, 1200);
  return {
    compute,
    uniqueTokens: U,
    optimum: at(Math.exp(x)),
    chinchilla: at(ch.N_opt),
    unconstrainedLoss: datacon.predict(p, { N: ch.N_opt, D: ch.D_opt, U: ch.D_opt }),
  };
}
