import { bootstrapFit } from '../bootstrap/bootstrap.ts';
import type { ResampleMode } from '../bootstrap/resample.ts';
import { progressBar } from '../io/progressBar.ts';
import type { ProgressTarget } from '../io/progressBar.ts';
import type { Run } from '../core/run.ts';
import type { Law, Point } from '../core/law.ts';
import type { FitOptions } from '../fit/options.ts';
import type { FitResult } from '../core/fitResult.ts';
import { asymptoticIntervals, asymptoticUncertainty } from '../fit/uncertainty.ts';

export interface UncertaintySettings {
  bootstrap: number;
  seed: number;
  workers: number;
  resample: ResampleMode;
  level: number;
  compute: number[];
  at: Point[];
}

/**
 * The fit JSON's uncertainty sections: `stderr`, `covariance`, `ci` (from the bootstrap when one was run, else
 * asymptotic), `uncertainty` (method, note, correlation, condition number, warnings, and the asymptotic figures)
 * and `bootstrap`.
 */
export async function uncertaintySections(
  law: Law, runs: readonly Run[], fit: FitResult, fitOptions: Partial<FitOptions>, s: UncertaintySettings, progress: ProgressTarget = { write: () => {}, enabled: false },
): Promise<Record<string, unknown>> {
  const asym = asymptoticUncertainty(law, runs, fit);
  const asymCi = asymptoticIntervals(law, fit, asym, s.level);
  const uncertainty = {
    source: s.bootstrap ? 'bootstrap' : 'asymptotic',
    level: s.level,
    method: asym.method,
    note: asym.note,
    conditionNumber: asym.conditionNumber,
    correlation: asym.correlation,
    warnings: asym.warnings,
    notes: asym.notes,
    asymptotic: { stderr: asym.stderr, ci: asymCi },
  };
  if (!s.bootstrap) return { stderr: asym.stderr, covariance: asym.covariance, ci: asymCi, uncertainty };
  const bar = progressBar('bootstrap', s.bootstrap, progress);
  const boot = await bootstrapFit(law, runs, fit, fitOptions, {
    K: s.bootstrap, seed: s.seed, workers: s.workers, resample: s.resample, level: s.level, compute: s.compute, at: s.at,
    onProgress: (done) => bar.update(done),
  });
  bar.finish();
  const warnings = [...asym.warnings];
  if (boot.failed > 0) warnings.push(`${boot.failed} of ${boot.K} bootstrap refits failed and are left out of the intervals`);
  return {
    stderr: boot.stderr,
    covariance: boot.covariance,
    ci: boot.ci,
    uncertainty: { ...uncertainty, warnings },
    bootstrap: boot,
  };
}
