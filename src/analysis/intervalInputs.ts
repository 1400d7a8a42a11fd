import type { Params } from '../core/law.ts';
import type { PredictionJson } from '../io/fitJsonSchema.ts';
import type { IntervalInputs } from './predictionInterval.ts';

/**
 * What `predictionInterval` needs, from the bootstrap's resample parameters and a fit JSON's `prediction` section
 * (scatter, training range, rolling-origin errors): the one conversion from the saved section to the inputs, used
 * for a fit read from a file and for one made in this process alike. Null without resamples (no parameter term, so
 * no interval).
 *
 * @example intervalInputs(resampleParams(boot.resamples.params, chinchilla), predictionSection(chinchilla, runs, fit, {}))
 */
export function intervalInputs(boot: Params[] | null, prediction: PredictionJson): IntervalInputs | null {
  if (!boot) return null;
  const { range, rolling_origin: ro } = prediction;
  return {
    boot,
    sigmaRun: prediction.sigma_run,
    range: {
      variables: range.variables,
      log10Min: range.log10_min,
      log10Max: range.log10_max,
      maxCompute: range.max_compute,
    },
    nested: ro.log_error.map((logError, i) => ({ fold: ro.fold[i]!, distance: ro.distance[i]!, logError })),
  };
}
