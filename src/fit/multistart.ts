import type { FitResult } from '../core/fitResult.ts';
import type { Design, Law } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import type { Run } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { LbfgsResult } from '../math/lbfgs.ts';
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
  return finishFit(ctx, runStarts(ctx, 0, ctx.starts.length, options.onProgress), t0);
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
  const proposed = identity ? law.conditioning?.(X) ?? [] : [];
  const overflows = (t: number[]) => proposed.some(({ target, source, c }) =>
    Number.isFinite(t[target]!) && Number.isFinite(t[source]!) && !Number.isFinite(t[target]! - c * t[source]!));
  const shifts = !starts.some(overflows)
    ? proposed
    : [];
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
    if (!identity) return P.toTheta(z, out);
    out.set(z);
    for (const { target, source, c } of shifts) out[target]! += c * z[source]!;
  };

  const strategy = typeof o.starts === 'string' ? o.starts : 'given';
  return { law, o, X, P, obj, fg, toZ, toTheta, starts, strategy };
}

/** The multi-start stage for starts from..to-1, with the grid tolerances. */
export function runStarts(ctx: FitContext, from: number, to: number, onProgress?: (done: number, total: number) => void): StartResult[] {
  const out: StartResult[] = [];
  for (let i = from; i < to; i++) {
    out.push(lbfgs(ctx.fg, ctx.toZ(ctx.starts[i]!), ctx.o.gridTolerance));
    if (onProgress && (i - from) % 50 === 49) onProgress(i - from + 1, to - from);
  }
  onProgress?.(to - from, to - from);
  return out;
}

/** Polish the best distinct start results with tight tolerances and assemble the FitResult. */
export function finishFit(ctx: FitContext, startResults: StartResult[], t0: number): FitResult {
  const { law, o, X, P, obj, fg, toTheta, starts, strategy } = ctx;
  const theta = new Float64Array(law.thetaNames.length);
  let nfev = 0, iterations = 0, converged = 0, abandoned = 0;
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
    throw new InputError(`${law.name}: every start gave a non-finite objective (${abandoned} abandoned); check the data for extreme values`);
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
    const r = lbfgs(fg, p.x, o.polishTolerance);
    nfev += r.evaluations;
    iterations += r.iterations;
    const candidate = Number.isFinite(r.f) && r.f <= p.f && r.x.every(Number.isFinite) ? r : p;
    if (!best || candidate.f < best.f) best = candidate;
  }
  const b = best!;
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
    if ((Number.isFinite(lo) && t - lo <= tol) || (Number.isFinite(hi) && hi - t <= tol)) atBound.push(P.paramOfTheta[i]!);
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
