import { linearRegression } from 'simple-statistics';
import type { Variable } from '../core/run.ts';
import type { Design, Law, Params, Point } from '../core/law.ts';
import { defineLaw } from './defineLaw.ts';
import { completePoint } from '../core/law.ts';

export const KAPLAN_REFERENCE = 'Kaplan et al. 2020, Scaling Laws for Neural Language Models, arXiv:2001.08361';

/**
 * A one-variable Kaplan et al. 2020 power law L(X) = (X_c/X)^alpha_X (their eqs. 1.1-1.3), as a plain Law.
 * theta = (log X_c, alpha_X), so log L = alpha (log X_c - log X) and the Jacobian is (alpha, log X_c - log X).
 * Fitted by exact log-log regression unless a robust loss or constraints are asked for (see fitLaw).
 *
 * @example kaplanPowerLaw({ name: 'kaplan-n', variable: 'N', ... }).predict({ N_c: 8.8e13, alpha_N: 0.076 }, { N: 1e9 }) // ~2.37
 */
export function kaplanPowerLaw(o: {
  name: string;
  title: string;
  variable: 'N' | 'D' | 'C';
  scale: string;
  exponent: string;
  reference: string;
  unit: string;
  typical: [number, number];
  fitOnFrontier?: boolean;
}): Law {
  const { variable: v, scale, exponent } = o;
  const logKey = `log${v}` as 'logN' | 'logD' | 'logC';
  return defineLaw({
    name: o.name,
    title: o.title,
    formula: `L(${v}) = (${scale}/${v})^${exponent}`,
    reference: o.reference,
    variables: [v as Variable],
    parameters: [
      { name: scale, scale: 'log', unit: o.unit, typical: o.typical[0] },
      { name: exponent, scale: 'linear', typical: o.typical[1], exponent: true },
    ],
    logPredict(t, X, out, jac) {
      const lc = t[0]!,
        alpha = t[1]!;
      const lx = X[logKey];
      for (let i = 0; i < X.n; i++) {
        out[i] = alpha * (lc - lx[i]!);
        if (jac) {
          jac[2 * i] = alpha;
          jac[2 * i + 1] = lc - lx[i]!;
        }
      }
    },
    predict(p: Params, point: Point) {
      const x = completePoint(point)[v]!;
      return (p[scale]! / x) ** p[exponent]!;
    },
    gradient(p: Params, point: Point) {
      const x = completePoint(point)[v]!;
      const L = (p[scale]! / x) ** p[exponent]!;
      return { [scale]: (p[exponent]! * L) / p[scale]!, [exponent]: L * Math.log(p[scale]! / x) };
    },
    starts(X: Design) {
      return [logLinearStart(X[logKey], X.logLoss, X.n)];
    },
    fitting: 'log-linear',
    ...(o.fitOnFrontier ? { fitOnFrontier: true } : {}),
  });
}

/** theta = (log X_c, alpha) from the log-log regression line; a generic start when the line is flat or undefined. */
function logLinearStart(logX: Float64Array, logLoss: Float64Array, n: number): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < n; i++)
    if (Number.isFinite(logX[i]!) && Number.isFinite(logLoss[i]!)) pairs.push([logX[i]!, logLoss[i]!]);
  if (pairs.length >= 2 && new Set(pairs.map((p) => p[0])).size >= 2) {
    const { m, b } = linearRegression(pairs);
    const alpha = -m;
    if (alpha > 1e-4 && Number.isFinite(b / alpha)) return [b / alpha, alpha];
  }
  const maxLogX = pairs.reduce((mx, p) => Math.max(mx, p[0]), 0);
  return [maxLogX + 10, 0.1];
}
