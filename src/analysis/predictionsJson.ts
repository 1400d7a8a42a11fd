import type { IntervalJson, PointPredictionJson, PredictionsJson } from '../io/fitJsonSchema.ts';
import type { AllocationPrediction, PointPrediction } from './pointPredictions.ts';
import type { PredictionInterval } from './predictionInterval.ts';

function intervalJson(i: PredictionInterval): IntervalJson {
  return {
    predicted: i.predicted,
    lo: i.lo,
    hi: i.hi,
    level: i.level,
    distance: i.distance,
    factor: i.factor,
    multiplier: i.multiplier,
    sigma_param: i.sigmaParam,
    sigma_run: i.sigmaRun,
    sigma_extrapolation: i.sigmaExtrapolation,
  };
}

function pointJson(p: PointPrediction): PointPredictionJson {
  return { point: p.point, predicted: p.predicted, interval: p.interval ? intervalJson(p.interval) : null };
}

/**
 * Point predictions (pointPredictions) as the fit JSON's `predictions.at` and `predictions.compute`: the same figures
 * under the JSON's snake_case keys (`tokens_per_param`, the interval's `sigma_param`, `sigma_run`,
 * `sigma_extrapolation`), in the order they are written.
 *
 * @example predictionsJson(pointPredictions(chinchilla, params, null, [], [5.76e23], 0.95)).compute[0].tokens_per_param
 */
export function predictionsJson(p: {
  at: PointPrediction[];
  compute: AllocationPrediction[];
}): Pick<PredictionsJson, 'at' | 'compute'> {
  return {
    at: p.at.map(pointJson),
    compute: p.compute.map((c) => ({
      C: c.C,
      N_opt: c.N_opt,
      D_opt: c.D_opt,
      tokens_per_param: c.tokensPerParam,
      loss: c.loss ? pointJson(c.loss) : null,
      N_ci: c.N_ci,
      D_ci: c.D_ci,
    })),
  };
}
