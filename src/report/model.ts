import type { Run } from '../core/run.ts';
import type { FitJson } from '../io/fitJson.ts';
import { getLaw } from '../laws/index.ts';
import { percentile } from '../math/quantile.ts';
import type { Law, Params, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { checkAllocatable } from '../analysis/optimalAllocation.ts';
import { allocateOrNull as allocate, allocationInterval } from '../analysis/allocationInterval.ts';
import { bootstrapParams, intervalInputsFromFit } from '../analysis/intervalInputsFromFit.ts';
import { calibrateExtrapolation } from '../analysis/calibrateExtrapolation.ts';
import type { ExtrapolationCalibration } from '../analysis/calibrateExtrapolation.ts';
import type { IntervalInputs } from '../analysis/predictionInterval.ts';
import { predictionInterval } from '../analysis/predictionInterval.ts';
import { publishedAllocations } from './published.ts';
import { sizeText } from './sizeText.ts';
import { heavyTailSpread } from './fitText.ts';
import { withoutCliFlags } from './withoutCliFlags.ts';

export { bootstrapParams };

export type RunSet = 'train' | 'held-out';

export interface ReportRun {
  N: number;
  D: number;
  C: number;
  loss: number;
  set: RunSet;
  line: number;
  /** The run's name: its run id (or --label column), verbatim from the user's file (escape before display), else its
   * N and D as `N=70M D=1.4B`. */
  label: string;
  predicted: number;
  /** Prediction interval at the report's level; null without a bootstrap. */
  lo: number | null;
  hi: number | null;
  /** Target compute over the largest training compute, and decades beyond the training range (held-out runs). */
  factor: number | null;
  distance: number | null;
}

export interface ParamRow {
  name: string;
  value: number;
  stderr: number | null;
  lo: number | null;
  hi: number | null;
  note: string;
}

export interface AllocationRow {
  C: number;
  N_opt: number;
  D_opt: number;
  tokensPerParam: number;
  loss: number;
  N_lo: number | null;
  N_hi: number | null;
  D_lo: number | null;
  D_hi: number | null;
  /** Prediction interval of the loss at (N_opt, D_opt), and how far that point extrapolates. */
  loss_lo: number | null;
  loss_hi: number | null;
  factor: number | null;
  distance: number;
  published: Array<{ name: string; N_opt: number; D_opt: number }>;
}

export interface AtRow {
  point: Point;
  predicted: number;
  lo: number | null;
  hi: number | null;
  factor: number | null;
  distance: number;
}

/** What the report's "How far to trust this" section shows. */
export interface TrustSummary {
  /** The fit's identifiability status line, and whether the data determine its parameters. */
  status: string | null;
  identified: boolean;
  /** The fit's own warnings (bounds, identifiability, failed refits), kept from its JSON. */
  warnings: string[];
  /** The largest training compute, when the runs have C. */
  maxTrainCompute: number | null;
  /** Rolling-origin backtests inside the train runs: folds, predictions, calibration at the report's level. */
  rollingOrigin: {
    folds: number;
    predictions: number;
    overPredicted: number;
    medianAbsError: number;
    calibration: ExtrapolationCalibration;
  } | null;
  /** Held-out runs the law over-predicted (error > 0), when there is a backtest. */
  heldOutOverPredicted: number | null;
}

export interface BacktestSummary {
  count: number;
  meanAbsError: number;
  maxAbsError: number;
  meanAbsRelError: number;
  maxAbsRelError: number;
  /** Held-out runs inside their interval (at the report's level), or null without a bootstrap. */
  inside: number | null;
}

/** Everything a report shows, computed once; charts, HTML and Markdown only format it. */
export interface ReportModel {
  title: string;
  /** The law itself (an object inside the process; only files and workers carry its name). */
  law: Law;
  formula: string;
  /** True when the law reads both N and D, so allocation, isoFLOP and contour charts apply. */
  lawHasND: boolean;
  fit: FitJson;
  params: Params;
  paramRows: ParamRow[];
  /** The --train filter text, or null when every run trains. */
  train: string | null;
  runs: ReportRun[];
  backtest: BacktestSummary | null;
  /** Root-mean-square log residual of the train runs (dof-corrected): the scatter a prediction interval adds. */
  sigmaLog: number;
  allocations: AllocationRow[];
  at: AtRow[];
  /** Per-resample params of a bootstrap in the fit JSON (`bootstrap.params`), or null. */
  bootstrap: Params[] | null;
  /** Coverage of every interval in the report: the fit's --level (`uncertainty.level`), default 0.95. */
  level: number;
  trust: TrustSummary;
  notes: string[];
}

export interface ModelInput {
  title: string;
  fit: FitJson;
  /** The fitted law (default: looked up by the fit JSON's name). */
  law?: Law;
  runs: Array<Run & { set: RunSet }>;
  train: string | null;
  compute: number[];
  at: Point[];
  /** The note when the train filter leaves no held-out run (default: every run matches it). */
  noHeldOutNote?: string;
  /** The column that names runs (a tag column's header, or `run`); default the run id, else N and D. */
  labelColumn?: string;
}

/** The default allocation budgets: 1e21 to 1e26 FLOPs by decades. */
export const DEFAULT_BUDGETS = [1e21, 1e22, 1e23, 1e24, 1e25, 1e26];

export const NO_BOOTSTRAP = 'no bootstrap, so no intervals';

/**
 * The (1-level)/2 and (1+level)/2 percentiles of xs (finite values only; 2.5% and 97.5% by default), or nulls when
 * there are fewer than two.
 */
export function percentileInterval(xs: number[], level = 0.95): [number | null, number | null] {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length < 2) return [null, null];
  // Rounded so that level 0.95 gives exactly 0.025 (1 - 0.95 is 0.050000000000000044 in doubles).
  const q = Number(((1 - level) / 2).toPrecision(12));
  return [percentile(s, q), percentile(s, 1 - q)];
}

