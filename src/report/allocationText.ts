import type { Allocation } from '../analysis/optimalAllocation.ts';
import { PF_DAY } from '../data/load.ts';
import { formatNumber } from '../core/formatNumber.ts';
import { textTable } from './textTable.ts';

/**
 * Allocations as a table with labelled units: compute in FLOPs and PF-days, N in parameters, D in tokens.
 *
 * @example allocationTable([{ compute: 5.76e23, N_opt: 3.2e10, D_opt: 3e12, tokens_per_param: 92.6, loss: 1.93 }])
 */
export function allocationTable(rows: readonly Allocation[]): string {
  return textTable([
    ['compute (FLOPs)', '(PF-days)', 'N_opt (params)', 'D_opt (tokens)', 'tokens/param', 'loss'],
    ...rows.map((r) => [
      formatNumber(r.compute, 4),
      formatNumber(r.compute / PF_DAY, 4),
      formatNumber(r.N_opt, 4),
      formatNumber(r.D_opt, 4),
      formatNumber(r.tokens_per_param, 4),
      formatNumber(r.loss, 5),
    ]),
  ]);
}

/** Just the five columns the JSON `allocations` rows promise (the analyses may carry more). */
export function allocationJson(r: Allocation): Allocation {
  return { compute: r.compute, N_opt: r.N_opt, D_opt: r.D_opt, tokens_per_param: r.tokens_per_param, loss: r.loss };
}
