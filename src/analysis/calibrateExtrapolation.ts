import { normalQuantile } from '../fit/uncertainty.ts';
import type { NestedPrediction } from './rollingOrigin.ts';

export interface ExtrapolationCalibration {
  level: number;
  /** Log-scale variance of an out-of-sample prediction at distance 0 (at least the train runs' scatter squared). */
  floor: number;
  /** Added log-scale variance per squared decade beyond the training range: the extrapolation term is sqrt(slope) d. */
  slope: number;
  /** The multiplier of the spread: the fold-weighted quantile of the nested scores (z when there are none). */
  multiplier: number;
  /** Nested predictions and folds the calibration used. */
  predictions: number;
  folds: number;
}

/**
 * Calibrate the prediction interval on the rolling-origin errors inside the training runs. The spread at distance d
 * (decades beyond the training range) is modelled as s(d)^2 = floor + slope d^2, with floor >= sigmaRun^2 (a
 * prediction just past the data is no better than the run-to-run scatter, and often worse) and slope >= 0, fitted by
 * weighted least squares to the squared nested errors; the multiplier q is the level-quantile of the scores
 * |e_i| / s(d_i), as in split conformal prediction (Vovk et al. 2005; Lei et al. 2018, JASA 113:1094). Every fold
 * (one forecast origin) weighs the same in both steps, whatever the number of runs it predicts: the errors of one
 * fold share its parameter error and are not independent. The interval is log L-hat ± q sqrt(sigma_param^2 + s(d)^2).
 * Assumes the errors of the nested folds at distance d are like those of the full fit at distance d: the misfit
 * seen inside the data continues beyond it, and errors grow with distance no faster than s(d).
 *
 * @example calibrateExtrapolation(rollingOriginBacktest(chinchilla, runs, {}).predictions, 0.005, 0.9).multiplier
 */
export function calibrateExtrapolation(
  predictions: readonly NestedPrediction[],
  sigmaRun: number,
  level: number,
): ExtrapolationCalibration {
  const z = normalQuantile((1 + level) / 2);
  const ps = predictions.filter((p) => Number.isFinite(p.logError) && Number.isFinite(p.distance));
  const s2 = sigmaRun ** 2;
  const counts = new Map<number, number>();
  for (const p of ps) counts.set(p.fold, (counts.get(p.fold) ?? 0) + 1);
  if (ps.length === 0) return { level, floor: s2, slope: 0, multiplier: z, predictions: 0, folds: 0 };
  const w = ps.map((p) => 1 / counts.get(p.fold)!);
  const { floor, slope } = varianceModel(ps, w, s2);
  const scored = ps
    .map((p, i) => ({ s: Math.abs(p.logError) / Math.sqrt(floor + slope * p.distance ** 2), w: w[i]! }))
    .sort((a, b) => a.s - b.s);
  const total = w.reduce((t, x) => t + x, 0);
  let acc = 0;
  let multiplier = scored[scored.length - 1]!.s;
  for (const x of scored) {
    acc += x.w;
    if (acc >= level * total * (1 - 1e-12)) {
      multiplier = x.s;
      break;
    }
  }
  return { level, floor, slope, multiplier, predictions: ps.length, folds: counts.size };
}

/** Weighted least squares of e^2 on (1, d^2) with floor >= s2 and slope >= 0. */
function varianceModel(
  ps: readonly NestedPrediction[],
  w: readonly number[],
  s2: number,
): { floor: number; slope: number } {
  let sw = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  ps.forEach((p, i) => {
    const x = p.distance ** 2,
      y = p.logError ** 2,
      wi = w[i]!;
    sw += wi;
    sx += wi * x;
    sy += wi * y;
    sxx += wi * x * x;
    sxy += wi * x * y;
  });
  const det = sw * sxx - sx * sx;
  let floor = sy / sw,
    slope = 0;
  if (det > 1e-12 * sw * sxx) {
    slope = (sw * sxy - sx * sy) / det;
    floor = (sy - slope * sx) / sw;
  }
  if (slope < 0) {
    slope = 0;
    floor = sy / sw;
  }
  if (floor < s2) {
    floor = s2;
    slope = sxx > 0 ? Math.max(0, (sxy - s2 * sx) / sxx) : 0;
  }
  return { floor, slope };
}
