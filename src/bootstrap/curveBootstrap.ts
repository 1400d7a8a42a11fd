import type { FitResult } from '../core/fitResult.ts';
import type { Law, Params } from '../core/law.ts';
import type { Run } from '../core/run.ts';
import { fitLaw } from '../fit/fit.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { seededRandom } from '../math/rng.ts';

/** `curves`: resample whole curves (runs); `checkpoints`: resample checkpoints within each curve. */
export type CurveResample = 'curves' | 'checkpoints';

/** What {@link curveBootstrap} returns: the parameters of every refit that converged to finite values. */
export interface CurveBootstrap {
  K: number;
  seed: number;
  resample: CurveResample;
  params: Params[];
  failed: number;
}

/**
 * Bootstrap a curve law's fit: K resamples, each refitted from the full fit's optimum (a warm start: the resampled
 * data lie near the original, and a curve-law fit from the grid costs 100x more). `curves` draws whole curves with
 * replacement (a cluster bootstrap: checkpoints of one run share its noise, so this is the honest choice with enough
 * curves, 4 or more); `checkpoints` draws checkpoints with replacement within each curve, which keeps every schedule
 * but treats neighbouring checkpoints as independent (they are not: their errors are correlated, so its intervals
 * are narrower than the truth). Resample i draws from stream i of `seed`, so the result depends only on the seed.
 *
 * @example curveBootstrap(law, curves.map((c) => c.checkpoints), fit, {}, { K: 100, seed: 0, resample: 'curves' }).params.length // ≤ 100
 */
export function curveBootstrap(
  law: Law,
  curves: readonly (readonly Run[])[],
  fit: FitResult,
  fitOptions: FitOptionsInput,
  o: { K: number; seed: number; resample: CurveResample; onProgress?: (done: number) => void },
): CurveBootstrap {
  const params: Params[] = [];
  let failed = 0;
  for (let i = 0; i < o.K; i++) {
    const random = seededRandom(o.seed, i);
    const runs: Run[] = [];
    if (o.resample === 'curves') {
      for (let c = 0; c < curves.length; c++) runs.push(...curves[Math.floor(random() * curves.length)]!);
    } else {
      for (const curve of curves)
        for (let j = 0; j < curve.length; j++) runs.push(curve[Math.floor(random() * curve.length)]!);
    }
    let refit: FitResult | undefined;
    try {
      refit = fitLaw(law, runs, { ...fitOptions, starts: [fit.theta] });
    } catch {
      refit = undefined;
    }
    if (refit && law.paramNames.every((k) => Number.isFinite(refit.params[k]))) params.push(refit.params);
    else failed++;
    o.onProgress?.(i + 1);
  }
  return { K: o.K, seed: o.seed, resample: o.resample, params, failed };
}
