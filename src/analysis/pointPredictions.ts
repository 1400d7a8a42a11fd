import type { Law, Params, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { allocateOrNull, allocationInterval } from './allocationInterval.ts';
import type { IntervalInputs, PredictionInterval } from './predictionInterval.ts';
import { predictionInterval } from './predictionInterval.ts';

export interface PointPrediction {
  point: Point;
  predicted: number;
  /** The calibrated prediction interval, or null without a bootstrap. */
  interval: PredictionInterval | null;
}

export interface AllocationPrediction {
  C: number;
  /** Null where the fitted law has no compute-optimal allocation at C. */
  N_opt: number | null;
  D_opt: number | null;
  tokensPerParam: number | null;
  /** The predicted loss at (N_opt, D_opt) with its prediction interval. */
  loss: PointPrediction | null;
  /** Bootstrap percentile intervals of N_opt and D_opt (confidence intervals of the allocation), or null. */
  N_ci: [number, number] | null;
  D_ci: [number, number] | null;
}

/**
 * Point estimates, always, and calibrated prediction intervals when `inputs` is given, at the requested points and
 * at the compute-optimal point of each budget (laws of N and D): what `fit --at/--compute`, `predict`, `optimal` and
 * `report` print, from one definition.
 *
 * @example pointPredictions(chinchilla, params, inputs, [{ N: 70e9, D: 1.4e12 }], [5.76e23], 0.9).at[0].interval
 */
export function pointPredictions(
  law: Law,
  params: Params,
  inputs: IntervalInputs | null,
  at: readonly Point[],
  compute: readonly number[],
  level: number,
  allocatable = true,
): { at: PointPrediction[]; compute: AllocationPrediction[] } {
  const predictAt = (p: Point): PointPrediction => {
    const point = completePoint(p);
    return {
      point,
      predicted: law.predict(params, point),
      interval: inputs ? predictionInterval(law, params, inputs, point, level) : null,
    };
  };
  return {
    at: at.map(predictAt),
    compute: allocatable
      ? compute.map((C) => {
          const a = allocateOrNull(law, params, C);
          const ci = a && inputs?.boot ? allocationInterval(law, inputs.boot, C, level) : null;
          return {
            C,
            N_opt: a?.N_opt ?? null,
            D_opt: a?.D_opt ?? null,
            tokensPerParam: a ? a.D_opt / a.N_opt : null,
            loss: a ? predictAt({ N: a.N_opt, D: a.D_opt }) : null,
            N_ci: ci?.N ?? null,
            D_ci: ci?.D ?? null,
          };
        })
      : [],
  };
}