/** The interval level of a fit JSON: `uncertainty.level`, else `bootstrap.level`, else 0.95. */
export function fitLevel(fit: FitJson): number {
  return fit.uncertainty?.level ?? fit.bootstrap?.level ?? 0.95;
}

/** A level as a percentage label: 0.95 -> "95%", 0.975 -> "97.5%". */
export function levelText(level: number): string {
  return `${Number((100 * level).toPrecision(6))}%`;
}

/**
 * The compute-optimal allocation of a law (optimalAllocation: closed form for chinchilla, numeric otherwise), or null
 * when L(N, C/(6N)) has no interior minimum at C (a bootstrap resample or a degenerate fit can make it monotone).
 */
export const allocateOrNull = allocate;

/** True when the law is a function of N and D alone, so allocations, isoFLOP profiles and contours apply. */
function isAllocatable(law: Law): boolean {
  try {
    checkAllocatable(law);
    return true;
  } catch {
    return false;
  }
}

/**
 * A run's name for tables and predictions.csv: the label column's value, else the run id, else `N=70M D=1.4B` (never
 * the other columns joined: `x=294.8 y=127.4 color=#661f54` names nothing). Cut at 60 characters: tables stay narrow.
 */
function label(r: Run, labelColumn: string | undefined): string {
  const named = labelColumn === undefined || labelColumn === 'run' ? r.run : r.tags[labelColumn];
  if (named !== undefined && named.trim() !== '') {
    const text = named.trim();
    return text.length > 60 ? `${text.slice(0, 59)}\u2026` : text;
  }
  const pt = completePoint({ N: r.N, D: r.D, C: r.C });
  return pt.N !== undefined && pt.D !== undefined ? `N=${sizeText(pt.N)} D=${sizeText(pt.D)}` : '';
}

/**
 * Build the report model: predictions for every run, the backtest of the held-out runs, parameter intervals (the fit
 * JSON's `ci`, else bootstrap percentiles), compute-optimal allocations with bootstrap bands and the published
 * allocations beside them, and predictions at the requested points.
 */
