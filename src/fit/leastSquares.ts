import { createRequire } from 'node:module';
import { linearRegression } from 'simple-statistics';
import type { Run, Variable } from '../core/run.ts';
import { InputError } from '../core/errors.ts';
import type { Parametrization } from './constraints.ts';
import { makeParametrization } from './constraints.ts';
import { predictInSpace } from './predictInSpace.ts';
import type { FitOptionsInput } from './options.ts';
import { selectFitRuns } from './selectFitRuns.ts';
import type { Law } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import type { FitResult } from '../core/fitResult.ts';
import type { LossSpec } from '../core/loss.ts';

/**
 * ml-levenberg-marquardt, loaded on first use: it brings ml-matrix, most of the start-up time of a fit that never
 * calls it. An ES module required synchronously (require(esm), Node >= 20.19), because fits are synchronous.
 */
function levenbergMarquardt(): typeof import('ml-levenberg-marquardt').levenbergMarquardt {
  return (createRequire(import.meta.url)('ml-levenberg-marquardt') as typeof import('ml-levenberg-marquardt'))
    .levenbergMarquardt;
}

const LM_MAX_ITERATIONS = 400;
const LM_ROUND = 20;
const LM_STARTS = 3;

/**
 * `fitLaw(..., { optimizer: 'lm' })`: least squares through ml-levenberg-marquardt with the law's analytic Jacobian,
 * for any law (e.g. chinchilla with --loss mse --space linear). Refuses what is not plain least squares.
 * With constraints LM works on the free coordinates z of the same parametrization as L-BFGS (src/fit/constraints.ts:
 * fixed and tied coordinates drop out, bounded ones go through the sine/sqrt transforms), its Jacobian chained row by
 * row. The transforms' slope vanishes on a bound, where Gauss-Newton steps stall short of it; so the
 * parameters that end within 1e-2 of a bound are then held on it and the rest refitted (their own bounds by
 * ml-levenberg-marquardt's clamp), and that fit is kept if its RSS is no worse. An active parameter still counts as
 * free, as in the L-BFGS path.
 */
export function fitLawLM(law: Law, runs: readonly Run[], options: FitOptionsInput): FitResult {
  const t0 = performance.now();
  const c = options.constraints ?? {};
  const constrained =
    Object.keys(c.fix ?? {}).length + Object.keys(c.tie ?? {}).length + Object.keys(c.bounds ?? {}).length > 0;
  const P = constrained ? makeParametrization(law, c) : undefined;
  if (options.loss?.kind !== undefined && options.loss.kind !== 'mse') {
    throw new InputError(
      `--optimizer lm: Levenberg-Marquardt minimises a sum of squares; use --loss mse (not ${options.loss.kind}) or --optimizer lbfgs`,
    );
  }
  const selected = selectFitRuns(law, runs).runs;
  const k = P ? P.k : law.paramNames.length;
  if (selected.length < k) {
    throw new InputError(
      `${selected.length} runs cannot determine ${k} free parameters of ${law.name}; need at least ${k} runs`,
    );
  }
  const loss: LossSpec = { kind: 'mse', delta: options.loss?.delta ?? 1e-3, space: options.loss?.space ?? 'log' };
  let r = fitLevenbergMarquardt(law, selected, loss, P);
  if (P) {
    // Free coordinates within 1e-2 of a bound (in theta): hold them exactly on it; the RSS test below rejects a wrong hold.
    const held: Record<string, number> = {};
    for (const i of P.freeIndex) {
      const t = r.theta[i]!;
      for (const b of P.thetaBounds[i]!) {
        if (Number.isFinite(b) && Math.abs(t - b) <= 1e-2 * Math.max(1, Math.abs(b))) {
          const theta = r.theta.slice();
          theta[i] = b;
          const name = P.paramOfTheta[i]!;
          held[name] = law.toParams(theta)[name]!;
        }
      }
    }
    if (Object.keys(held).length > 0) {
      const box = P.thetaBounds;
      const { thetaBounds: _own, ...unbounded } = law;
      // z = the remaining free theta coordinates themselves; thetaBounds carries the box for the clamp and reporting.
      const Pa: Parametrization = {
        ...makeParametrization(unbounded, { fix: { ...(c.fix ?? {}), ...held }, tie: c.tie }),
        thetaBounds: box,
      };
      const ra = fitLevenbergMarquardt(
        law,
        selected,
        loss,
        Pa,
        Pa.freeIndex.map((i) => box[i]!),
      );
      if (ra.rss <= r.rss) {
        const extra = P.k - Pa.k;
        r = {
          ...ra,
          fixed: P.fixed,
          nFree: P.k,
          aic: ra.aic + 2 * extra,
          bic: ra.bic + extra * Math.log(ra.n),
          nfev: r.nfev + ra.nfev,
          iterations: r.iterations + ra.iterations,
        };
      }
    }
  }
  return { ...r, bounds: c.bounds ?? {}, wallMs: performance.now() - t0 };
}

