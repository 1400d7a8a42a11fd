import type { FitResult } from '../core/fitResult.ts';
import type { Design, Law } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { LbfgsOptions, LbfgsResult } from '../math/lbfgs.ts';
import { lbfgs } from '../math/lbfgs.ts';
import { checkFitData } from './checkFitData.ts';
import type { Parametrization } from './constraints.ts';
import { makeParametrization } from './constraints.ts';
import { lossScaledTolerances } from './lossScaledTolerances.ts';
import type { Objective } from './objective.ts';
import { makeObjective } from './objective.ts';
import type { FitOptions, FitOptionsInput } from './options.ts';
import { resolveFitOptions } from './options.ts';

/**
 * Fit a law to runs by minimising the chosen loss on (log) residuals with L-BFGS from many starts
 * (Hoffmann et al. 2022, App. D.2), then polishing the best few with tight tolerances.
 */
export function fitMultistart(law: Law, runs: readonly Run[], options: FitOptionsInput = {}): FitResult {
  const t0 = performance.now();
  const ctx = prepareFit(law, runs, options);
  const sampled = ctx.X.n > 2 * SAMPLED_STAGE_ROWS ? sampledStage(ctx, runs, options) : undefined;
  if (!sampled) return finishFit(ctx, runStarts(ctx, 0, ctx.starts.length, options.onProgress), t0);
  // The full data's polish starts at the subsample's optimum, with its curvature (the full objective sums `stride`
  // times as many runs, so its Hessian is about `stride` times larger), and stops where f is rounding: each residual
  // r_i = prediction - target carries an error of about eps·|target_i|, so f = Σ rho(r_i) one of about
  // eps·max|target|·sqrt(Σ psi_i²) <= 2·eps·max|target|·sqrt(f) (psi² <= 4 rho for Huber and squares). Below that
  // relative decrease the line search walks on noise (80 evaluations of a near-exact fit to a million rows), and the
  // 1e-15 of small fits is below it.
  const target = ctx.o.loss.space === 'log' ? ctx.X.logLoss : ctx.X.loss;
  let targetMax = 0;
  for (let i = 0; i < target.length; i++) targetMax = Math.max(targetMax, Math.abs(target[i]!));
  const rounding = Math.min((2 * Number.EPSILON * targetMax) / Math.sqrt(sampled.start.f), 1e-10);
  const full = polishBest(ctx, [sampled.start], {
    initialScale: sampled.scale / sampled.stride,
    ftol: Math.max(ctx.o.polishTolerance.ftol ?? 0, rounding),
  });
  const fit = assembleFit(
    ctx,
    {
      ...full,
      nfev: full.nfev + sampled.polished.nfev,
      iterations: full.iterations + sampled.polished.iterations,
      converged: sampled.polished.converged,
      abandoned: sampled.polished.abandoned,
    },
    t0,
  );
  return { ...fit, message: `${fit.message}; ${sampled.note}` };
}

/** Above twice this many runs, the starts and their first polish run on a subsample of about this many. */
const SAMPLED_STAGE_ROWS = 50_000;

/**
 * The multi-start stage of a fit to many runs (a 1M-row loss-curve log): the same starts, L-BFGS and polish on every
 * k-th run (about 50,000 runs, whose optimum lies in the full data's basin), then one start for the full data at that
 * optimum. An evaluation on all runs costs ~20 ms per million rows; the subsample's ~300 cost 1 ms each. Undefined
 * (fit every start on all runs) when the subsample cannot be fitted on its own (e.g. too few distinct values).
 */
