import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { fitLaw } from '../fit/fit.ts';
import type { Law } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { extrapolationDistance, trainingRange } from './extrapolationDistance.ts';

/** One run predicted by a fold of the rolling-origin backtest. */
export interface NestedPrediction {
  /** Index of the fold (0: the smallest cut-off). */
  fold: number;
  /** Decades outside the fold's training range (see extrapolationDistance). */
  distance: number;
  /** log predicted - log actual: positive when the fold's law over-predicted the loss. */
  logError: number;
}

export interface RollingOriginFold {
  /** Runs with compute below this trained the fold; the fold predicted the train runs at or above it. */
  cutoff: number;
  train: number;
  predicted: number;
  converged: boolean;
}

export interface RollingOrigin {
  /** The variable the runs are ordered by: C when every run has it, else the law's first variable. */
  key: string;
  folds: RollingOriginFold[];
  predictions: NestedPrediction[];
  /** Folds that could not be fitted, and why. */
  notes: string[];
}

/** Cut-offs at these shares of the runs (by count, in key order): rolling origins over the upper half. */
const SHARES = [0.5, 0.6, 0.7, 0.8, 0.9];
/** Key values within this factor of each other are one group (an isoFLOP budget), never split by a cut-off. */
const SAME_GROUP = 1.1;

/**
 * Rolling-origin evaluation inside the training runs (Tashman 2000, "Out-of-sample tests of forecasting accuracy",
 * IJF 16:437): order the runs by compute, and for several cut-offs fit the law to the runs below the cut-off and
 * predict the runs above it, recording each prediction's log error against its distance (in decades) outside that
 * fold's training range. Cut-offs sit at about 50%, 60%, ..., 90% of the runs and never split a group of runs at one
 * budget; a fold needs at least max(2 x free parameters, 6) runs. The folds are fitted from the law's default starts
 * with the caller's loss and constraints and never see the runs they predict (no warm start from the full fit).
 *
 * @example rollingOriginBacktest(chinchilla, runs, {}).predictions // [{ fold, distance, logError }, ...]
 */
export function rollingOriginBacktest(
  law: Law,
  runs: readonly Run[],
  fitOptions: FitOptionsInput,
  nFree = law.paramNames.length,
): RollingOrigin {
  const hasC = runs.every((r) => completePoint(r).C !== undefined);
  const key = hasC ? 'C' : law.variables[0]!;
  const value = (r: Run) => (hasC ? completePoint(r).C! : (r[law.variables[0]!] ?? NaN));
  const sorted = [...runs].filter((r) => Number.isFinite(value(r))).sort((a, b) => value(a) - value(b));
  const n = sorted.length;
  // Group starts: indices where the key jumps by more than SAME_GROUP over the previous run.
  const starts: number[] = [];
  for (let i = 1; i < n; i++) if (value(sorted[i]!) > value(sorted[i - 1]!) * SAME_GROUP) starts.push(i);
  const minTrain = Math.max(2 * nFree, 6);
  const cuts = [
    ...new Set(
      SHARES.map((s) => {
        const target = s * n;
        let best = -1;
        for (const i of starts) if (best < 0 || Math.abs(i - target) < Math.abs(best - target)) best = i;
        return best;
      }),
    ),
  ]
    .filter((i) => i >= minTrain && i < n)
    .sort((a, b) => a - b);
  const { onProgress: _p, warmStarts: _w, ...plain } = fitOptions;
  void _p;
  void _w;
  const folds: RollingOriginFold[] = [];
  const predictions: NestedPrediction[] = [];
  const notes: string[] = [];
  for (const cut of cuts) {
    const train = sorted.slice(0, cut);
    const test = sorted.slice(cut);
    let fit;
    try {
      fit = fitLaw(law, train, {
        ...plain,
        starts: 'default',
        source: `fold below ${key} = ${value(sorted[cut]!).toExponential(2)}`,
      });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      notes.push(e.message);
      continue;
    }
    const range = trainingRange(law, train);
    const fold = folds.length;
    folds.push({ cutoff: value(sorted[cut]!), train: train.length, predicted: test.length, converged: fit.converged });
    for (const r of test) {
      const pred = law.predict(fit.params, completePoint(r));
      const logError = Math.log(pred) - Math.log(r.loss);
      if (Number.isFinite(logError)) predictions.push({ fold, distance: extrapolationDistance(range, r), logError });
    }
  }
  if (cuts.length === 0)
    notes.push(
      `too few runs or compute groups for a rolling-origin backtest (${n} runs; a fold needs ${minTrain} below its cut-off)`,
    );
  return { key, folds, predictions, notes };
}
