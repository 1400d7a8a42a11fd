import type { Run } from '../core/run.ts';
import type { Law } from '../core/law.ts';
import { makeDesign } from '../core/law.ts';
import type { FitResult } from '../core/fitResult.ts';
import { selectFitRuns } from './selectFitRuns.ts';
import { makeParametrization, thetaIndexOf } from './constraints.ts';
import type { LossSpec } from '../core/loss.ts';
import { makeObjective } from './objective.ts';
import { symmetricEigen } from '../math/symmetricEigen.ts';

/** A matrix keyed by parameter names on both sides, e.g. covariance.alpha.beta. */
export type NamedMatrix = Record<string, Record<string, number>>;

/** s²(JᵀJ)⁻¹ for least squares, the Huber M-estimator sandwich, or none (LAD). */
export type CovarianceMethod = 'least-squares' | 'sandwich' | 'none';

/**
 * Asymptotic standard errors, covariance and correlations of a fit, how they were computed, and warnings (collinear
 * pairs, conditioning).
 */
export interface AsymptoticUncertainty {
  /** How the covariance was obtained ('none': no asymptotic estimate is available; see note). */
  method: CovarianceMethod;
  /** The formula and its assumptions, or why no estimate is available. */
  note: string;
  /** Standard errors of the natural parameters (null for fixed parameters or when unavailable). */
  stderr: Record<string, number | null>;
  covariance: NamedMatrix | null;
  correlation: NamedMatrix | null;
  /**
   * Condition number of the information matrix JᵀJ of the free optimiser coordinates after scaling its columns
   * to unit length (so it measures near-collinearity of the parameters, not their units). Infinity: singular.
   */
  conditionNumber: number | null;
  /** Parameters at a bound or not identifiable, by name. */
  warnings: string[];
  /** Informational: pairs of parameters that are nearly collinear (usual for A and alpha, B and beta). */
  notes: string[];
  /** Standard errors of the optimiser coordinates theta (for intervals on the scale the fit is near-Gaussian in). */
  thetaStderr: number[] | null;
}

/** Above this scaled condition number the information matrix is treated as singular. */
const SINGULAR = 1e12;

/**
 * Covariance of free coordinates theta from the residual Jacobian J (n x k, row-major) and residuals r at the optimum.
 * - mse: s² (JᵀJ)⁻¹ with s² = Σr²/(n-k) (the textbook nonlinear least-squares estimate; Seber & Wild 1989, 5.1).
 * - huber: the M-estimator sandwich H⁻¹ (Σ ψ(r)² J Jᵀ) H⁻¹ · n/(n-k), with ψ = clamp(r, ±delta) and
 *   H = Σ ψ'(r) J Jᵀ the Gauss-Newton Hessian of the summed Huber loss (Huber 1973; White 1980). Assumes runs are
 *   independent, the law is correctly specified and enough residuals are inside ±delta for H to be estimated.
 * - lad: none (the smoothed LAD objective has ψ' = 0 almost everywhere; its asymptotic covariance needs the error
 *   density at zero, which the fit does not estimate).
 *
 * @example thetaCovariance(Float64Array.from([1, 1, 1]), Float64Array.from([1, -1, 0]), 3, 1, { kind: 'mse', delta: 1, space: 'log' }).cov // [1/3]
 */
