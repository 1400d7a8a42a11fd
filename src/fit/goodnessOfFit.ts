import type { Law, Params, Point } from '../core/law.ts';
import type { Run } from '../core/run.ts';

/** How well a fitted law describes the runs it was fitted on, in loss and in log loss. */
export interface GoodnessOfFit {
  /** Runs scored (a frontier law: its frontier runs, the ones it was fitted on). */
  runs: number;
  /** R² = 1 - SS_res/SS_tot of the loss L itself (residuals L-hat - L, about the mean loss). */
  r2: number;
  /** R² of log L (residuals log L-hat - log L, about the mean log loss): the space Hoffmann et al. fit in. */
  r2Log: number;
  /** sqrt(mean (L-hat - L)²), in nats. */
  rmse: number;
  /** sqrt(mean (log L-hat - log L)²): about the relative error of a prediction. */
  rmseLog: number;
}

/**
 * R² and RMSE of a law's predictions on runs, both on the loss and on the log loss (papers report either: Kaplan et
 * al. 2020 and most replications quote R² of the loss, Hoffmann et al. 2022 fit log loss). R² is 1 - SS_res/SS_tot,
 * so it is below 1 and can be negative (a law worse than the mean); with one run, or runs of equal loss, SS_tot is 0
 * and R² is NaN.
 *
 * @example goodnessOfFit(chinchilla, fit.params, runs).r2Log // e.g. 0.996
 */
export function goodnessOfFit(law: Law, params: Params, runs: readonly Run[]): GoodnessOfFit {
  const n = runs.length;
  let mean = 0,
    meanLog = 0;
  for (const r of runs) {
    mean += r.loss / n;
    meanLog += Math.log(r.loss) / n;
  }
  let ssRes = 0,
    ssTot = 0,
    ssResLog = 0,
    ssTotLog = 0;
  // One scratch point refilled per run (a point object per run is a million allocations on a loss-curve log).
  const point: Point = {};
  for (const r of runs) {
    point.N = r.N;
    point.D = r.D;
    point.C = r.C;
    point.S = r.S;
    point.U = r.U;
    const pred = law.predict(params, point);
    const logLoss = Math.log(r.loss);
    ssRes += (pred - r.loss) ** 2;
    ssTot += (r.loss - mean) ** 2;
    ssResLog += (Math.log(pred) - logLoss) ** 2;
    ssTotLog += (logLoss - meanLog) ** 2;
  }
  return {
    runs: n,
    r2: ssTot > 0 ? 1 - ssRes / ssTot : NaN,
    r2Log: ssTotLog > 0 ? 1 - ssResLog / ssTotLog : NaN,
    rmse: Math.sqrt(ssRes / n),
    rmseLog: Math.sqrt(ssResLog / n),
  };
}
