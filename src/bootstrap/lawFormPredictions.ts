import type { Comparison } from '../analysis/compare.ts';
import { intervalInputs } from '../analysis/intervalInputs.ts';
import { resampleParams } from '../analysis/resampleParams.ts';
import { lawAveragedInterval } from '../analysis/lawAveragedInterval.ts';
import type { LawPrediction } from '../analysis/lawAveragedInterval.ts';
import { predictionInterval } from '../analysis/predictionInterval.ts';
import { predictionSection } from '../analysis/predictionSection.ts';
import type { Run } from '../core/run.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import type { FitResult } from '../core/fitResult.ts';
import { fitLaw } from '../fit/fit.ts';
import { getLaw } from '../laws/index.ts';
import type { Law, Point } from '../core/law.ts';
import type { IntervalInputs } from '../analysis/predictionInterval.ts';
import { completePoint } from '../core/law.ts';
import { bootstrapFit } from './bootstrap.ts';

export type LawWeights = 'heldout' | 'aic';

export interface LawFormPrediction {
  point: Point;
  level: number;
  weights: LawWeights;
  /** Each fitted law's own calibrated interval and weight. */
  laws: LawPrediction[];
  /** The mixture over laws (lawAveragedInterval). */
  averaged: { predicted: number; lo: number; hi: number };
}

/**
 * Predictions at points with the uncertainty about the law's form carried in: for every law the comparison could
 * fit, the calibrated prediction interval (a bootstrap of K refits and the rolling-origin calibration, as `fit
 * --bootstrap K` stores them), then their mixture, weighted by inverse held-out mean squared log error (`heldout`,
 * from the comparison's leave-largest-out folds) or by Akaike weights exp(-ΔAIC/2) (`aic`).
 *
 * @example await lawFormPredictions(compareLaws(laws, runs, o), runs, {}, [{ N: 70e9, D: 1.4e12 }], { K: 100, seed: 0, workers: 1, level: 0.9, weights: 'heldout' })
 */
export async function lawFormPredictions(
  c: Comparison,
  runs: readonly Run[],
  fitOptions: FitOptionsInput,
  points: readonly Point[],
  o: { K: number; seed: number; workers: number; level: number; weights: LawWeights },
): Promise<LawFormPrediction[]> {
  const ok = c.laws.filter((l) => l.status === 'ok' && l.aic !== undefined && l.heldOutRmse !== undefined);
  const minAic = Math.min(...ok.map((l) => l.aic!));
  const fitted: Array<{ law: Law; fit: FitResult; inputs: IntervalInputs | null; weight: number }> = [];
  for (const l of ok) {
    const law = getLaw(l.law);
    const lawRuns = runs.filter((r) => law.variables.every((v) => completePoint(r)[v] !== undefined));
    const fit = fitLaw(law, lawRuns, fitOptions);
    const boot = await bootstrapFit(law, lawRuns, fit, fitOptions, {
      K: o.K,
      seed: o.seed,
      workers: o.workers,
      level: o.level,
    });
    const inputs = intervalInputs(
      resampleParams(boot.resamples.params, law),
      predictionSection(law, lawRuns, fit, fitOptions),
    );
    const weight = o.weights === 'aic' ? Math.exp(-(l.aic! - minAic) / 2) : 1 / Math.max(l.heldOutRmse! ** 2, 1e-300);
    fitted.push({ law, fit, inputs, weight });
  }
  return points.map((p) => {
    const laws: LawPrediction[] = fitted.flatMap(({ law, fit, inputs, weight }) => {
      const i = inputs ? predictionInterval(law, fit.params, inputs, p, o.level) : null;
      return i && Number.isFinite(i.lo) && Number.isFinite(i.hi)
        ? [{ law: law.name, predicted: i.predicted, lo: i.lo, hi: i.hi, weight }]
        : [];
    });
    const total = laws.reduce((s, l) => s + l.weight, 0);
    for (const l of laws) l.weight /= total;
    return {
      point: completePoint(p),
      level: o.level,
      weights: o.weights,
      laws,
      averaged: lawAveragedInterval(laws, o.level),
    };
  });
}
