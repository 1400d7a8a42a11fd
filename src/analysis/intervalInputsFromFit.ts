import type { Run } from '../core/run.ts';
import type { FitJson } from '../io/fitJson.ts';
import { trainingRange } from './extrapolationDistance.ts';
import { runScatter } from './runScatter.ts';
import type { Law, Params } from '../core/law.ts';
import type { IntervalInputs } from './predictionInterval.ts';
import type { PredictionSection } from './predictionSection.ts';

/**
 * The per-resample parameters of a fit JSON's bootstrap, as one param object per successful resample: from
 * `bootstrap.resamples.params` (columns per parameter, null for a failed refit, as `scalefit fit --bootstrap K`
 * writes) or from `bootstrap.params` when that is an array of param objects. Null without a usable bootstrap.
 */
export function bootstrapParams(fit: FitJson, law: Law): Params[] | null {
  const b = (fit as { bootstrap?: { params?: unknown; resamples?: { params?: unknown } } }).bootstrap;
  if (!b || typeof b !== 'object') return null;
  let list: unknown[] | null = null;
  const columns = b.resamples?.params as Record<string, unknown> | undefined;
  if (columns && typeof columns === 'object' && law.paramNames.every((k) => Array.isArray(columns[k]))) {
    const cols = law.paramNames.map((k) => columns[k] as unknown[]);
    list = cols[0]!.map((_, i) => Object.fromEntries(law.paramNames.map((k, j) => [k, cols[j]![i]])));
  } else if (Array.isArray(b.params)) {
    list = b.params;
  }
  if (!list) return null;
  const ok = list.filter((p): p is Params => Boolean(p) && typeof p === 'object' && law.paramNames.every((k) => typeof (p as Params)[k] === 'number' && Number.isFinite((p as Params)[k])));
  return ok.length >= 2 ? ok : null;
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
  const section = (fit as { prediction?: PredictionSection }).prediction;
  if (!section || typeof section !== 'object' || !section.range || !section.rollingOrigin) {
    const d = fit.data;
    if ('omitted' in d) return null;
    const runs: Run[] = d.loss.map((loss, i) => ({ N: d.N?.[i] ?? undefined, D: d.D?.[i] ?? undefined, C: d.C?.[i] ?? undefined, S: d.S?.[i] ?? undefined, U: d.U?.[i] ?? undefined, loss, tags: {}, line: d.line[i] ?? i + 2 }));
    return { boot, sigmaRun: runScatter(law, fit.params, runs, fit.nFree), range: trainingRange(law, runs), nested: [] };
  }
  const ro = section.rollingOrigin;
  const nested = Array.isArray(ro.logError) && ro.logError.length === ro.distance?.length && ro.logError.length === ro.fold?.length
    ? ro.logError.map((logError, i) => ({ fold: ro.fold[i]!, distance: ro.distance[i]!, logError }))
    : [];
  return { boot, sigmaRun: section.sigmaRun, range: section.range, nested };
}
