import type { Run } from '../core/run.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import type { PredictionJson } from '../io/fitJsonSchema.ts';
import { trainingRange } from './extrapolationDistance.ts';
import { INTERVAL_METHOD } from './predictionInterval.ts';
import { rollingOriginBacktest } from './rollingOrigin.ts';
import { runScatter } from './runScatter.ts';

/**
 * Build the `prediction` section of a fit JSON: the run-to-run scatter, the training range and the rolling-origin
 * backtests inside the train runs. With the bootstrap resamples this is everything `predictionInterval` needs, at
 * any level, so a saved fit gives the same interval in every command.
 *
 * @example predictionSection(chinchilla, runs, fitLaw(chinchilla, runs), {}).rolling_origin.folds.length // 3 to 5
 */
export function predictionSection(
  law: Law,
  runs: readonly Run[],
  fit: FitResult,
  fitOptions: FitOptionsInput,
): PredictionJson {
  const ro = rollingOriginBacktest(law, runs, fitOptions, fit.nFree);
  const range = trainingRange(law, runs);
  return {
    method: INTERVAL_METHOD,
    sigma_run: runScatter(law, fit.params, runs, fit.nFree),
    range: {
      variables: range.variables,
      log10_min: range.log10Min,
      log10_max: range.log10Max,
      max_compute: range.maxCompute,
    },
    // The nested predictions as columns: fold index, decades beyond the fold's range, log predicted - log actual.
    rolling_origin: {
      key: ro.key,
      folds: ro.folds,
      fold: ro.predictions.map((p) => p.fold),
      distance: ro.predictions.map((p) => p.distance),
      log_error: ro.predictions.map((p) => p.logError),
      notes: ro.notes,
    },
  };
}