export function buildModel(input: ModelInput): ReportModel {
  const { fit } = input;
  const law = input.law ?? getLaw(fit.law);
  const params = fit.params;
  const boot = bootstrapParams(fit, law);
  const inputs: IntervalInputs | null = intervalInputsFromFit(fit, law);
  const interval = (pt: Point) => (inputs ? predictionInterval(law, params, inputs, pt, level) : null);
  const level = fitLevel(fit);
  const notes: string[] = [];
  if (!boot) notes.push(NO_BOOTSTRAP);
  const hasND = isAllocatable(law);

  const pre = input.runs.map((r) => {
    const pt = completePoint({ N: r.N, D: r.D, C: r.C });
    return { r, pt, predicted: law.predict(params, pt) };
  });
  const trainRes = pre.filter((p) => p.r.set === 'train').map((p) => Math.log(p.r.loss) - Math.log(p.predicted));
  const dof = Math.max(1, trainRes.length - fit.n_free);
  const sigmaLog = Math.sqrt(trainRes.reduce((s, x) => s + x * x, 0) / dof);

  const runs: ReportRun[] = pre.map(({ r, pt, predicted }) => {
    const iv = r.set === 'held-out' ? interval(pt) : null;
    return {
      N: pt.N ?? NaN,
      D: pt.D ?? NaN,
      C: pt.C ?? NaN,
      loss: r.loss,
      set: r.set,
      line: r.line,
      label: label(r, input.labelColumn),
      predicted,
      lo: iv?.lo ?? null,
      hi: iv?.hi ?? null,
      factor: iv?.factor ?? null,
      distance: iv?.distance ?? null,
    };
  });

  const held = runs.filter((r) => r.set === 'held-out');
  let backtest: BacktestSummary | null = null;
  if (input.train !== null && held.length > 0) {
    const abs = held.map((r) => Math.abs(r.predicted - r.loss));
    const rel = held.map((r) => Math.abs(r.predicted - r.loss) / r.loss);
    backtest = {
      count: held.length,
      meanAbsError: abs.reduce((s, x) => s + x, 0) / abs.length,
      maxAbsError: Math.max(...abs),
      meanAbsRelError: rel.reduce((s, x) => s + x, 0) / rel.length,
      maxAbsRelError: Math.max(...rel),
      inside: boot
        ? held.filter((r) => r.lo !== null && r.hi !== null && r.loss >= r.lo && r.loss <= r.hi).length
        : null,
    };
  } else if (input.train !== null) {
    notes.push(input.noHeldOutNote ?? `no held-out runs: every run matches the train filter ${input.train}`);
  }

  const stderr = fit.stderr ?? {};
  const ci = fit.ci ?? {};
  const paramRows: ParamRow[] = law.paramNames.map((name) => {
    const [blo, bhi] = boot
      ? percentileInterval(
          boot.map((p) => p[name]!),
          level,
        )
      : [null, null];
    const c = ci[name];
    const se = stderr[name];
    const note = fit.fixed.includes(name)
      ? 'fixed'
      : fit.tied[name]
        ? `tied to ${fit.tied[name]}`
        : fit.at_bound.includes(name)
          ? 'at bound'
          : '';
    // A fixed parameter has no interval (not [v, v]): it was not estimated.
    if (fit.fixed.includes(name)) return { name, value: params[name]!, stderr: null, lo: null, hi: null, note };
    // A heavy-tailed bootstrap: the robust spread, not an sd blown up by a few wild resamples (note says so).
    const robust = typeof se === 'number' ? heavyTailSpread(fit, name, se) : null;
    return {
      name,
      value: params[name]!,
      stderr: robust ?? (typeof se === 'number' ? se : null),
      lo: c ? c[0] : blo,
      hi: c ? c[1] : bhi,
      note:
        robust !== null
          ? [note, `robust spread (sd ${se!.toPrecision(3)}, heavy-tailed)`].filter(Boolean).join('; ')
          : note,
    };
  });

  const allocations: AllocationRow[] = hasND
    ? input.compute.flatMap((C) => {
        const a = allocateOrNull(law, params, C);
        if (!a) {
          notes.push(
            `${law.name}: no compute-optimal allocation at C = ${C.toExponential(2)} (the fitted loss has no minimum along C = 6ND)`,
          );
          return [];
        }
        const ci = boot ? allocationInterval(law, boot, C, level) : null;
        const iv = interval({ N: a.N_opt, D: a.D_opt });
        return {
          C,
          N_opt: a.N_opt,
          D_opt: a.D_opt,
          tokensPerParam: a.D_opt / a.N_opt,
          loss: a.loss,
          N_lo: ci?.N[0] ?? null,
          N_hi: ci?.N[1] ?? null,
          D_lo: ci?.D[0] ?? null,
          D_hi: ci?.D[1] ?? null,
          loss_lo: iv?.lo ?? null,
          loss_hi: iv?.hi ?? null,
          factor: iv?.factor ?? null,
          distance: iv?.distance ?? 0,
          published: publishedAllocations(C),
        };
      })
    : [];
  if (!hasND)
    notes.push(
      `${law.name} is a law of ${law.variables.join(', ')}: no compute-optimal allocation, isoFLOP or contour charts`,
    );

  const at: AtRow[] = input.at.map((p) => {
    const point = completePoint(p);
    const iv = interval(point);
    return {
      point,
      predicted: law.predict(params, point),
      lo: iv?.lo ?? null,
      hi: iv?.hi ?? null,
      factor: iv?.factor ?? null,
      distance: iv?.distance ?? 0,
    };
  });

  const trust = trustSummary(
    fit,
    inputs,
    level,
    held.length && input.train !== null ? held.filter((r) => r.predicted > r.loss).length : null,
  );

  return {
    title: input.title,
    law,
    formula: law.formula,
    lawHasND: hasND,
    fit,
    params,
    paramRows,
    train: input.train,
    runs,
    backtest,
    sigmaLog,
    allocations,
    at,
    bootstrap: boot,
    level,
    trust,
    notes,
  };
}

/** The fit's status and warnings, the rolling-origin calibration at the report's level, and the held-out bias. */
function trustSummary(
  fit: FitJson,
  inputs: IntervalInputs | null,
  level: number,
  heldOutOverPredicted: number | null,
): TrustSummary {
  const ident = fit.identifiability;
  const warnings = (fit.uncertainty?.warnings ?? []).map(withoutCliFlags);
  const section = fit.prediction;
  const nested = inputs?.nested ?? [];
  let rollingOrigin: TrustSummary['rollingOrigin'] = null;
  if (inputs && nested.length) {
    const abs = nested.map((p) => Math.abs(p.logError)).sort((a, b) => a - b);
    rollingOrigin = {
      folds: section?.rolling_origin.folds.length ?? new Set(nested.map((p) => p.fold)).size,
      predictions: nested.length,
      overPredicted: nested.filter((p) => p.logError > 0).length,
      medianAbsError: abs[Math.floor((abs.length - 1) / 2)]!,
      calibration: calibrateExtrapolation(nested, inputs.sigmaRun, level),
    };
  }
  return {
    status: ident ? withoutCliFlags(ident.status) : null,
    identified: ident?.identified !== false,
    warnings,
    maxTrainCompute: inputs?.range.maxCompute ?? section?.range.max_compute ?? null,
    rollingOrigin,
    heldOutOverPredicted,
  };
}
