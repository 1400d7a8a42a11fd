import type { Run, Variable } from '../core/run.ts';
import type { Law, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';

/** The box the training runs span in the law's variables (log10), and their largest compute. */
export interface TrainingRange {
  /** The variables the distance is measured in: the law's own (N and D for chinchilla, C for kaplan-c). */
  variables: Variable[];
  log10Min: Partial<Record<Variable, number>>;
  log10Max: Partial<Record<Variable, number>>;
  /** The largest training compute C = 6ND (FLOPs), or null when the runs have no C. */
  maxCompute: number | null;
}

/**
 * The training range of a law's fit: per variable the smallest and largest log10 value over the runs, and the largest
 * compute. Unique tokens U are left out of the distance (one corpus size for every run is the usual design).
 *
 * @example trainingRange(chinchilla, runs).log10Max.N // log10 of the largest model
 */
export function trainingRange(law: Law, runs: readonly Run[]): TrainingRange {
  const variables = law.variables.filter((v) => v !== 'U');
  const log10Min: Partial<Record<Variable, number>> = {};
  const log10Max: Partial<Record<Variable, number>> = {};
  for (const v of variables) {
    let lo = Infinity,
      hi = -Infinity;
    for (const r of runs) {
      const x = completePoint(r)[v];
      if (x === undefined || !(x > 0)) continue;
      lo = Math.min(lo, Math.log10(x));
      hi = Math.max(hi, Math.log10(x));
    }
    if (lo <= hi) {
      log10Min[v] = lo;
      log10Max[v] = hi;
    }
  }
  let maxCompute = -Infinity;
  for (const r of runs) {
    const c = completePoint(r).C;
    if (c !== undefined && c > maxCompute) maxCompute = c;
  }
  return { variables, log10Min, log10Max, maxCompute: Number.isFinite(maxCompute) ? maxCompute : null };
}

/**
 * How far a point lies beyond the training range, in decades: the larger of (a) the decades of compute beyond the
 * largest training compute, log10(C / C_max), and (b) the decades outside the box the training runs span in the
 * law's variables (summed over N and D for chinchilla); 0 inside both. (a) is the forecaster's horizon (an isoFLOP
 * budget above every trained one is an extrapolation even where its N and D were each seen); (b) also counts a model
 * larger than any trained at a modest budget, and is the only measure for laws without compute.
 *
 * @example extrapolationDistance(range, { N: 70e9, D: 1.4e12 }) // 1.4 (decades) for runs up to 1.3e22 FLOPs
 */
export function extrapolationDistance(range: TrainingRange, point: Point): number {
  const q = completePoint(point);
  let box = 0;
  for (const v of range.variables) {
    const x = q[v];
    const lo = range.log10Min[v],
      hi = range.log10Max[v];
    if (x === undefined || !(x > 0) || lo === undefined || hi === undefined) continue;
    const l = Math.log10(x);
    box += Math.max(0, l - hi, lo - l);
  }
  const compute = q.C !== undefined && range.maxCompute !== null ? Math.max(0, Math.log10(q.C / range.maxCompute)) : 0;
  return Math.max(box, compute);
}

/** Target compute over the largest training compute (C = 6ND), or null when either is unknown. */
export function extrapolationFactor(range: TrainingRange, point: Point): number | null {
  const c = completePoint(point).C;
  return c !== undefined && range.maxCompute !== null ? c / range.maxCompute : null;
}
