import type { Law, Params, Point } from '../core/law.ts';
import { formatPoint } from './formatPoint.ts';

export interface DerivedRequest {
  /** Compute budgets (FLOPs) for the compute-optimal allocation (laws with one: chinchilla). */
  compute: number[];
  /** Points at which to predict the loss. */
  at: Point[];
}

/**
 * Quantities derived from a law's parameters, by name, for intervals: for a law with a closed-form allocation
 * (chinchilla) the allocation exponents
 * a = beta/(alpha+beta), b = alpha/(alpha+beta) and G (Hoffmann et al. 2022, App. D.2 eq. 4), and at each compute
 * budget C: N_opt, D_opt, tokens per parameter D_opt/N_opt and the predicted loss there; for any law the predicted
 * loss at each requested point. Names are stable strings such as `N_opt(C=5.76e+23)` and `loss(N=7e+10,D=1.4e+12)`.
 *
 * @example derivedQuantities(chinchilla, params, { compute: [5.76e23], at: [] }).a
 */
export function derivedQuantities(law: Law, p: Params, req: DerivedRequest): Record<string, number> {
  const out: Record<string, number> = {};
  const allocate = law.closedFormAllocation?.allocate;
  if (allocate) {
    const { a, b, G } = allocate(p, 1);
    out.a = a;
    out.b = b;
    out.G = G;
    for (const C of req.compute) {
      const x = allocate(p, C);
      const tag = formatPoint({ C });
      out[`N_opt(${tag})`] = x.N_opt;
      out[`D_opt(${tag})`] = x.D_opt;
      out[`tokens_per_param(${tag})`] = x.D_opt / x.N_opt;
      out[`loss(${tag})`] = law.predict(p, { N: x.N_opt, D: x.D_opt });
    }
  }
  for (const pt of req.at) out[`loss(${formatPoint(pt)})`] = law.predict(p, pt);
  return out;
}
