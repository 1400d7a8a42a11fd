import type { Run } from '../core/run.ts';
import type { FitJson } from '../io/fitJson.ts';
import { getLaw } from '../laws/index.ts';
import { percentile } from '../math/quantile.ts';
import type { Law, Params, Point } from '../core/law.ts';
import { completePoint } from '../core/law.ts';
import { checkAllocatable, optimalAllocation } from '../analysis/optimalAllocation.ts';
import type { Allocation } from '../analysis/optimalAllocation.ts';
import { publishedAllocations } from './published.ts';
import { normalQuantile } from '../fit/uncertainty.ts';

/** z for a two-sided 95% normal interval (exact; normalQuantile is accurate to ~1e-9). */
const Z95 = 1.959963984540054;

export type RunSet = 'train' | 'held-out';

export interface ReportRun {
  N: number;
  D: number;
  C: number;
  loss: number;
  set: RunSet;
  line: number;
  /** Run id or tags as `k=v` text, verbatim from the user's file (escape before display). */
  label: string;
  predicted: number;
  /** Prediction interval at the report's level; null without a bootstrap. */
  lo: number | null;
  hi: number | null;
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
  published: Array<{ name: string; N_opt: number; D_opt: number }>;
}

export interface AtRow {
  point: Point;
  predicted: number;
  lo: number | null;
  hi: number | null;
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
  /** The note when --train leaves no held-out run (default: every run matches --train). */
  noHeldOutNote?: string;
}

/** The default allocation budgets: 1e21 to 1e26 FLOPs by decades. */
export const DEFAULT_BUDGETS = [1e21, 1e22, 1e23, 1e24, 1e25, 1e26];

export const NO_BOOTSTRAP = 'no bootstrap: run with --bootstrap K for intervals';

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
  const f = fit as { uncertainty?: { level?: unknown }; bootstrap?: { level?: unknown } };
  const level = f.uncertainty?.level ?? f.bootstrap?.level;
  return typeof level === 'number' && level > 0 && level < 1 ? level : 0.95;
}

/** A level as a percentage label: 0.95 -> "95%", 0.975 -> "97.5%". */
export function levelText(level: number): string {
  return `${Number((100 * level).toPrecision(6))}%`;
}

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
 * A prediction interval (95% by default) for the loss at a point: the bootstrap spread of log L-hat plus the train
 * runs' scatter around the fit, combined in quadrature on the log scale (the fit minimises log residuals):
 * exp(log L-hat +- z sqrt(var_boot(log L-hat) + sigma_log^2)), z = 1.96 at 95%. Null without a bootstrap.
 */
export function predictionInterval(law: Law, params: Params, boot: Params[] | null, sigmaLog: number, point: Point, level = 0.95): [number | null, number | null] {
  if (!boot) return [null, null];
  const center = Math.log(law.predict(params, point));
  const logs = boot.map((p) => Math.log(law.predict(p, point))).filter(Number.isFinite);
  if (logs.length < 2) return [null, null];
  const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
  const varBoot = logs.reduce((s, x) => s + (x - mean) ** 2, 0) / (logs.length - 1);
  const z = level === 0.95 ? Z95 : normalQuantile((1 + level) / 2);
  const half = z * Math.sqrt(varBoot + sigmaLog ** 2);
  return [Math.exp(center - half), Math.exp(center + half)];
}

/** The run id, else the tags as `k=v` (cut at 60 characters: tables stay narrow; predictions.csv has the same). */
/**
 * The compute-optimal allocation of a law (optimalAllocation: closed form for chinchilla, numeric otherwise), or null
 * when L(N, C/(6N)) has no interior minimum at C (a bootstrap resample or a degenerate fit can make it monotone).
 */
export function allocateOrNull(law: Law, params: Params, C: number): Allocation | null {
  try {
    return optimalAllocation(law, params, C);
  } catch {
    return null;
  }
}

/** True when the law is a function of N and D alone, so allocations, isoFLOP profiles and contours apply. */
export function isAllocatable(law: Law): boolean {
  try {
    checkAllocatable(law);
    return true;
  } catch {
    return false;
  }
}

