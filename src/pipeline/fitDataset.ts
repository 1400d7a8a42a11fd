import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import type { Dataset } from '../data/types.ts';
import { fitLaw } from '../fit/fit.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { buildFitJson } from '../io/fitJson.ts';
import type { FitJson, FitJsonExtra } from '../io/fitJson.ts';
import { progressBar } from '../io/progressBar.ts';
import type { ProgressTarget } from '../io/progressBar.ts';
import { fitLawParallel } from '../parallel/fitParallel.ts';
import { unitsJson } from '../report/unitsText.ts';
import type { UncertaintySettings } from './uncertaintySections.ts';
import { uncertaintySections } from './uncertaintySections.ts';

export interface FitDatasetOptions {
  fit: FitOptionsInput;
  uncertainty: UncertaintySettings;
  /** Where progress bars (the exhaustive grid, the bootstrap) are drawn. */
  progress?: ProgressTarget;
  /** Spread an exhaustive (`starts: 'hoffmann'`) grid over `uncertainty.workers` threads, with a progress bar. */
  parallelStarts?: boolean;
  /** Sections appended to the fit JSON (e.g. a report's `train` and `held_out`). */
  extra?: FitJsonExtra;
}

/**
 * The fit pipeline: fit the law to the dataset's runs, add the uncertainty sections (asymptotic, or a bootstrap) and
 * assemble the fit JSON. Used by `scalefit fit` and by reports; nothing is written.
 *
 * @example const { fit, json } = await fitDataset(chinchilla, loadRuns('runs.csv'), { fit: {}, uncertainty })
 */
export async function fitDataset(
  law: Law,
  ds: Dataset,
  o: FitDatasetOptions,
): Promise<{ fit: FitResult; json: FitJson }> {
  let fit: FitResult;
  if (o.parallelStarts && o.fit.starts === 'hoffmann') {
    const bar = progressBar('starts', 1, o.progress ?? { write: () => {}, enabled: false });
    const withBar = { ...o.fit, onProgress: (done: number, total: number) => bar.update(done, total) };
    fit = await fitLawParallel(law, ds.runs, withBar, o.uncertainty.workers);
    bar.finish();
  } else {
    fit = fitLaw(law, ds.runs, o.fit);
  }
  const json = buildFitJson(fit, ds, {
    ...(law.paramUnits ? { units: unitsJson(law) } : {}),
    ...(await uncertaintySections(law, ds.runs, fit, o.fit, o.uncertainty, o.progress)),
    ...o.extra,
  });
  return { fit, json };
}