/** Least squares of log L on log X for L = (X_c/X)^alpha: slope -alpha, intercept alpha log X_c. */
export function fitLogLinear(law: Law, variable: Variable, runs: readonly Run[], loss: LossSpec): FitResult {
  const X = makeDesign(runs);
  const logX = X[`log${variable}` as 'logN'];
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < X.n; i++) pairs.push([logX[i]!, X.logLoss[i]!]);
  const distinct = new Set(logX).size;
  if (distinct < 2)
    throw new InputError(
      `${law.name}: all runs have the same ${variable}; a power law in ${variable} needs at least two distinct values`,
    );
  const { m, b } = linearRegression(pairs);
  const alpha = -m;
  // theta = (log X_c, alpha); log X_c = intercept / alpha (undefined for a flat line, reported as non-finite).
  const theta = [b / alpha, alpha];
  return result(law, theta, X.n, loss, runs, {
    converged: Number.isFinite(theta[0]!),
    message: 'exact: ordinary least squares of log loss on log ' + variable,
    nfev: 1,
    iterations: 0,
    strategy: 'log-log regression',
    count: 1,
    convergedStarts: 1,
  });
}

/** Levenberg-Marquardt (ml-levenberg-marquardt) from each of the law's starts, analytic Jacobian; best RSS wins. */
export function fitLevenbergMarquardt(
  law: Law,
  runs: readonly Run[],
  loss: LossSpec,
  P?: Parametrization,
  zBoxWithP?: Array<[number, number]>,
): FitResult {
  const X = makeDesign(runs);
  const n = X.n;
  const kTheta = law.thetaNames.length;
  // Without constraints LM works on theta directly; with them on the free coordinates z of P.
  const k = P ? P.k : kTheta;
  const pred = new Float64Array(n);
  const jac = new Float64Array(n * k);
  const jacTheta = P ? new Float64Array(n * kTheta) : jac;
  const thetaBuf = new Float64Array(kTheta);
  const rowZ = new Float64Array(k);
  const toTheta = (z: ArrayLike<number>): ArrayLike<number> => {
    if (!P) return z;
    P.toTheta(z, thetaBuf);
    return thetaBuf;
  };
  const target = loss.space === 'linear' ? X.loss : X.logLoss;
  let nfev = 0;
  const evaluate = (z: ArrayLike<number>, withJac: boolean) => {
    nfev++;
    predictInSpace(law, toTheta(z), X, loss.space, pred, withJac ? jacTheta : undefined);
    if (withJac && P) {
      for (let i = 0; i < n; i++) {
        P.gradZ(z, jacTheta.subarray(i * kTheta, i * kTheta + kTheta), rowZ);
        jac.set(rowZ, i * k);
      }
    }
  };
  const model = (theta: number[]) => {
    evaluate(theta, false);
    const snapshot = pred.slice();
    return (i: number) => snapshot[i]!;
  };
  const jacobian = (theta: number[]) => {
    evaluate(theta, true);
    const snapshot = jac.slice();
    return (i: number) => Array.from(snapshot.subarray(i * k, i * k + k));
  };
  const xs = Array.from({ length: n }, (_, i) => i);
  const ys = Array.from(target);
  // Box on the LM coordinates, clamped by ml-levenberg-marquardt: theta's own bounds without P; with P, only when
  // its coordinates are theta's (the active-set pass); transformed coordinates need none.
  const zBox = P ? zBoxWithP : law.thetaBounds;
  const clampStart = (z: number[]) => (zBox ? z.map((v, j) => Math.min(Math.max(v, zBox[j]![0]), zBox[j]![1])) : z);
  const all = law.starts(X, 'default').map((s) => clampStart(P ? Array.from(P.toZ(s)) : s));
  // LM from every start is wasteful: rank the starts by their RSS and run it from the best few.
  const rssOf = (theta: number[]) => {
    evaluate(theta, false);
    let r = 0;
    for (let i = 0; i < n; i++) r += (pred[i]! - target[i]!) ** 2;
    return Number.isFinite(r) ? r : Infinity;
  };
  const starts = all
    .map((s) => ({ s, r: rssOf(s) }))
    .sort((p, q) => p.r - q.r)
    .slice(0, LM_STARTS)
    .map((x) => x.s);
  let best: { theta: number[]; rss: number } | undefined;
  let iterations = 0,
    abandoned = 0;
  for (const s of starts) {
    // In rounds, because ml-levenberg-marquardt only stops on an absolute error (never met on noisy data): stop
    // when a round improves the RSS by less than 1e-12 relative. Later rounds start nearly Gauss-Newton.
    let theta = s.slice();
    let rss = rssOf(theta);
    let failed = false;
    for (let round = 0; round * LM_ROUND < LM_MAX_ITERATIONS; round++) {
      let r;
      try {
        r = levenbergMarquardt()({ x: xs, y: ys }, model, {
          initialValues: theta.slice(),
          jacobianFunction: jacobian,
          maxIterations: LM_ROUND,
          damping: round === 0 ? 1e-2 : 1e-6,
          errorTolerance: 1e-30,
          ...(zBox ? { minValues: zBox.map((b) => b[0]), maxValues: zBox.map((b) => b[1]) } : {}),
        });
      } catch {
        failed = true;
        break;
      }
      iterations += r.iterations;
      if (!Number.isFinite(r.parameterError) || r.parameterValues.some((v) => !Number.isFinite(v))) {
        failed = true;
        break;
      }
      const improved = rss - r.parameterError;
      if (r.parameterError <= rss) {
        theta = r.parameterValues;
        rss = r.parameterError;
      }
      if (improved <= 1e-12 * rss || rss <= 1e-28) break;
    }
    if (failed && !Number.isFinite(rss)) {
      abandoned++;
      continue;
    }
    if (!best || rss < best.rss) best = { theta, rss };
  }
  if (!best)
    throw new InputError(
      `${law.name}: every start gave a non-finite fit (${abandoned} abandoned); check the data for extreme values`,
    );
  // Converged when the gradient of the RSS, J^T r, vanishes at the optimum (relative to the RSS and the data size).
  evaluate(best.theta, true);
  const thetaBest = Array.from(toTheta(best.theta));
  // A coordinate on an active bound (KKT) may keep a gradient pointing out of the box: leave it out of the test.
  const onBound = (j: number) => {
    if (!P) return false;
    const i = P.freeIndex[j]!,
      t = thetaBest[i]!,
      [lo, hi] = P.thetaBounds[i]!;
    const tol = 1e-6 * Math.max(1, Math.abs(t));
    return (Number.isFinite(lo) && t - lo <= tol) || (Number.isFinite(hi) && hi - t <= tol);
  };
  let gmax = 0;
  for (let j = 0; j < k; j++) {
    if (onBound(j)) continue;
    let g = 0;
    for (let i = 0; i < n; i++) g += jac[i * k + j]! * (pred[i]! - target[i]!);
    gmax = Math.max(gmax, Math.abs(g));
  }
  const converged = gmax <= 1e-6 * Math.max(best.rss, 1e-6 * n);
  return result(
    law,
    thetaBest,
    n,
    loss,
    runs,
    {
      converged,
      message: `Levenberg-Marquardt (analytic Jacobian), ${converged ? 'gradient of the RSS vanished' : `gradient of the RSS still ${gmax.toExponential(2)}`}`,
      nfev,
      iterations,
      strategy: 'default',
      count: starts.length,
      convergedStarts: starts.length - abandoned,
      abandoned,
    },
    P,
  );
}