function sampledStage(
  ctx: FitContext,
  runs: readonly Run[],
  options: FitOptionsInput,
): { start: StartResult; polished: Polished; scale: number; stride: number; note: string } | undefined {
  const stride = Math.ceil(runs.length / SAMPLED_STAGE_ROWS);
  const sample = runs.filter((_, i) => i % stride === 0);
  let polished: Polished;
  let sub: FitContext;
  try {
    sub = prepareFit(ctx.law, sample, { ...options, starts: ctx.starts, warmStarts: [] });
    polished = polishBest(sub, runStarts(sub, 0, sub.starts.length, options.onProgress));
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
  const theta = new Float64Array(ctx.law.thetaNames.length);
  sub.toTheta(polished.best.x, theta);
  const x = ctx.toZ(theta);
  const gradient = new Float64Array(x.length);
  const f = ctx.fg(x, gradient);
  let gradNorm = 0;
  for (const v of gradient) gradNorm = Math.max(gradNorm, Math.abs(v));
  const start: StartResult = {
    x,
    f,
    gradient,
    gradNorm,
    iterations: 0,
    evaluations: 1,
    converged: polished.best.converged,
    status: 'ftol',
    message: polished.best.message,
    scale: NaN,
  };
  const note = `starts and their polish on every ${stride}th run (${sample.length.toLocaleString('en')} of ${runs.length.toLocaleString('en')}; ${polished.nfev} evaluations there), then polished on all`;
  return { start, polished, scale: polished.best.scale, stride, note };
}

/** One start's result from the multi-start stage (structured-cloneable, so worker threads can return it). */
export type StartResult = LbfgsResult;

/** Everything the stages of a fit share: the design, the objective in optimiser coordinates and the starts. */
export interface FitContext {
  law: Law;
  o: FitOptions;
  X: Design;
  P: Parametrization;
  obj: Objective;
  fg: (z: Float64Array, gz: Float64Array) => number;
  toZ: (theta: ArrayLike<number>) => Float64Array;
  toTheta: (z: Float64Array, out: Float64Array) => void;
  starts: number[][];
  strategy: string;
}

/** Build the fit's context: resolve options, design, parametrization, objective and starts. */
export function prepareFit(law: Law, runs: readonly Run[], options: FitOptionsInput = {}): FitContext {
  const resolved = resolveFitOptions(options);
  const o: FitOptions = {
    ...resolved,
    gridTolerance: lossScaledTolerances(resolved.gridTolerance, resolved.loss),
    polishTolerance: lossScaledTolerances(resolved.polishTolerance, resolved.loss),
  };
  const X = makeDesign(runs);
  const P = makeParametrization(law, o.constraints);
  checkFitData(law, runs, P.k, o.source);
  const obj = makeObjective(law, X, o.loss);
  const kTheta = law.thetaNames.length;
  const theta = new Float64Array(kTheta);
  const gTheta = new Float64Array(kTheta);
  // Without fixes, ties or bounds z is theta up to the law's linear conditioning: skip the transforms.
  const identity = P.k === kTheta && P.thetaBounds.every(([lo, hi]) => lo === -Infinity && hi === Infinity);
  const starts = [...o.warmStarts, ...(typeof o.starts === 'string' ? law.starts(X, o.starts) : o.starts)];
  // The shift must not turn a finite start into an overflow (e.g. alpha = 1e308): then work in plain theta.
  const proposed = identity ? (law.conditioning?.(X) ?? []) : [];
  const overflows = (t: number[]) =>
    proposed.some(
      ({ target, source, c }) =>
        Number.isFinite(t[target]!) && Number.isFinite(t[source]!) && !Number.isFinite(t[target]! - c * t[source]!),
    );
  const shifts = !starts.some(overflows) ? proposed : [];
  const fg = !identity
    ? (z: Float64Array, gz: Float64Array): number => {
        P.toTheta(z, theta);
        const f = obj.fg(theta, gTheta);
        P.gradZ(z, gTheta, gz);
        return f;
      }
    : shifts.length === 0
      ? obj.fg
      : (z: Float64Array, gz: Float64Array): number => {
          theta.set(z);
          for (const { target, source, c } of shifts) theta[target]! += c * z[source]!;
          const f = obj.fg(theta, gz);
          for (const { target, source, c } of shifts) gz[source]! += c * gz[target]!;
          return f;
        };
  const toZ = (t: ArrayLike<number>): Float64Array => {
    if (!identity) return P.toZ(t);
    const z = Float64Array.from(t);
    for (const { target, source, c } of shifts) z[target]! -= c * t[source]!;
    return z;
  };
  const toTheta = (z: Float64Array, out: Float64Array): void => {
    if (!identity) {
      P.toTheta(z, out);
      return;
    }
    out.set(z);
    for (const { target, source, c } of shifts) out[target]! += c * z[source]!;
  };

  const strategy = typeof o.starts === 'string' ? o.starts : 'given';
  return { law, o, X, P, obj, fg, toZ, toTheta, starts, strategy };
}

/** The multi-start stage for starts from..to-1, with the grid tolerances. */
export function runStarts(
  ctx: FitContext,
  from: number,
  to: number,
  onProgress?: (done: number, total: number) => void,
): StartResult[] {
  const out: StartResult[] = [];
  for (let i = from; i < to; i++) {
    out.push(lbfgs(ctx.fg, ctx.toZ(ctx.starts[i]!), ctx.o.gridTolerance));
    if (onProgress && (i - from) % 50 === 49) onProgress(i - from + 1, to - from);
  }
  onProgress?.(to - from, to - from);
  return out;
}

/** What polishing the best distinct start results gives: the best result and the counts over all starts. */
interface Polished {
  best: LbfgsResult;
  nfev: number;
  iterations: number;
  converged: number;
  abandoned: number;
}

/**
 * Polish the best distinct start results with tight tolerances (`polishOptions` may add to them, e.g. an initial
 * scale). Throws an InputError when every start was abandoned.
 */
function polishBest(ctx: FitContext, startResults: StartResult[], polishOptions: Partial<LbfgsOptions> = {}): Polished {
  const { law, o, fg } = ctx;
  let nfev = 0,
    iterations = 0,
    converged = 0,
    abandoned = 0;
  const results: LbfgsResult[] = [];
  for (const r of startResults) {
    nfev += r.evaluations;
    iterations += r.iterations;
    if (r.status === 'nonfinite' || !Number.isFinite(r.f) || !r.x.every(Number.isFinite)) {
      abandoned++;
      continue;
    }
    if (r.converged) converged++;
    results.push(r);
  }
  if (results.length === 0) {
    throw new InputError(
      `${law.name}: every start gave a non-finite objective (${abandoned} abandoned); check the data for extreme values`,
    );
  }
  results.sort((a, b) => a.f - b.f);
  // Polish the best few distinct optima: grids often land on the same basin many times.
  const picked: LbfgsResult[] = [];
  for (const r of results) {
    if (picked.length >= o.polish) break;
    if (picked.some((p) => maxRelDiff(p.x, r.x) < 1e-4)) continue;
    picked.push(r);
  }
  let best: LbfgsResult | undefined;
  for (const p of picked) {
    const r = lbfgs(fg, p.x, { ...o.polishTolerance, ...polishOptions });
    nfev += r.evaluations;
    iterations += r.iterations;
    const candidate = Number.isFinite(r.f) && r.f <= p.f && r.x.every(Number.isFinite) ? r : p;
    if (!best || candidate.f < best.f) best = candidate;
  }
  return { best: best!, nfev, iterations, converged, abandoned };
}

/** Polish the best distinct start results with tight tolerances and assemble the FitResult. */
export function finishFit(
  ctx: FitContext,
  startResults: StartResult[],
  t0: number,
  polishOptions: Partial<LbfgsOptions> = {},
): FitResult {
  return assembleFit(ctx, polishBest(ctx, startResults, polishOptions), t0);
}

/** The FitResult of a polished fit. */
function assembleFit(ctx: FitContext, polished: Polished, t0: number): FitResult {
  const { law, o, X, P, obj, toTheta, starts, strategy } = ctx;
  const theta = new Float64Array(law.thetaNames.length);
  const { nfev, iterations, converged, abandoned } = polished;
  const b = polished.best;
  toTheta(b.x, theta);
  const thetaOut = Array.from(theta);
  const params = law.toParams(thetaOut);
  const resid = obj.residuals(thetaOut);
  let rss = 0;
  for (const r of resid) rss += r * r;
  const n = X.n;
  const k = P.k;
  const logLik = n * Math.log(Math.max(rss, Number.MIN_VALUE) / n);
  const atBound: string[] = [];
  P.thetaBounds.forEach(([lo, hi], i) => {
    const t = thetaOut[i]!;
    const tol = 1e-6 * Math.max(1, Math.abs(t));
    if ((Number.isFinite(lo) && t - lo <= tol) || (Number.isFinite(hi) && hi - t <= tol))
      atBound.push(P.paramOfTheta[i]!);
  });
  return {
    law: law.name,
    params,
    theta: thetaOut,
    objective: b.f,
    loss: o.loss,
    n,
    nFree: k,
    converged: b.converged,
    message: b.message,
    nfev,
    iterations,
    starts: { strategy, count: starts.length, converged, abandoned },
    fixed: P.fixed,
    tied: P.tied,
    bounds: o.constraints.bounds ?? {},
    atBound,
    rss,
    aic: logLik + 2 * k,
    bic: logLik + k * Math.log(n),
    wallMs: performance.now() - t0,
  };
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return m;
}
