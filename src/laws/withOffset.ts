import { InputError } from '../core/errors.ts';
import type { Design, Law } from '../core/law.ts';
import { defineLaw } from './defineLaw.ts';

/** Fractions of the smallest observed loss tried as starting values of E. */
const E_START_FRACTIONS = [0.01, 0.5, 0.8, 0.9, 0.95];

/**
 * A law plus an irreducible loss E: L' = E + L (the `--offset` of the Kaplan laws; real data flattens towards an
 * entropy floor that a pure power law cannot follow). Named `<law>-offset`, with E first among the parameters.
 *
 * theta = (log E, theta_base); log L' = LSE(log E, log L) and, with w = E/L', the Jacobian is
 * (w, (1 - w) d log L/d theta_base). Starts: for a few E below the smallest loss, the base law's starts fitted
 * to L - E. Fitted by Levenberg-Marquardt (a nonlinear least-squares problem; see fitLaw).
 *
 * @example withOffset(kaplanN).predict({ E: 1.7, N_c: 8.8e13, alpha_N: 0.076 }, { N: 1e9 }) // ~4.07
 */
export function withOffset(base: Law): Law {
  if (base.paramNames.includes('E')) throw new InputError(`--offset: ${base.name} already has an irreducible term E`);
  const kb = base.thetaNames.length;
  const k = kb + 1;
  return defineLaw({
    name: `${base.name}-offset`,
    title: `${base.title} + E`,
    formula: base.formula.replace(' = ', ' = E + '),
    reference: `${base.reference}; irreducible term E as in Henighan et al. 2020 / Hoffmann et al. 2022`,
    variables: base.variables,
    parameters: [{ name: 'E', scale: 'log', unit: 'loss', typical: 1.7 }, ...base.parameters],
    displayOrder: ['E', ...base.paramNames],
    logPredict(t, X, out, jac) {
      const e = t[0]!;
      const tb = Array.from(t).slice(1);
      const bjac = jac ? new Float64Array(X.n * kb) : undefined;
      base.logPredict(tb, X, out, bjac);
      for (let i = 0; i < X.n; i++) {
        const lb = out[i]!;
        const m = lb > e ? lb : e;
        const s = Math.exp(e - m) + Math.exp(lb - m);
        out[i] = m + Math.log(s);
        if (jac) {
          const w = Math.exp(e - out[i]!);
          jac[i * k] = w;
          for (let j = 0; j < kb; j++) jac[i * k + 1 + j] = (1 - w) * bjac![i * kb + j]!;
        }
      }
    },
    predict: (p, point) => p.E! + base.predict(p, point),
    gradient: (p, point) => ({ E: 1, ...base.gradient(p, point) }),
    starts(X: Design, strategy) {
      let minLoss = Infinity;
      for (let i = 0; i < X.n; i++) minLoss = Math.min(minLoss, X.loss[i]!);
      const out: number[][] = [];
      for (const f of E_START_FRACTIONS) {
        const E = f * minLoss;
        const loss = Float64Array.from(X.loss, (l) => l - E);
        const shifted: Design = { ...X, loss, logLoss: Float64Array.from(loss, Math.log) };
        for (const s of base.starts(shifted, strategy).slice(0, 2)) out.push([Math.log(E), ...s]);
      }
      return out;
    },
    fitting: 'least-squares',
    ...(base.fitOnFrontier ? { fitOnFrontier: true } : {}),
    ...(base.minimumSteps ? { minimumSteps: true } : {}),
  });
}
