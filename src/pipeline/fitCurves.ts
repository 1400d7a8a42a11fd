import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import { InputError } from '../core/errors.ts';
import type { CurveDataset } from '../data/readCurves.ts';
import { fitLaw } from '../fit/fit.ts';
import type { FitOptionsInput } from '../fit/options.ts';
import { asymptoticUncertainty } from '../fit/uncertainty.ts';
import { buildFitJson } from '../io/fitJson.ts';
import type { FitJson } from '../io/fitJson.ts';
import { progressBar } from '../io/progressBar.ts';
import type { ProgressTarget } from '../io/progressBar.ts';
import { percentile } from '../math/quantile.ts';
import { heldOutCurve } from '../analysis/heldOutCurve.ts';
import type { HeldOutCurve } from '../analysis/heldOutCurve.ts';
import { curveBootstrap } from '../bootstrap/curveBootstrap.ts';
import type { CurveBootstrap, CurveResample } from '../bootstrap/curveBootstrap.ts';

/** How {@link fitCurves} fits and bootstraps (complete: the CLI resolves every field). */
export interface CurveFitSettings {
  fit: FitOptionsInput;
  /** Bootstrap resamples (0: none). */
  bootstrap: number;
  seed: number;
  resample: CurveResample;
  level: number;
  /** Fit on each curve's steps below this fraction of its last step and predict the rest (0: no held-out check). */
  holdout: number;
  progress?: ProgressTarget;
}

/** What a curve fit produces: the fit, its bootstrap and held-out check when asked, and the fit JSON. */
export interface CurveFit {
  fit: FitResult;
  boot: CurveBootstrap | null;
  heldOut: HeldOutCurve | null;
  json: FitJson;
}

/**
 * Fit a curve law to every checkpoint of every curve (the fitter's multi-start L-BFGS on the chosen loss), then,
 * when asked, bootstrap it (resampling curves or checkpoints, seeded) and check it on the held-out end of each curve.
 * The fit JSON is the run fit's (`scalefit fit --out`) plus `kind: "curves"`, the curves (run, last step, tokens per
 * step, peak rate), `curve_bootstrap` (per-resample parameters, percentile intervals) and `curve_held_out`.
 *
 * @example
 * import { fitCurves, getLaw, readCurves } from 'scalefit';
 * const data = await readCurves('data/examples/curves.csv');
 * const settings = { fit: {}, bootstrap: 0, seed: 0, resample: 'checkpoints', level: 0.95, holdout: 0.7 };
 * const { fit, heldOut } = await fitCurves(getLaw('lr-annealing'), data, settings);
 * fit.converged; // → true
 * heldOut.rmsLogError < 0.02; // → true
 */
export async function fitCurves(law: Law, data: CurveDataset, s: CurveFitSettings): Promise<CurveFit> {
  if (!law.variables.includes('S') || law.variables.length !== 1)
    throw new InputError(`${law.name} is not a loss-curve law; use one of lr-annealing, multi-power`);
  const groups = data.curves.map((c) => c.checkpoints).filter((c) => c.length > 0);
  const fit = fitLaw(law, data.checkpoints, { ...s.fit, source: data.dataset.file });
  let boot: CurveBootstrap | null = null;
  if (s.bootstrap > 0) {
    if (s.resample === 'curves' && groups.length < 2)
      throw new InputError(
        `--resample curves needs 2 or more curves (${data.dataset.file} has ${groups.length}); use --resample checkpoints`,
      );
    const bar = progressBar('bootstrap', s.bootstrap, s.progress ?? { write: () => {}, enabled: false });
    boot = curveBootstrap(law, groups, fit, s.fit, {
      K: s.bootstrap,
      seed: s.seed,
      resample: s.resample,
      onProgress: (d) => bar.update(d, s.bootstrap),
    });
    bar.finish();
  }
  const heldOut = s.holdout > 0 ? heldOutCurve(law, groups, s.holdout, s.fit) : null;
  let asymptotic: Record<string, number> | null = null;
  try {
    const u = asymptoticUncertainty(law, data.checkpoints, fit);
    asymptotic = u.stderr ? Object.fromEntries(Object.entries(u.stderr).map(([k, v]) => [k, v as number])) : null;
  } catch {
    asymptotic = null;
  }
  const curves = data.curves.map((c) => ({
    run: c.run,
    checkpoints: c.checkpoints.length,
    last_step: c.schedule.lr.length - 1,
    peak_lr: c.schedule.lr.reduce((m, v) => Math.max(m, v), 0),
    ...(c.tokensPerStep !== undefined ? { tokens_per_step: c.tokensPerStep } : {}),
  }));
  const json: FitJson = {
    ...buildFitJson(fit, { ...data.dataset, runs: data.checkpoints }),
    kind: 'curves',
    reference: law.reference,
    lr_column: data.lrColumn,
    curves,
    ...(asymptotic ? { stderr: asymptotic } : {}),
    ...(boot ? { curve_bootstrap: bootstrapJson(law, boot, s.level) } : {}),
    ...(heldOut ? { curve_held_out: heldOutJson(heldOut) } : {}),
  };
  return { fit, boot, heldOut, json };
}

function bootstrapJson(law: Law, boot: CurveBootstrap, level: number) {
  const column = (k: string) => boot.params.map((p) => p[k]!);
  return {
    K: boot.K,
    seed: boot.seed,
    resample: boot.resample,
    failed: boot.failed,
    level,
    ci: Object.fromEntries(
      law.paramNames.map((k) => [k, [percentile(column(k), (1 - level) / 2), percentile(column(k), (1 + level) / 2)]]),
    ),
    resamples: { params: Object.fromEntries(law.paramNames.map((k) => [k, column(k)])) },
  };
}

function heldOutJson(h: HeldOutCurve) {
  return {
    cut: h.cut,
    train_checkpoints: h.trainCheckpoints,
    held_out_checkpoints: h.points.length,
    rms_log_error: h.rmsLogError,
    max_log_error: h.maxLogError,
    mean_log_error: h.meanLogError,
    params: h.fit.params,
  };
}
