import type { Law, Params, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { normalQuantile } from '../fit/uncertainty.ts';
import { calibrateExtrapolation } from './calibrateExtrapolation.ts';
import type { ExtrapolationCalibration } from './calibrateExtrapolation.ts';
import type { TrainingRange } from './extrapolationDistance.ts';
import { extrapolationDistance, extrapolationFactor } from './extrapolationDistance.ts';
import type { NestedPrediction } from './rollingOrigin.ts';
import { quantileSorted } from '../math/quantile.ts';

/** What a prediction interval needs besides the law and parameters; all of it is kept in the fit JSON. */
export interface IntervalInputs {
  /** Bootstrap resample parameters (the parameter term), or null. */
  boot: Params[] | null;
  /** Run-to-run scatter: robust spread of the train runs' log residuals. */
  sigmaRun: number;
  range: TrainingRange;
  /** Rolling-origin errors inside the training runs (the extrapolation term), or null when there were too few runs. */
  nested: NestedPrediction[] | null;
}

export interface PredictionInterval {
  predicted: number;
  lo: number;
  hi: number;
  level: number;
  /** Decades outside the training range, and target compute over the largest training compute. */
  distance: number;
  factor: number | null;
  /** The calibrated multiplier of the spread (the normal z when there is nothing to calibrate on). */
  multiplier: number;
  /** The log-scale spreads combined in quadrature: parameters, out-of-sample scatter at distance 0, extrapolation. */
  sigmaParam: number;
  sigmaRun: number;
  sigmaExtrapolation: number;
}

/** One line naming the method, for outputs that show an interval. */
export const INTERVAL_METHOD =
  'calibrated prediction interval exp(log L-hat ± q·sqrt(param² + floor + slope·d²)): param = robust bootstrap spread of log L-hat, floor >= the robust scatter of the train runs, d = decades beyond the training range, floor, slope and q calibrated on rolling-origin backtests inside the train runs (docs/prediction-intervals.md)';

/**
 * The prediction interval for the loss at a point, the one definition every command uses (fit --at, predict,
 * optimal, report, predictions.csv). On the log scale, where the fit's residuals live:
 *   log L-hat ± z sqrt(sigma_param^2 + sigma_run^2 + (tau d)^2), z the normal (1+level)/2 quantile,
 * - sigma_param: the bootstrap spread of log L-hat, robustly as half the level-percentile interval over z (a few
 *   wild resamples do not inflate it as a standard deviation would);
 * - sigma_run: the run-to-run scatter of the train runs around the fit;
 * - tau d: the extrapolation term, d the decades outside the training range and tau calibrated at this level by
 *   rolling-origin backtests inside the train runs (calibrateExtrapolation).
 * Null without a bootstrap.
 *
 * @example predictionInterval(chinchilla, fit.params, inputs, { N: 70e9, D: 1.4e12 }, 0.9) // { predicted, lo, hi, ... }
 */
export function predictionInterval(
  law: Law,
  params: Params,
  inputs: IntervalInputs,
  point: Point,
  level: number,
): PredictionInterval | null {
  const q = completePoint(point);
  const predicted = law.predict(params, q);
  if (!inputs.boot) return null;
  const z = normalQuantile((1 + level) / 2);
  const logs = inputs.boot
    .map((p) => Math.log(law.predict(p, q)))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (logs.length < 2) return null;
  const a = (1 - level) / 2;
  const sigmaParam = (quantileSorted(logs, 1 - a) - quantileSorted(logs, a)) / (2 * z);
  const distance = extrapolationDistance(inputs.range, q);
  const cal = calibration(inputs.nested ?? [], inputs.sigmaRun, level);
  const sigmaExtrapolation = Math.sqrt(cal.slope) * distance;
  const half = cal.multiplier * Math.sqrt(sigmaParam ** 2 + cal.floor + sigmaExtrapolation ** 2);
  const center = Math.log(predicted);
  return {
    predicted,
    lo: Math.exp(center - half),
    hi: Math.exp(center + half),
    level,
    distance,
    factor: extrapolationFactor(inputs.range, q),
    multiplier: cal.multiplier,
    sigmaParam,
    sigmaRun: Math.sqrt(cal.floor),
    sigmaExtrapolation,
  };
}

const cache = new WeakMap<readonly NestedPrediction[], Map<string, ExtrapolationCalibration>>();

/** The calibration for these nested errors at this level (memoised: a report asks for it once per run). */
function calibration(nested: readonly NestedPrediction[], sigmaRun: number, level: number): ExtrapolationCalibration {
  let m = cache.get(nested);
  if (!m) cache.set(nested, (m = new Map()));
  const k = `${sigmaRun} ${level}`;
  let c = m.get(k);
  if (c === undefined) m.set(k, (c = calibrateExtrapolation(nested, sigmaRun, level)));
  return c;
}