export function thetaCovariance(
  J: Float64Array,
  r: Float64Array,
  n: number,
  k: number,
  loss: LossSpec,
): {
  cov: Float64Array | null;
  method: CovarianceMethod;
  note: string;
  conditionNumber: number;
  nullDirections: Float64Array[];
} {
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += J[i * k + j]! ** 2;
    scale[j] = Math.sqrt(s) || 1;
  }
  const info = weightedGram(J, n, k, scale, () => 1);
  const eig = symmetricEigen(info, k);
  const lmax = eig.values[0]!,
    lmin = eig.values[k - 1]!;
  const conditionNumber = lmin > 0 ? lmax / lmin : Infinity;
  const nullDirections: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    if (eig.values[c]! <= lmax / SINGULAR)
      nullDirections.push(Float64Array.from({ length: k }, (_, j) => eig.vectors[j * k + c]!));
  }
  const unscale = (m: Float64Array) => {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) m[i * k + j] = m[i * k + j]! / (scale[i]! * scale[j]!);
    return m;
  };
  if (nullDirections.length > 0) {
    return {
      cov: null,
      method: 'none',
      note: 'the information matrix JᵀJ is singular: some parameters are not identifiable from these runs',
      conditionNumber,
      nullDirections,
    };
  }
  if (n <= k)
    return {
      cov: null,
      method: 'none',
      note: `${n} runs for ${k} free parameters leave no degrees of freedom`,
      conditionNumber,
      nullDirections,
    };
  if (loss.kind === 'mse') {
    let rss = 0;
    for (let i = 0; i < n; i++) rss += r[i]! ** 2;
    const s2 = rss / (n - k);
    const inv = unscale(inverseFromEigen(eig.values, eig.vectors, k));
    for (let i = 0; i < k * k; i++) inv[i]! *= s2;
    return {
      cov: inv,
      method: 'least-squares',
      note: `s²(JᵀJ)⁻¹ with s² = RSS/(n-k) = ${s2.toPrecision(4)}: assumes independent, homoscedastic residuals in ${loss.space} space`,
      conditionNumber,
      nullDirections,
    };
  }
  if (loss.kind === 'lad') {
    return {
      cov: null,
      method: 'none',
      note: 'no asymptotic covariance for the LAD objective (it needs the residual density at zero); use --bootstrap',
      conditionNumber,
      nullDirections,
    };
  }
  const delta = loss.delta;
  let inliers = 0;
  for (let i = 0; i < n; i++) if (Math.abs(r[i]!) <= delta) inliers++;
  const H = weightedGram(J, n, k, scale, (i) => (Math.abs(r[i]!) <= delta ? 1 : 0));
  const hEig = symmetricEigen(H, k);
  const hCond = hEig.values[k - 1]! > 0 ? hEig.values[0]! / hEig.values[k - 1]! : Infinity;
  if (inliers <= k || !(hCond < SINGULAR)) {
    return {
      cov: null,
      method: 'none',
      conditionNumber,
      nullDirections,
      note: `no sandwich estimate: only ${inliers} of ${n} residuals are inside the Huber threshold ${delta}, too few to estimate the curvature; use --bootstrap`,
    };
  }
  const Hinv = inverseFromEigen(hEig.values, hEig.vectors, k);
  const M = weightedGram(J, n, k, scale, (i) => Math.min(Math.max(r[i]!, -delta), delta) ** 2);
  const cov = unscale(multiply(multiply(Hinv, M, k), Hinv, k));
  const dof = n / (n - k);
  for (let i = 0; i < k * k; i++) cov[i]! *= dof;
  return {
    cov,
    method: 'sandwich',
    conditionNumber,
    nullDirections,
    note: `Huber M-estimator sandwich H⁻¹(Σψ²JJᵀ)H⁻¹·n/(n-k), H = Σψ'JJᵀ from the ${inliers} of ${n} residuals inside ±${delta}: assumes independent runs and a correctly specified law; with few inliers prefer --bootstrap`,
  };
}

/**
 * Asymptotic standard errors, covariance and correlation of a fit's natural parameters: the covariance of the free
 * optimiser coordinates (see `thetaCovariance`) mapped to the natural parameters by the delta method
 * (Cov(p) = G Cov(theta) Gᵀ with G = dp/dtheta), with fixed parameters at zero variance and tied ones copying their
 * source. Warns, by name, about parameters at a bound, not identifiable, or nearly collinear.
 *
 * @example
 * import { asymptoticUncertainty, fitLaw, getLaw, loadRuns } from 'scalefit';
 * const ds = loadRuns('data/epoch-chinchilla.csv', { excludeTopLoss: 5 });
 * const law = getLaw('chinchilla');
 * const u = asymptoticUncertainty(law, ds.runs, fitLaw(law, ds.runs));
 * u.method; // → 'sandwich'
 * u.stderr.alpha; // → 0.026
 */
