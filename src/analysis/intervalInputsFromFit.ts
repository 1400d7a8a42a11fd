import type { Run } from '../core/run.ts';
import type { FitJson } from '../io/fitJson.ts';
import { trainingRange } from './extrapolationDistance.ts';
import { runScatter } from './runScatter.ts';
import type { Law, Params } from '../core/law.ts';
import type { IntervalInputs } from './predictionInterval.ts';
import { intervalInputs } from './intervalInputs.ts';
import { resampleParams } from './resampleParams.ts';

/**
 * The per-resample parameters of a fit JSON's bootstrap (`bootstrap.resamples.params`), one param object per
 * successful resample. Null without a usable bootstrap.
 */
export function bootstrapParams(fit: FitJson, law: Law): Params[] | null {
  return fit.bootstrap ? resampleParams(fit.bootstrap.resamples.params, law) : null;
}

/**
 * What `predictionInterval` needs, read from a fit JSON: the bootstrap resamples and the `prediction` section
 * (scatter, training range, rolling-origin errors). Null without a bootstrap (then there is no interval: refit with
 * --bootstrap K, which writes both). A fit with a bootstrap but no `prediction` section (written before it existed)
 * gets the scatter and range of the runs it holds and no extrapolation term: `nested` is empty.
 */
export function intervalInputsFromFit(fit: FitJson, law: Law): IntervalInputs | null {
  const boot = bootstrapParams(fit, law);
  if (!boot) return null;
  if (fit.prediction) return intervalInputs(boot, fit.prediction);
  const d = fit.data;
  if ('omitted' in d) return null;
  const runs: Run[] = d.loss.map((loss, i) => ({
    N: d.N?.[i] ?? undefined,
    D: d.D?.[i] ?? undefined,
    C: d.C?.[i] ?? undefined,
    S: d.S?.[i] ?? undefined,
    U: d.U?.[i] ?? undefined,
    loss,
    tags: {},
    line: d.line[i] ?? i + 2,
  }));
  return { boot, sigmaRun: runScatter(law, fit.params, runs, fit.n_free), range: trainingRange(law, runs), nested: [] };
}