function label(r: Run): string {
  if (r.run !== undefined && r.run !== '') return r.run;
  const text = Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(' ');
  return text.length > 60 ? `${text.slice(0, 59)}\u2026` : text;
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
  const level = fitLevel(fit);
  const notes: string[] = [];
  if (!boot) notes.push(NO_BOOTSTRAP);
  const hasND = isAllocatable(law);

  const pre = input.runs.map((r) => {
    const pt = completePoint({ N: r.N, D: r.D, C: r.C });
    return { r, pt, predicted: law.predict(params, pt) };
  });
  const trainRes = pre.filter((p) => p.r.set === 'train').map((p) => Math.log(p.r.loss) - Math.log(p.predicted));
  const dof = Math.max(1, trainRes.length - fit.nFree);
  const sigmaLog = Math.sqrt(trainRes.reduce((s, x) => s + x * x, 0) / dof);

  const runs: ReportRun[] = pre.map(({ r, pt, predicted }) => {
    const [lo, hi] = r.set === 'held-out' ? predictionInterval(law, params, boot, sigmaLog, pt, level) : [null, null];
    return { N: pt.N ?? NaN, D: pt.D ?? NaN, C: pt.C ?? NaN, loss: r.loss, set: r.set, line: r.line, label: label(r), predicted, lo, hi };
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
      inside: boot ? held.filter((r) => r.lo !== null && r.hi !== null && r.loss >= r.lo && r.loss <= r.hi).length : null,
    };
  } else if (input.train !== null) {
    notes.push(input.noHeldOutNote ?? `no held-out runs: every run matches --train ${input.train}`);
  }

  const stderr = (fit as { stderr?: Record<string, number | null> }).stderr ?? {};
  const ci = (fit as { ci?: Record<string, [number, number]> }).ci ?? {};
  const paramRows: ParamRow[] = law.paramNames.map((name) => {
    const [blo, bhi] = boot ? percentileInterval(boot.map((p) => p[name]!), level) : [null, null];
    const c = ci[name];
    const se = stderr[name];
    const note = fit.fixed.includes(name) ? 'fixed' : fit.tied[name] ? `tied to ${fit.tied[name]}` : fit.atBound.includes(name) ? 'at bound' : '';
    // A fixed parameter has no interval (not [v, v]): it was not estimated.
    if (fit.fixed.includes(name)) return { name, value: params[name]!, stderr: null, lo: null, hi: null, note };
    return { name, value: params[name]!, stderr: typeof se === 'number' ? se : null, lo: c ? c[0] : blo, hi: c ? c[1] : bhi, note };
  });

  const allocations: AllocationRow[] = hasND
    ? input.compute.flatMap((C) => {
        const a = allocateOrNull(law, params, C);
        if (!a) {
          notes.push(`${law.name}: no compute-optimal allocation at C = ${C.toExponential(2)} (the fitted loss has no minimum along C = 6ND)`);
          return [];
        }
        const bootAlloc = boot ? boot.map((p) => allocateOrNull(law, p, C)).filter((x): x is Allocation => x !== null) : null;
        const [N_lo, N_hi] = bootAlloc ? percentileInterval(bootAlloc.map((b) => b.N_opt), level) : [null, null];
        const [D_lo, D_hi] = bootAlloc ? percentileInterval(bootAlloc.map((b) => b.D_opt), level) : [null, null];
        return { C, N_opt: a.N_opt, D_opt: a.D_opt, tokensPerParam: a.D_opt / a.N_opt, loss: a.loss, N_lo, N_hi, D_lo, D_hi, published: publishedAllocations(C) };
      })
    : [];
  if (!hasND) notes.push(`${law.name} is a law of ${law.variables.join(', ')}: no compute-optimal allocation, isoFLOP or contour charts`);

  const at: AtRow[] = input.at.map((p) => {
    const point = completePoint(p);
    const [lo, hi] = predictionInterval(law, params, boot, sigmaLog, point, level);
    return { point, predicted: law.predict(params, point), lo, hi };
  });

  return { title: input.title, law, formula: law.formula, lawHasND: hasND, fit, params, paramRows, train: input.train, runs, backtest, sigmaLog, allocations, at, bootstrap: boot, level, notes };
}
