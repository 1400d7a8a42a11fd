import { chinchillaAllocation } from '../analysis/chinchillaAllocation.ts';
import type { Law, Params } from '../laws/types.ts';

/** Compute-optimal N and D at one budget, with the tokens per parameter D/N. */
export interface Allocation {
  C: number;
  N_opt: number;
  D_opt: number;
  loss: number;
}

/**
 * Compute-optimal allocation under C = 6ND for any law over (N, D): argmin_N L(N, C/(6N)). Chinchilla uses the closed
 * form (Hoffmann et al. 2022, App. D.2 eq. 4); other laws a golden-section search on log N, which is exact for any
 * law whose loss is unimodal along the iso-FLOP curve (true for sums of decreasing power laws).
 *
 * @example allocate(chinchilla, { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }, 5.76e23).N_opt // ~3.3e10
 */
export function allocate(law: Law, params: Params, C: number): Allocation {
  if (law.name === 'chinchilla') {
    const a = chinchillaAllocation(params, C);
    return { C, N_opt: a.N_opt, D_opt: a.D_opt, loss: law.predict(params, { N: a.N_opt, D: a.D_opt }) };
  }
  const f = (logN: number) => law.predict(params, { N: Math.exp(logN), D: C / (6 * Math.exp(logN)) });
  // Search N from 1 parameter up to the N that leaves one token: every allocation C = 6ND can take.
  let lo = 0, hi = Math.log(C / 6);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
  let f1 = f(x1), f2 = f(x2);
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    if (f1 < f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = f(x1); }
    else { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = f(x2); }
  }
  const N = Math.exp((lo + hi) / 2);
  return { C, N_opt: N, D_opt: C / (6 * N), loss: law.predict(params, { N, D: C / (6 * N) }) };
}