function result(
  law: Law,
  theta: number[],
  n: number,
  loss: LossSpec,
  runs: readonly Run[],
  info: {
    converged: boolean;
    message: string;
    nfev: number;
    iterations: number;
    strategy: string;
    count: number;
    convergedStarts: number;
    abandoned?: number;
  },
  P?: Parametrization,
): FitResult {
  const X = makeDesign(runs);
  const pred = new Float64Array(n);
  law.logPredict(theta, X, pred);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const r = loss.space === 'linear' ? Math.exp(pred[i]!) - X.loss[i]! : pred[i]! - X.logLoss[i]!;
    rss += r * r;
  }
  const k = P ? P.k : theta.length;
  const atBound: string[] = [];
  P?.thetaBounds.forEach(([lo, hi], i) => {
    const t = theta[i]!;
    const tol = 1e-6 * Math.max(1, Math.abs(t));
    if ((Number.isFinite(lo) && t - lo <= tol) || (Number.isFinite(hi) && hi - t <= tol))
      atBound.push(P.paramOfTheta[i]!);
  });
  const logLik = n * Math.log(Math.max(rss, Number.MIN_VALUE) / n);
  return {
    law: law.name,
    params: law.toParams(theta),
    theta,
    objective: rss,
    loss,
    n,
    nFree: k,
    converged: info.converged,
    message: info.message,
    nfev: info.nfev,
    iterations: info.iterations,
    starts: {
      strategy: info.strategy,
      count: info.count,
      converged: info.convergedStarts,
      abandoned: info.abandoned ?? 0,
    },
    fixed: P ? P.fixed : [],
    tied: P ? P.tied : {},
    bounds: {},
    atBound,
    rss,
    aic: logLik + 2 * k,
    bic: logLik + k * Math.log(n),
    wallMs: 0,
  };
}