export function asymptoticUncertainty(law: Law, allRuns: readonly Run[], fit: FitResult): AsymptoticUncertainty {
  // The errors belong to the runs the fit used: a law that fits a subset (kaplan-c: the compute-efficient frontier)
  // gets s² and the Jacobian from that subset, not from every run it was given.
  const runs = selectFitRuns(law, allRuns).runs;
  const X = makeDesign(runs);
  const P = makeParametrization(law, {
    fix: Object.fromEntries(fit.fixed.map((p) => [p, fit.params[p]!])),
    tie: fit.tied,
    bounds: fit.bounds,
  });
  // huber-mle's estimating equations for theta are those of a Huber fit with threshold delta·sigma on the raw
  // log residuals (psi_delta(r/sigma) = psi_{delta·sigma}(r)/sigma), so its sandwich is that fit's.
  const loss: LossSpec =
    fit.loss.kind === 'huber-mle'
      ? { kind: 'huber', delta: fit.loss.delta * (fit.scale ?? 1), space: 'log' }
      : fit.loss;
  const obj = makeObjective(law, X, loss, false);
  const kT = law.thetaNames.length;
  const n = X.n;
  const k = P.k;
  const Jfull = obj.jacobian(fit.theta);
  const r = obj.residuals(fit.theta);
  // T maps free coordinates to theta (fixed rows zero, tied rows copy their source's column).
  const T = new Float64Array(kT * k);
  P.freeIndex.forEach((ti, j) => {
    T[ti * k + j] = 1;
  });
  const thetaIndex = (name: string) => P.paramOfTheta.indexOf(name);
  for (const [target, source] of Object.entries(fit.tied))
    T[thetaIndex(target) * k + P.freeIndex.indexOf(thetaIndex(source))] = 1;
  // With every coordinate free and untied T is the identity, and J is Jfull (when finite: 0·Inf would be NaN).
  const identity = k === kT && P.freeIndex.every((ti, j) => ti === j) && Jfull.every((v) => Number.isFinite(v));
  const J = identity ? Jfull : new Float64Array(n * k);
  if (!identity)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < kT; t++) s += Jfull[i * kT + t]! * T[t * k + j]!;
        J[i * k + j] = s;
      }
  const freeNames = P.freeIndex.map((i) => P.paramOfTheta[i]!);
  const res = thetaCovariance(J, r, n, k, loss);
  const warnings: string[] = [];
  const notes: string[] = [];
  for (const p of fit.atBound)
    warnings.push(`${p} is at a bound: its standard error assumes an interior optimum and is not meaningful`);
  for (const v of law.variables) {
    // One distinct value (as a Set counts them), without a Set of every run's value.
    const first = runs[0]?.[v];
    const one = runs.length > 0 && runs.every((run) => Object.is(run[v], first) || run[v] === first);
    if (one)
      warnings.push(
        `only one distinct ${v} (${first}): the parameters of the ${v} term are not identifiable from these runs`,
      );
  }
  for (const dir of res.nullDirections) {
    const names = freeNames.filter((_, j) => Math.abs(dir[j]!) > 0.2);
    warnings.push(
      `not identifiable: ${names.join(', ')} (the data do not determine ${names.length > 1 ? 'this combination' : 'this parameter'}; fix or tie it)`,
    );
  }
  if (res.cov === null) {
    return {
      method: res.method,
      note: res.note,
      covariance: null,
      correlation: null,
      warnings,
      notes,
      conditionNumber: res.conditionNumber,
      thetaStderr: null,
      stderr: Object.fromEntries(law.paramNames.map((p) => [p, null])),
    };
  }
  // Cov(theta) = T C Tᵀ, then the delta method with G = dp/dtheta by central differences of toParams.
  const covT = new Float64Array(kT * kT);
  for (let a = 0; a < kT; a++)
    for (let b = 0; b < kT; b++) {
      let s = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += T[a * k + i]! * res.cov[i * k + j]! * T[b * k + j]!;
      covT[a * kT + b] = s;
    }
  const names = law.paramNames;
  const kP = names.length;
  const G = new Float64Array(kP * kT);
  for (let t = 0; t < kT; t++) {
    const h = 1e-6 * Math.max(1, Math.abs(fit.theta[t]!));
    const up = law.toParams(fit.theta.map((v, i) => (i === t ? v + h : v)));
    const down = law.toParams(fit.theta.map((v, i) => (i === t ? v - h : v)));
    names.forEach((p, i) => {
      G[i * kT + t] = (up[p]! - down[p]!) / (2 * h);
    });
  }
  const covP = multiply(multiply(G, covT, kP, kT, kT), transpose(G, kP, kT), kP, kT, kP);
  const covariance: NamedMatrix = {};
  const correlation: NamedMatrix = {};
  const stderr: Record<string, number | null> = {};
  names.forEach((p, i) => {
    covariance[p] = {};
    correlation[p] = {};
    stderr[p] = fit.fixed.includes(p) ? null : Math.sqrt(Math.max(covP[i * kP + i]!, 0));
  });
  names.forEach((p, i) =>
    names.forEach((q, j) => {
      const c = covP[i * kP + j]!;
      covariance[p]![q] = c;
      const d = Math.sqrt(covP[i * kP + i]! * covP[j * kP + j]!);
      correlation[p]![q] = d > 0 ? c / d : i === j ? 1 : 0;
    }),
  );
  for (let i = 0; i < kP; i++)
    for (let j = i + 1; j < kP; j++) {
      const p = names[i]!,
        q = names[j]!;
      if (fit.tied[p] === q || fit.tied[q] === p) continue;
      const c = correlation[p]![q]!;
      if (Math.abs(c) > 0.99)
        notes.push(
          `${p} and ${q} are almost collinear (correlation ${c.toFixed(4)}): each is poorly determined alone; quote quantities that depend on both (predictions, allocation)`,
        );
    }
  // A fixed parameter has no variance, so no correlation: leave it out of the table rather than show a row of zeros.
  for (const p of fit.fixed) {
    delete correlation[p];
    for (const q of names) delete correlation[q]?.[p];
  }
  const thetaStderr = Array.from({ length: kT }, (_, t) => Math.sqrt(Math.max(covT[t * kT + t]!, 0)));
  return {
    method: res.method,
    note: res.note,
    stderr,
    covariance,
    correlation,
    conditionNumber: res.conditionNumber,
    warnings,
    notes,
    thetaStderr,
  };
}

