import type { Law, Params } from '../core/law.ts';
import type { LrSchedule } from '../core/schedule.ts';
import { percentile } from '../math/quantile.ts';
import { predictCurve } from './predictCurve.ts';

/** A predicted curve at given steps, with a percentile band from bootstrap parameters (absent without them). */
export interface CurvePrediction {
  steps: number[];
  loss: number[];
  lo?: number[];
  hi?: number[];
  /** The predicted curve of every bootstrap parameter set (rows), for paired comparisons between schedules. */
  draws?: Float64Array[];
}

/**
 * The predicted curve of a schedule at `steps`, and with bootstrap parameters the (1 - level)/2 and (1 + level)/2
 * percentiles of the refits' curves at each step: the band of the curve itself (parameter uncertainty), not of a
 * single noisy checkpoint.
 *
 * @example curveBand(law, fit.params, boot.params, schedule, [1000, 2000], 0.95).hi // upper ends, one per step
 */
export function curveBand(
  law: Law,
  params: Params,
  boot: readonly Params[] | null,
  schedule: LrSchedule,
  steps: readonly number[],
  level: number,
): CurvePrediction {
  const loss = [...predictCurve(law, params, schedule, steps)];
  if (!boot || boot.length < 2) return { steps: [...steps], loss };
  const draws = boot.map((p) => predictCurve(law, p, schedule, steps));
  const column = (j: number) => draws.map((d) => d[j]!);
  return {
    steps: [...steps],
    loss,
    lo: steps.map((_, j) => percentile(column(j), (1 - level) / 2)),
    hi: steps.map((_, j) => percentile(column(j), (1 + level) / 2)),
    draws,
  };
}
