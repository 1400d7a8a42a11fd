import type { Run } from '../core/run.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import type { TrainingRange } from './extrapolationDistance.ts';
import { trainingRange } from './extrapolationDistance.ts';
import { INTERVAL_METHOD } from './predictionInterval.ts';
import type { RollingOriginFold } from './rollingOrigin.ts';
import { rollingOriginBacktest } from './rollingOrigin.ts';
import { runScatter } from './runScatter.ts';

/** The fit JSON's `prediction` section: what predict, optimal and report need for a prediction interval. */
export interface PredictionSection {
  method: string;
  /** Robust run-to-run scatter of the train runs' log residuals. */
  sigmaRun: number;
  range: TrainingRange;
  rollingOrigin: {
    key: string;
    folds: RollingOriginFold[];
    /** The nested predictions as columns: fold index, decades beyond the fold's range, log predicted - log actual. */
    fold: number[];
    distance: number[];
    logError: number[];
    notes: string[];
  };
}

/**
 * Build the `prediction` section of a fit JSON: the run-to-run scatter, the training range and the rolling-origin
 * backtests inside the train runs. With the bootstrap resamples this is everything `predictionInterval` needs, at
 * any level, so a saved fit gives the same interval in every command.
 *
 * @example predictionSection(chinchilla, runs, fitLaw(chinchilla, runs), {}).rollingOrigin.folds.length // 3 to 5
 */
export function predictionSection(law: Law, runs: readonly Run[], fit: FitResult, fitOptions: FitOptionsInput): PredictionSection {
  const ro = rollingOriginBacktest(law, runs, fitOptions, fit.nFree);
  return {
    method: INTERVAL_METHOD,
    sigmaRun: runScatter(law, fit.params, runs, fit.nFree),
    range: trainingRange(law, runs),
    rollingOrigin: {
      key: ro.key,
      folds: ro.folds,
      fold: ro.predictions.map((p) => p.fold),
      distance: ro.predictions.map((p) => p.distance),
      logError: ro.predictions.map((p) => p.logError),
      notes: ro.notes,
    },
  };
}