/**
 * Wald intervals theta ± z·se(theta) mapped to the natural parameters (for chinchilla A = exp(a) etc., so
 * intervals for A, B, E are asymmetric and positive, as the log-scale fit suggests). Empty when no covariance.
 *
 * @example asymptoticIntervals(chinchilla, fit, asymptoticUncertainty(chinchilla, runs, fit), 0.95).alpha // [lo, hi]
 */
export function asymptoticIntervals(
  law: Law,
  fit: FitResult,
  u: AsymptoticUncertainty,
  level: number,
): Record<string, [number, number]> {
  if (!u.thetaStderr) return {};
  const z = normalQuantile(1 - (1 - level) / 2);
  const out: Record<string, [number, number]> = {};
  law.paramNames.forEach((p) => {
    if (fit.fixed.includes(p)) return;
    const i = thetaIndexOf(law, p);
    const se = u.thetaStderr![i]!;
    const lo = law.toParams(fit.theta.map((v, j) => (j === i ? v - z * se : v)))[p]!;
    const hi = law.toParams(fit.theta.map((v, j) => (j === i ? v + z * se : v)))[p]!;
    out[p] = [Math.min(lo, hi), Math.max(lo, hi)];
  });
  return out;
}

/** Standard normal quantile (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = (q: number) => {
    const r = Math.sqrt(-2 * Math.log(q));
    return (
      (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) /
      ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1)
    );
  };
  let x: number;
  if (p < 0.02425) x = lowTail(p);
  else if (p > 1 - 0.02425) x = -lowTail(1 - p);
  else {
    const q = p - 0.5,
      r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  return x;
}

/** (D⁻¹ Jᵀ W J D⁻¹) for diagonal weights w(i) and column scales D. */
function weightedGram(
  J: Float64Array,
  n: number,
  k: number,
  scale: Float64Array,
  w: (i: number) => number,
): Float64Array {
  const out = new Float64Array(k * k);
  // Each row's scaled entries once (the same divisions as scaling inside the pair loop, k per row instead of
  // k(k+3)/2, so the sums are bit-identical).
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const wi = w(i);
    if (wi === 0) continue;
    for (let a = 0; a < k; a++) row[a] = J[i * k + a]! / scale[a]!;
    for (let a = 0; a < k; a++) {
      const ja = row[a]! * wi;
      for (let b = a; b < k; b++) out[a * k + b]! += ja * row[b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[a * k + b] = out[b * k + a]!;
  return out;
}

function inverseFromEigen(values: number[], V: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += (V[a * k + c]! * V[b * k + c]!) / values[c]!;
      out[a * k + b] = s;
    }
  return out;
}

function multiply(A: Float64Array, B: Float64Array, r: number, m = r, c = r): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let t = 0; t < m; t++) s += A[i * m + t]! * B[t * c + j]!;
      out[i * c + j] = s;
    }
  return out;
}

function transpose(A: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = A[i * c + j]!;
  return out;
}
