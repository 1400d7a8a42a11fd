import type { FitResult } from '../core/fitResult.ts';
import type { Law } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import { fitLaw } from '../fit/fit.ts';
import type { FitOptionsInput } from '../fit/options.ts';

/** One held-out checkpoint: its curve, step, observed and predicted loss. */
export interface HeldOutPoint {
  run: string;
  S: number;
  loss: number;
  predicted: number;
}

/** What {@link heldOutCurve} returns: the fit on the early checkpoints and its errors on the late ones. */
export interface HeldOutCurve {
  /** Each curve is cut at this fraction of its last step. */
  cut: number;
  fit: FitResult;
  trainCheckpoints: number;
  points: HeldOutPoint[];
  /** Root mean square and largest absolute log error, log(predicted/observed), over the held-out checkpoints. */
  rmsLogError: number;
  maxLogError: number;
  /** Mean log error: its sign says whether the law, fitted early, over- or under-predicts the late loss. */
  meanLogError: number;
}

/**
 * The held-out part of loss curves: fit the law on every curve's checkpoints at steps below `cut` x its last step,
 * predict the checkpoints at and after it, and measure the errors in log loss. The question it answers is the one a
 * researcher asks of a curve law: fitted on a run so far, how well does it predict the rest of that run (for WSD and
 * cosine runs the late part holds the cooldown, which the early part never saw)?
 *
 * @example heldOutCurve(law, curves.map((c) => c.checkpoints), 0.7).rmsLogError // e.g. 0.004
 */
export function heldOutCurve(
  law: Law,
  curves: readonly (readonly Run[])[],
  cut: number,
  fitOptions: FitOptionsInput = {},
): HeldOutCurve {
  const train: Run[] = [],
    test: Run[] = [];
  for (const curve of curves) {
    const last = curve.reduce((m, r) => Math.max(m, r.S!), 0);
    for (const r of curve) (r.S! < cut * last ? train : test).push(r);
  }
  if (test.length === 0) throw new InputError(`held-out cut ${cut}: no checkpoint at or after it; use a smaller cut`);
  const fit = fitLaw(law, train, fitOptions);
  const predicted = new Float64Array(test.length);
  law.logPredict(law.toTheta(fit.params), makeDesign(test), predicted);
  const points = test.map((r, i) => ({ run: r.run ?? '', S: r.S!, loss: r.loss, predicted: Math.exp(predicted[i]!) }));
  const errs = points.map((p) => Math.log(p.predicted / p.loss));
  const finite = errs.filter(Number.isFinite);
  return {
    cut,
    fit,
    trainCheckpoints: train.length,
    points,
    rmsLogError: Math.sqrt(finite.reduce((s, e) => s + e * e, 0) / finite.length),
    maxLogError: finite.reduce((m, e) => Math.max(m, Math.abs(e)), 0),
    meanLogError: finite.reduce((s, e) => s + e, 0) / finite.length,
  };
}
