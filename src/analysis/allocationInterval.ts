import type { Law, Params } from '../core/law.ts';
import { optimalAllocation } from './optimalAllocation.ts';
import type { Allocation } from './optimalAllocation.ts';

/** The compute-optimal allocation, or null where L(N, C/(6N)) has no interior minimum (a degenerate fit or resample). */
export function allocateOrNull(law: Law, params: Params, C: number): Allocation | null {
  try {
    return optimalAllocation(law, params, C);
  } catch {
    return null;
  }
}

/**
 * Percentile intervals of N_opt and D_opt at budget C over bootstrap resamples (Efron & Tibshirani 1993, ch. 13):
 * each resample's own allocation, the (1-level)/2 and (1+level)/2 percentiles. These are confidence intervals for
 * the allocation (a function of the parameters), not prediction intervals. Null with fewer than two allocatable
 * resamples.
 *
 * @example allocationInterval(chinchilla, boot, 1e24, 0.95)?.N // [lo, hi]
 */
export function allocationInterval(
  law: Law,
  boot: readonly Params[],
  C: number,
  level: number,
): { N: [number, number]; D: [number, number] } | null {
  const xs = boot
    .map((p) => allocateOrNull(law, p, C))
    .filter((a): a is Allocation => a !== null && Number.isFinite(a.N_opt) && Number.isFinite(a.D_opt));
  if (xs.length < 2) return null;
  const q = Number(((1 - level) / 2).toPrecision(12));
  const pct = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const at = (p: number) => {
      const h = (s.length - 1) * p;
      const i = Math.floor(h);
      return s[i]! + (h - i) * ((s[Math.min(i + 1, s.length - 1)] ?? s[i]!) - s[i]!);
    };
    return [at(q), at(1 - q)] as [number, number];
  };
  return { N: pct(xs.map((a) => a.N_opt)), D: pct(xs.map((a) => a.D_opt)) };
}
