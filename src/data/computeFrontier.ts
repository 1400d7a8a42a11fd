import type { Run } from '../core/run.ts';

/**
 * The compute-efficient frontier (Kaplan et al. 2020, Sec. 6, L(C_min)): the lower envelope of loss against compute.
 * A run is kept only if no run with less or equal compute has a lower loss. Returned in increasing compute.
 *
 * @example computeFrontier(runs).length // how many runs lie on the frontier
 */
export function computeFrontier(runs: readonly Run[]): Run[] {
  const sorted = runs
    .filter((r) => r.C !== undefined && Number.isFinite(r.C))
    .sort((p, q) => p.C! - q.C! || p.loss - q.loss);
  const kept: Run[] = [];
  let best = Infinity;
  for (const r of sorted) {
    if (r.loss <= best) {
      kept.push(r);
      best = r.loss;
    }
  }
  return kept;
}
